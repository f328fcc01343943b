// SPDX-License-Identifier: MIT
#include "script/exceptions.h"

#include "utf8.h"

#include <algorithm>
#include <array>
#include <mutex>

namespace mailroom::script {

namespace {

Term atom(std::string_view name)
{
    return Term::atom(name);
}

struct ExceptionModule {
    std::string_view name;
    std::vector<std::string_view> fields; // in defstruct order, which inspect follows
};

// Elixir's exception modules that scripts can meet, with their fields.
const std::vector<ExceptionModule> &exceptionModules()
{
    static const std::vector<ExceptionModule> modules = {
        { "RuntimeError", { "message" } },
        { "ArgumentError", { "message" } },
        { "ArithmeticError", { "message" } },
        { "SystemLimitError", { "message" } },
        { "MatchError", { "term" } },
        { "CaseClauseError", { "term" } },
        { "WithClauseError", { "term" } },
        { "TryClauseError", { "term" } },
        { "CondClauseError", {} },
        { "BadFunctionError", { "term" } },
        { "BadMapError", { "term" } },
        { "BadBooleanError", { "term", "operator" } },
        { "BadArityError", { "function", "args" } },
        { "BadStructError", { "struct", "term" } },
        { "KeyError", { "key", "term", "message" } },
        { "FunctionClauseError", { "module", "function", "arity", "kind", "args", "clauses" } },
        { "UndefinedFunctionError", { "module", "function", "arity", "reason", "message" } },
        { "ErlangError", { "original", "reason" } },
        { "Protocol.UndefinedError", { "protocol", "value", "description" } },
        { "Enum.EmptyError", { "message" } },
        { "Enum.OutOfBoundsError", { "message" } },
    };
    return modules;
}

// Inspect prints structs in defstruct order; declare ours once.
void declareExceptionFields()
{
    static std::once_flag once;
    std::call_once(once, [] {
        for (const auto &m : exceptionModules()) {
            std::vector<Atom> fields;
            for (const auto f : m.fields)
                fields.push_back(Atom::intern(f));
            Term::declareStructFields(m.name, std::move(fields));
        }
    });
}

const Term *field(const Term &t, std::string_view name)
{
    return t.mapFind(atom(name));
}

std::string fieldInspect(const Term &t, std::string_view name)
{
    const Term *v = field(t, name);
    return v != nullptr ? v->inspect() : "nil";
}

bool isNilAtom(const Term *t)
{
    return t == nullptr || t->isAtom("nil");
}

std::string_view exceptionName(const Term &e)
{
    const Term *m = e.structModule();
    if (m == nullptr)
        return {};
    const std::string_view n = m->asAtom().name();
    return n.starts_with("Elixir.") ? n.substr(7) : n;
}

std::string ordinal(int n)
{
    switch (n) {
    case 1:
        return "1st";
    case 2:
        return "2nd";
    case 3:
        return "3rd";
    default:
        return std::to_string(n) + "th";
    }
}

std::string formatMfa(const Term &module, const Term &function, int arity)
{
    return moduleText(module.asAtom()) + "." + std::string(function.asAtom().name()) + "/"
        + std::to_string(arity);
}

// The "(app vsn) " that Exception.format_stacktrace_entry/1 puts before a frame of a module
// that belongs to an OTP application, as Elixir 1.14.0 on OTP 25 prints it (:erlang
// belongs to none).
std::string_view applicationPrefix(const Term &module)
{
    static const std::array<std::string_view, 23> stdlib = { "lists", "maps", "gen_server", "gen", "proc_lib",
        "gen_statem", "gen_event", "supervisor", "sys", "timer", "io", "io_lib", "string", "unicode", "proplists",
        "sets", "dict", "queue", "ets", "math", "rand", "binary", "erl_eval" };
    static const std::array<std::string_view, 24> elixir = { "Enum", "Kernel", "GenServer", "String", "Map",
        "Process", "Task", "Agent", "List", "Keyword", "Integer", "Float", "Tuple", "IO", "Exception", "Range",
        "Stream", "MapSet", "Access", "Supervisor", "Registry", "Atom", "System", "Code" };
    const std::string_view name = module.asAtom().name();
    if (name.starts_with("Elixir.")) {
        if (std::find(elixir.begin(), elixir.end(), name.substr(7)) != elixir.end())
            return "(elixir 1.14.0) ";
        return {};
    }
    if (std::find(stdlib.begin(), stdlib.end(), name) != stdlib.end())
        return "(stdlib 4.2) ";
    return {};
}

// Exception.format_stacktrace_entry/1 for {mod, fun, arity_or_args, location}.
std::optional<std::string> formatStackEntry(const Term &entry)
{
    if (!entry.isTuple(4) || !entry[0].isAtom() || !entry[1].isAtom() || !entry[3].isList()
        || !(entry[2].isInteger() || entry[2].isProperList()))
        return std::nullopt;
    std::string where(applicationPrefix(entry[0]));
    const Term *file = nullptr;
    const Term *line = nullptr;
    for (const auto &kv : entry[3].listElements()) {
        if (!kv.isTuple(2))
            continue;
        if (kv[0].isAtom("file"))
            file = &kv[1];
        if (kv[0].isAtom("line"))
            line = &kv[1];
    }
    if (file != nullptr) {
        std::string path;
        if (file->isBinary())
            path = std::string(file->asBinary());
        else if (file->isList())
            for (const auto &c : file->listElements())
                path += static_cast<char>(c.asInteger());
        where += path + (line != nullptr && line->isInteger() ? ":" + std::to_string(line->asInteger()) : "")
            + ": ";
    }
    if (entry[2].isProperList()) // the arguments of the call that failed: Mod.fun(1, 2)
        return where + formatCall(entry[0], entry[1], entry[2].listElements());
    return where + formatMfa(entry[0], entry[1], static_cast<int>(entry[2].asInteger()));
}

std::string formatExitReason(const Term &reason)
{
    if (reason.isAtom()) {
        const std::string_view n = reason.asAtom().name();
        if (n == "normal" || n == "shutdown" || n == "killed")
            return std::string(n);
        if (n == "calling_self")
            return "process attempted to call itself";
        if (n == "timeout")
            return "time out";
        if (n == "noconnection")
            return "no connection";
        if (n == "noproc")
            return "no process: the process is not alive or there's no process currently associated with the "
                   "given "
                   "name, possibly because its application isn't started";
    }
    if (reason.isTuple(2) && reason[0].isAtom()) {
        const std::string_view tag = reason[0].asAtom().name();
        if (tag == "shutdown")
            return "shutdown: " + reason[1].inspect();
        if (tag == "nodedown" && reason[1].isAtom())
            return "no connection to " + std::string(reason[1].asAtom().name());
        if (tag == "already_started")
            return "already started: " + reason[1].inspect();
        if (tag == "bad_return_value")
            return "bad return value: " + reason[1].inspect();
        if (tag == "bad_call")
            return "bad call: " + reason[1].inspect();
        if (tag == "bad_cast")
            return "bad cast: " + reason[1].inspect();
    }
    return reason.inspect();
}

// Exception.normalize(:error, :undef, stacktrace): the function the top frame names.
Term undefinedAt(const Term &top, const std::function<bool(Atom)> &moduleAvailable)
{
    const Term arity = top[2].isInteger() ? top[2] : Term::integer(static_cast<int64_t>(top[2].listLength()));
    const bool available = !applicationPrefix(top[0]).empty() || top[0].isAtom("erlang")
        || (moduleAvailable && moduleAvailable(top[0].asAtom()));
    return exceptionStruct("UndefinedFunctionError",
        { { "module", top[0] }, { "function", top[1] }, { "arity", arity },
            { "reason", available ? atom("nil") : atom("module could not be loaded") },
            { "message", atom("nil") } });
}

std::string formatExitJoined(
    const Term &reason, const std::string &joiner, const std::function<bool(Atom)> &moduleAvailable)
{
    if (reason.isTuple(2) && reason[1].isCons()) {
        // {exception, stacktrace}: an error that ended a process.
        std::vector<std::string> lines;
        bool stacktrace = true;
        for (const auto &entry : reason[1].listElements()) {
            auto text = formatStackEntry(entry);
            if (!text) {
                stacktrace = false;
                break;
            }
            lines.push_back(std::move(*text));
        }
        if (stacktrace) {
            const Term error = reason[0].isAtom("undef") ? undefinedAt(reason[1].head(), moduleAvailable)
                                                         : reason[0];
            std::string out = "an exception was raised:" + joiner + formatBanner(ErrorKind::Error, error);
            for (const auto &l : lines) {
                out += joiner;
                out += "    ";
                out += l;
            }
            return out;
        }
    }
    if (reason.isTuple(2) && reason[1].isTuple(3) && reason[1][0].isAtom() && reason[1][1].isAtom()
        && reason[1][2].isProperList()) {
        const Term &mfa = reason[1];
        return "exited in: " + formatCall(mfa[0], mfa[1], mfa[2].listElements()) + joiner + "** (EXIT) "
            + formatExitJoined(reason[0], joiner + "    ", moduleAvailable);
    }
    return formatExitReason(reason);
}

} // namespace

// By value: the fields' terms are moved into the struct. NOLINTNEXTLINE(performance-unnecessary-value-param)
Term exceptionStruct(std::string_view module, std::vector<std::pair<std::string_view, Term>> fields)
{
    declareExceptionFields();
    std::vector<std::pair<Term, Term>> entries;
    entries.reserve(fields.size());
    for (auto &[k, v] : fields)
        entries.emplace_back(atom(k), std::move(v));
    return Term::structure(module, std::move(entries));
}

bool isException(const Term &term)
{
    const std::string_view name = exceptionName(term);
    if (name.empty())
        return false;
    for (const auto &m : exceptionModules())
        if (m.name == name)
            return true;
    return name.ends_with("Error") || name.ends_with("Exception");
}

Term normalizeError(const Term &reason)
{
    if (isException(reason))
        return reason;
    const Term nil = atom("nil");
    if (reason.isAtom()) {
        const std::string_view n = reason.asAtom().name();
        if (n == "badarith")
            return exceptionStruct(
                "ArithmeticError", { { "message", Term::binary("bad argument in arithmetic expression") } });
        if (n == "badarg")
            return exceptionStruct("ArgumentError", { { "message", Term::binary("argument error") } });
        if (n == "system_limit")
            return exceptionStruct(
                "SystemLimitError", { { "message", Term::binary("a system limit has been reached") } });
        if (n == "function_clause")
            return exceptionStruct("FunctionClauseError",
                { { "module", nil }, { "function", nil }, { "arity", nil }, { "kind", nil }, { "args", nil },
                    { "clauses", nil } });
        if (n == "cond_clause")
            return exceptionStruct("CondClauseError", {});
        if (n == "undef")
            return exceptionStruct("UndefinedFunctionError",
                { { "module", nil }, { "function", nil }, { "arity", nil }, { "reason", nil },
                    { "message", nil } });
    }
    if (reason.isTuple() && reason.tupleSize() >= 2 && reason[0].isAtom()) {
        const std::string_view tag = reason[0].asAtom().name();
        if (tag == "badmatch")
            return exceptionStruct("MatchError", { { "term", reason[1] } });
        if (tag == "case_clause")
            return exceptionStruct("CaseClauseError", { { "term", reason[1] } });
        if (tag == "with_clause")
            return exceptionStruct("WithClauseError", { { "term", reason[1] } });
        if (tag == "try_clause")
            return exceptionStruct("TryClauseError", { { "term", reason[1] } });
        if (tag == "badfun")
            return exceptionStruct("BadFunctionError", { { "term", reason[1] } });
        if (tag == "badmap")
            return exceptionStruct("BadMapError", { { "term", reason[1] } });
        if (tag == "badkey") {
            // {:badkey, key, term} with a term that is no map comes from term.field: Elixir
            // 1.14 then writes the message, with a hint about the dot.
            const Term term = reason.tupleSize() > 2 ? reason[2] : nil;
            const Term message = term.isMap() || isNilAtom(&term)
                ? nil
                : Term::binary("key " + reason[1].inspect() + " not found in: " + term.inspect()
                    + ". If you are using the dot syntax, such as map.field, make sure the left-hand side of the "
                      "dot is a map");
            return exceptionStruct("KeyError", { { "key", reason[1] }, { "term", term }, { "message", message } });
        }
        if (tag == "badarity" && reason[1].isTuple(2))
            return exceptionStruct(
                "BadArityError", { { "function", reason[1][0] }, { "args", reason[1][1] } });
        if (tag == "badbool" && reason.tupleSize() == 3)
            return exceptionStruct("BadBooleanError", { { "term", reason[2] }, { "operator", reason[1] } });
    }
    return exceptionStruct("ErlangError", { { "original", reason }, { "reason", nil } });
}

std::string exceptionMessage(const Term &e)
{
    const std::string_view name = exceptionName(e);
    const Term *message = field(e, "message");
    if (message != nullptr && message->isBinary())
        return std::string(message->asBinary());
    if (name == "RuntimeError")
        return "runtime error";
    if (name == "ArgumentError")
        return "argument error";
    if (name == "ArithmeticError")
        return "bad argument in arithmetic expression";
    if (name == "SystemLimitError")
        return "a system limit has been reached";
    if (name == "MatchError")
        return "no match of right hand side value: " + fieldInspect(e, "term");
    if (name == "CaseClauseError")
        return "no case clause matching: " + fieldInspect(e, "term");
    if (name == "WithClauseError")
        return "no with clause matching: " + fieldInspect(e, "term");
    if (name == "TryClauseError")
        return "no try clause matching: " + fieldInspect(e, "term");
    if (name == "CondClauseError")
        return "no cond clause evaluated to a truthy value";
    if (name == "BadFunctionError")
        return "expected a function, got: " + fieldInspect(e, "term");
    if (name == "BadMapError")
        return "expected a map, got: " + fieldInspect(e, "term");
    if (name == "BadBooleanError") {
        const Term *op = field(e, "operator");
        const std::string opText = op != nullptr && op->isAtom() ? std::string(op->asAtom().name()) : "";
        return "expected a boolean on left-side of \"" + opText + "\", got: " + fieldInspect(e, "term");
    }
    if (name == "BadArityError") {
        const Term *fun = field(e, "function");
        const Term *args = field(e, "args");
        const std::vector<Term> list = args != nullptr ? args->listElements() : std::vector<Term>{};
        std::string joined;
        for (size_t i = 0; i < list.size(); ++i)
            joined += (i == 0 ? "" : ", ") + list[i].inspect();
        const int arity = fun != nullptr && fun->isFunction() ? fun->asFunction()->arity() : 0;
        std::string count = list.empty() ? "no arguments"
            : list.size() == 1           ? "1 argument (" + joined + ")"
                                         : std::to_string(list.size()) + " arguments (" + joined + ")";
        return fieldInspect(e, "function") + " with arity " + std::to_string(arity) + " called with " + count;
    }
    if (name == "KeyError") {
        const Term *term = field(e, "term");
        std::string text = "key " + fieldInspect(e, "key") + " not found";
        if (!isNilAtom(term))
            text += " in: " + term->inspect();
        return text;
    }
    if (name == "FunctionClauseError") {
        const Term *module = field(e, "module");
        const Term *function = field(e, "function");
        const Term *arity = field(e, "arity");
        if (isNilAtom(function) && arity != nullptr && arity->isInteger())
            return "no function clause matching in anonymous fn/" + std::to_string(arity->asInteger());
        if (isNilAtom(module) || isNilAtom(function) || arity == nullptr || !arity->isInteger())
            return "no function clause matches";
        return "no function clause matching in "
            + formatMfa(*module, *function, static_cast<int>(arity->asInteger()));
    }
    if (name == "UndefinedFunctionError") {
        if (const Term *given = field(e, "message"); given != nullptr && given->isBinary())
            return std::string(given->asBinary());
        const Term *module = field(e, "module");
        const Term *function = field(e, "function");
        const Term *arity = field(e, "arity");
        if (isNilAtom(module) || isNilAtom(function) || arity == nullptr || !arity->isInteger())
            return "undefined function";
        const std::string mfa = formatMfa(*module, *function, static_cast<int>(arity->asInteger()));
        const Term *reason = field(e, "reason");
        if (reason != nullptr && reason->isAtom("module could not be loaded"))
            return "function " + mfa + " is undefined (module " + moduleText(module->asAtom())
                + " is not available)";
        return "function " + mfa + " is undefined or private";
    }
    if (name == "ErlangError")
        return "Erlang error: " + fieldInspect(e, "original");
    if (name == "Protocol.UndefinedError") {
        const Term *value = field(e, "value");
        const Term *description = field(e, "description");
        std::string text = "protocol " + fieldInspect(e, "protocol") + " not implemented for "
            + fieldInspect(e, "value") + " of type " + (value != nullptr ? elixirTypeName(*value) : "Atom");
        if (description != nullptr && description->isBinary() && !description->asBinary().empty())
            text += ", " + std::string(description->asBinary());
        return text;
    }
    if (name == "Enum.EmptyError")
        return "empty error";
    if (name == "Enum.OutOfBoundsError")
        return "out of bounds error";
    return e.inspect();
}

namespace {
// {Module, :fun, args, location} -> FunctionClauseError for a raw :function_clause.
Term functionClauseAt(const Term &entry)
{
    const Term nil = atom("nil");
    return exceptionStruct("FunctionClauseError",
        { { "module", entry[0] }, { "function", entry[1] },
            { "arity", entry[2].isList() ? Term::integer(static_cast<int64_t>(entry[2].listElements().size())) : entry[2] },
            { "kind", nil }, { "args", nil }, { "clauses", nil } });
}
} // namespace

std::string formatExit(const Term &reason, const std::function<bool(Atom)> &moduleAvailable)
{
    return formatExitJoined(reason, "\n    ", moduleAvailable);
}

std::string formatTerminateReason(const Term &reason, const std::function<bool(Atom)> &moduleAvailable)
{
    if (reason.isTuple(2) && reason[1].isCons()) {
        std::string frames;
        bool stacktrace = true;
        for (const auto &entry : reason[1].listElements()) {
            auto text = formatStackEntry(entry);
            if (!text) {
                stacktrace = false;
                break;
            }
            frames += "\n    " + *text;
        }
        if (stacktrace) {
            const Term &error = reason[0];
            const Term &top = reason[1].head();
            Term exception = error;
            if (!isException(error)) {
                if (error.isAtom("undef") && top.isTuple(4) && top[0].isAtom() && top[1].isAtom())
                    exception = undefinedAt(top, moduleAvailable);
                else if (error.isAtom("function_clause") && top.isTuple(4))
                    exception = functionClauseAt(top);
                else
                    exception = normalizeError(error);
                if (exceptionName(exception) == "ErlangError")
                    return "** (stop) " + formatExit(error, moduleAvailable) + frames;
            }
            return "** (" + std::string(exceptionName(exception)) + ") " + exceptionMessage(exception) + frames;
        }
    }
    return "** (stop) " + formatExit(reason, moduleAvailable);
}

std::string formatBanner(ErrorKind kind, const Term &reason, std::string_view blame)
{
    switch (kind) {
    case ErrorKind::Error: {
        const Term e = normalizeError(reason);
        return "** (" + std::string(exceptionName(e)) + ") " + exceptionMessage(e) + std::string(blame);
    }
    case ErrorKind::Throw:
        return "** (throw) " + reason.inspect();
    case ErrorKind::Exit:
        return "** (exit) " + formatExit(reason);
    }
    return {};
}

Term ScriptException::normalized() const
{
    if (m_kind == ErrorKind::Error && !m_exception.isNil())
        return m_exception;
    if (m_kind == ErrorKind::Error && m_reason.isAtom("function_clause") && m_stackTop.isTuple(4))
        return functionClauseAt(m_stackTop);
    return m_kind == ErrorKind::Error ? normalizeError(m_reason) : m_reason;
}

std::string ScriptException::banner() const
{
    if (m_kind == ErrorKind::Error && !m_exception.isNil())
        return formatBanner(m_kind, m_exception, m_blame);
    if (m_kind == ErrorKind::Error && m_reason.isAtom("function_clause") && m_stackTop.isTuple(4))
        return formatBanner(m_kind, functionClauseAt(m_stackTop), m_blame);
    return formatBanner(m_kind, m_reason, m_blame);
}

UncaughtOutcome uncaughtOutcome(const ScriptException &e)
{
    const Term &r = e.reason();
    if (e.kind() == ErrorKind::Exit) {
        if (r.isAtom("normal") || r.isAtom("shutdown"))
            return { {}, 0 };
        if (r.isTuple(2) && r[0].isAtom("shutdown"))
            return { {}, r[1].isInteger() ? static_cast<int>(r[1].asInteger()) : 0 };
    }
    return { e.banner(), 1 };
}

std::string stackLine(const ScriptException &e, std::string_view file)
{
    const Term &top = e.stackTop();
    if (top.isTuple(4) && top[0].isAtom() && top[1].isAtom()) {
        std::string where(file);
        int64_t line = 0;
        for (const Term &kv : top[3].isList() ? top[3].listElements() : std::vector<Term>{}) {
            if (kv.isTuple(2) && kv[0].isAtom("file") && kv[1].isProperList()) {
                where.clear();
                for (const Term &c : kv[1].listElements())
                    if (c.isInteger() && c.asInteger() >= 0 && c.asInteger() <= 0x10FFFF)
                        utf8::append(where, static_cast<uint32_t>(c.asInteger()));
            }
            if (kv.isTuple(2) && kv[0].isAtom("line") && kv[1].isInteger())
                line = kv[1].asInteger();
        }
        const int64_t arity
            = top[2].isInteger() ? top[2].asInteger() : static_cast<int64_t>(top[2].listElements().size());
        return "    " + where + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": "
            + moduleText(top[0].asAtom()) + "." + std::string(top[1].asAtom().name()) + "/" + std::to_string(arity);
    }
    if (e.pos())
        return "    " + std::string(file) + ":" + std::to_string(e.pos()->line) + ": (file)";
    return {};
}

bool isQuietExit(const ScriptException &e)
{
    return uncaughtOutcome(e).banner.empty();
}

Term processExitReason(const ScriptException &e, std::string_view file)
{
    if (e.kind() == ErrorKind::Exit)
        return e.reason();
    // A one-entry stacktrace naming the script, so that Exception.format_exit recognizes
    // {exception, stacktrace} as an error, as it does for real Elixir.
    std::vector<Term> location;
    if (!file.empty())
        location.push_back(Term::tuple({ atom("file"), Term::charlist(file) }));
    if (e.pos())
        location.push_back(Term::tuple({ atom("line"), Term::integer(e.pos()->line) }));
    std::vector<Term> entries;
    if (e.undefinedCall().isTuple(4))
        entries.push_back(e.undefinedCall());
    if (e.stackTop().isTuple(4))
        entries.push_back(e.stackTop());
    entries.push_back(Term::tuple({ atom("elixir_eval"), atom("__FILE__"), Term::integer(1), Term::list(location) }));
    const Term stacktrace = Term::list(entries);
    if (e.kind() == ErrorKind::Throw)
        return Term::tuple({ Term::tuple({ atom("nocatch"), e.reason() }), stacktrace });
    return Term::tuple({ e.reason(), stacktrace });
}

void raise(Term exceptionOrReason)
{
    throw ScriptException(ErrorKind::Error, std::move(exceptionOrReason));
}

void raiseArgumentError(std::string message)
{
    raise(exceptionStruct("ArgumentError", { { "message", Term::binary(std::move(message)) } }));
}

void raiseBadArgument(int argumentNumber, std::string_view problem)
{
    // A BIF's error: `catch` sees the raw :badarg, `rescue` the ArgumentError with the detail.
    ScriptException e(ErrorKind::Error, atom("badarg"));
    e.setException(exceptionStruct("ArgumentError",
        { { "message",
            Term::binary("errors were found at the given arguments:\n\n  * " + ordinal(argumentNumber)
                + " argument: " + std::string(problem) + "\n") } }));
    throw e;
}

ScriptException undefinedFunction(Atom module, Atom function, int arity, Term reasonField, const std::vector<Term> *args)
{
    ScriptException e(ErrorKind::Error, atom("undef"));
    e.setException(exceptionStruct("UndefinedFunctionError",
        { { "module", Term(module) }, { "function", Term(function) }, { "arity", Term::integer(arity) },
            { "reason", std::move(reasonField) }, { "message", atom("nil") } }));
    e.setUndefinedCall(Term::tuple({ Term(module), Term(function),
        args != nullptr ? Term::list(*args) : Term::integer(arity), Term::list({}) }));
    return e;
}

void raiseUndefinedFunction(Atom module, Atom function, int arity, bool moduleAvailable, const std::vector<Term> *args)
{
    throw undefinedFunction(
        module, function, arity, atom(moduleAvailable ? "function not exported" : "module could not be loaded"), args);
}

void raiseFunctionClause(std::string_view module, std::string_view function, int arity)
{
    // As the BEAM: `catch` sees the raw :function_clause, `rescue` the FunctionClauseError.
    const Term nil = atom("nil");
    ScriptException e(ErrorKind::Error, atom("function_clause"));
    e.setException(exceptionStruct("FunctionClauseError",
        { { "module", atom("Elixir." + std::string(module)) }, { "function", atom(function) },
            { "arity", Term::integer(arity) }, { "kind", nil }, { "args", nil }, { "clauses", nil } }));
    throw e;
}

void raiseProtocolUndefined(std::string_view protocol, const Term &value)
{
    raise(exceptionStruct("Protocol.UndefinedError",
        { { "protocol", atom("Elixir." + std::string(protocol)) }, { "value", value },
            { "description", Term::binary("") } }));
}

void throwValue(Term value)
{
    throw ScriptException(ErrorKind::Throw, std::move(value));
}

void exitWith(Term reason)
{
    throw ScriptException(ErrorKind::Exit, std::move(reason));
}

std::string elixirTypeName(const Term &value)
{
    switch (value.kind()) {
    case TermKind::Integer:
        return "Integer";
    case TermKind::Float:
        return "Float";
    case TermKind::Atom:
        return "Atom";
    case TermKind::Reference:
        return "Reference";
    case TermKind::Function:
        return "Function";
    case TermKind::Pid:
        return "PID";
    case TermKind::Tuple:
        return "Tuple";
    case TermKind::Map:
        return value.structModule() != nullptr ? moduleText(value.structModule()->asAtom()) + " (a struct)"
                                               : "Map";
    case TermKind::Nil:
    case TermKind::Cons:
        return "List";
    case TermKind::Binary:
        return "BitString";
    }
    return "Term";
}

std::string moduleText(Atom module)
{
    return Term(module).inspect();
}

std::string formatCall(const Term &module, const Term &function, const std::vector<Term> &args)
{
    std::string out = moduleText(module.asAtom()) + "." + std::string(function.asAtom().name()) + "(";
    for (size_t i = 0; i < args.size(); ++i)
        out += (i == 0 ? "" : ", ") + args[i].inspect();
    return out + ")";
}

} // namespace mailroom::script
