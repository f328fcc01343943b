// SPDX-License-Identifier: MIT
#include "script/script_genserver.h"

#include "script/exceptions.h"
#include "script/interpreter.h"

namespace mailroom::script {

namespace {

Atom callbackAtom(const char *name)
{
    return Atom::intern(name);
}

// Interned once: Atom::intern takes a global lock.
const Atom &initAtom()
{
    static const Atom a = callbackAtom("init");
    return a;
}
const Atom &handleCallAtom()
{
    static const Atom a = callbackAtom("handle_call");
    return a;
}
const Atom &handleCastAtom()
{
    static const Atom a = callbackAtom("handle_cast");
    return a;
}
const Atom &handleInfoAtom()
{
    static const Atom a = callbackAtom("handle_info");
    return a;
}
const Atom &handleContinueAtom()
{
    static const Atom a = callbackAtom("handle_continue");
    return a;
}
const Atom &terminateAtom()
{
    static const Atom a = callbackAtom("terminate");
    return a;
}

Term otpFrame(const char *module, const char *function, int arity, const char *file, int line)
{
    return Term::tuple({ Term::atom(module), Term::atom(function), Term::integer(arity),
        Term::list({ Term::tuple({ Term::atom("file"), Term::charlist(file) }),
            Term::tuple({ Term::atom("line"), Term::integer(line) }) }) });
}

// The frames below a callback that gen_server's init runs, as OTP 25 reports them. Built
// at each crash, not kept in a static: a static term would be freed at exit, after the
// exiting thread's term reclaimer is gone.
Term initFrames()
{
    return Term::list({ otpFrame("gen_server", "init_it", 2, "gen_server.erl", 851),
        otpFrame("gen_server", "init_it", 6, "gen_server.erl", 814),
        otpFrame("proc_lib", "init_p_do_apply", 3, "proc_lib.erl", 240) });
}

// The frames below a callback once the server runs, as OTP 25 (stdlib 4.2) reports them:
// each callback is reached through its own path in gen_server.
Term callbackFrames(Atom function)
{
    if (function == initAtom())
        return initFrames();
    const Term bottom = otpFrame("proc_lib", "init_p_do_apply", 3, "proc_lib.erl", 240);
    if (function == handleCallAtom())
        return Term::list({ otpFrame("gen_server", "try_handle_call", 4, "gen_server.erl", 1149),
            otpFrame("gen_server", "handle_msg", 6, "gen_server.erl", 1178), bottom });
    if (function == handleContinueAtom())
        return Term::list({ otpFrame("gen_server", "try_dispatch", 4, "gen_server.erl", 1123),
            otpFrame("gen_server", "loop", 7, "gen_server.erl", 865), bottom });
    if (function == terminateAtom())
        return Term::list({ otpFrame("gen_server", "try_terminate", 3, "gen_server.erl", 1161),
            otpFrame("gen_server", "terminate", 10, "gen_server.erl", 1351), bottom });
    return Term::list({ otpFrame("gen_server", "try_dispatch", 4, "gen_server.erl", 1123),
        otpFrame("gen_server", "handle_msg", 6, "gen_server.erl", 1200), bottom });
}

// The stacktrace an error in callback `function` leaves: the script's frames (the undefined
// function it called, the function no clause of which matched, the module functions it
// left), then gen_server's; at most 8 entries, as the BEAM's backtrace_depth.
Term callbackStacktrace(Atom function, const ScriptException &e)
{
    std::vector<Term> frames;
    if (e.undefinedCall().isTuple(4))
        frames.push_back(e.undefinedCall());
    if (e.stackTop().isTuple(4) && (e.frames().empty() || !(e.frames().front() == e.stackTop())))
        frames.push_back(e.stackTop());
    frames.insert(frames.end(), e.frames().begin(), e.frames().end());
    for (const Term &frame : callbackFrames(function).listElements())
        frames.push_back(frame);
    frames.resize(std::min(frames.size(), ScriptException::kMaxFrames));
    return Term::list(frames);
}

// A stacktrace whose bottom is gen_server's init: `top` (a frame or nothing), then OTP's.
Term initStacktrace(const Term &top)
{
    return top.isTuple(4) ? Term::list({ top }, initFrames()) : initFrames();
}

/// The line of a stack entry {Module, fun, arity, [file: f, line: n]} when it is in `module`,
/// else 0: where a callback failed in its module's source.
uint32_t lineIn(const Term &entry, Atom module)
{
    if (!entry.isTuple(4) || !entry[0].isAtom() || entry[0].asAtom() != module || !entry[3].isList())
        return 0;
    for (const Term &kv : entry[3].listElements())
        if (kv.isTuple(2) && kv[0].isAtom("line") && kv[1].isInteger() && kv[1].asInteger() > 0
            && kv[1].asInteger() <= INT32_MAX)
            return static_cast<uint32_t>(kv[1].asInteger());
    return 0;
}

// Where a callback failed in `module`'s source: the innermost of its frames in that module,
// so that a crash inside another module's function marks the line that called it.
uint32_t failedLineIn(const ScriptException &e, Atom module)
{
    for (const Term &frame : e.frames())
        if (const uint32_t line = lineIn(frame, module); line > 0)
            return line;
    return lineIn(e.stackTop(), module);
}

} // namespace

ScriptGenServer::ScriptGenServer(std::shared_ptr<ScriptHost> host, Atom module)
    : m_host(std::move(host))
    , m_module(module)
    , m_name(module.name().starts_with("Elixir.") ? std::string(module.name().substr(7)) : std::string(module.name()))
{
}

std::optional<Term> ScriptGenServer::invoke(Atom function, std::vector<Term> args) const
{
    const auto module = m_host->modules().find(m_module);
    const FunctionDef *f = module ? module->find(function, static_cast<int>(args.size())) : nullptr;
    if (f == nullptr || f->isPrivate)
        return std::nullopt;
    // The clause that matched goes into the record with the handler's begin (GenServer::clauseChosen).
    struct Listener final : ClauseListener {
        explicit Listener(const ScriptGenServer &server)
            : m_server(server)
        {
        }
        void clauseChosen(const DefNode &clause) override { m_server.clauseChosen(clause.pos.line); }
        const ScriptGenServer &m_server;
    } listener(*this);
    try {
        Interpreter interpreter(*m_host, module->file);
        return interpreter.callModuleFunction(module, *f, std::move(args), &listener);
    } catch (const ScriptException &e) {
        const uint32_t line = failedLineIn(e, m_module);
        if (e.kind() == ErrorKind::Throw) {
            failedAt(line);
            return e.reason(); // gen_server takes a thrown value as the callback's result
        }
        if (function == initAtom() && e.kind() == ErrorKind::Error)
            throw ProcessExit(Term::tuple({ e.reason(), initStacktrace(e.stackTop()) }));
        const Term stacktrace = callbackStacktrace(function, e);
        if (e.kind() == ErrorKind::Exit) {
            // The server exits with the reason as given; OTP's report adds where it was raised.
            failedAt(line, Term::tuple({ e.reason(), stacktrace }));
            throw ProcessExit(e.reason());
        }
        // The report names the exception as `rescue` would see it (the detail of a BIF's
        // ArgumentError, which OTP keeps in the stacktrace's error_info); a reason that is no
        // exception stays raw, to be shown as an exit.
        const Term normalized = e.normalized();
        const bool erlangError = normalized.structModule() != nullptr
            && normalized.structModule()->asAtom().name() == "Elixir.ErlangError";
        failedAt(line, Term::tuple({ erlangError ? e.reason() : normalized, stacktrace }));
        throw ProcessExit(Term::tuple({ e.reason(), stacktrace }));
    }
}

bool ScriptGenServer::usesGenServer() const
{
    const auto module = m_host->modules().find(m_module);
    return module && module->usesGenServer;
}

void ScriptGenServer::undefined(Atom function, const std::vector<Term> &args) const
{
    const Term top = Term::tuple({ Term(m_module), Term(function), Term::list(args), Term() });
    throw ProcessExit(
        Term::tuple({ Term::atom("undef"), function == initAtom() ? initStacktrace(top) : Term::list({ top }) }));
}

void ScriptGenServer::noDefaultClause(std::string_view what, std::string_view callback) const
{
    const Pid self = proc::self();
    const auto name = proc::runtime().registeredName(self);
    const std::string server = name ? Term(*name).inspect() : Term(self).inspect();
    const Term error = exceptionStruct("RuntimeError",
        { { "message",
            Term::binary("attempted to " + std::string(what) + " GenServer " + server + " but no "
                + std::string(callback) + " clause was provided") } });
    const bool call = what == "call";
    const Term stacktrace = Term::list({ Term::tuple({ Term(m_module), Term(call ? handleCallAtom() : handleCastAtom()),
        Term::integer(call ? 3 : 2),
        Term::list({ Term::tuple({ Term::atom("file"), Term::charlist("lib/gen_server.ex") }) }) }) });
    throw ProcessExit(Term::tuple({ error, stacktrace }));
}

Term ScriptGenServer::init(const Term &arg)
{
    if (auto result = invoke(initAtom(), { arg }))
        return *result;
    // `use GenServer` injects init(arg) -> {:ok, arg} into a module without any init/1.
    const auto module = m_host->modules().find(m_module);
    if (module && module->usesGenServer && module->find(initAtom(), 1) == nullptr)
        return Term::tuple({ Term::atom("ok"), arg });
    undefined(initAtom(), { arg });
}

Term ScriptGenServer::handleCall(const Term &request, const Term &from, const Term &state)
{
    if (auto result = invoke(handleCallAtom(), { request, from, state }))
        return *result;
    if (usesGenServer())
        noDefaultClause("call", "handle_call/3");
    undefined(handleCallAtom(), { request, from, state });
}

Term ScriptGenServer::handleCast(const Term &request, const Term &state)
{
    if (auto result = invoke(handleCastAtom(), { request, state }))
        return *result;
    if (usesGenServer())
        noDefaultClause("cast", "handle_cast/2");
    undefined(handleCastAtom(), { request, state });
}

Term ScriptGenServer::handleInfo(const Term &message, const Term &state)
{
    if (auto result = invoke(handleInfoAtom(), { message, state }))
        return *result;
    // use GenServer's default logs the message and goes on. gen_server itself, for a module
    // without handle_info/2 and without `use GenServer`, logs a warning that Elixir's Logger
    // does not show, and goes on. A module whose clauses do not match crashes instead
    // (FunctionClauseError from invoke).
    if (!usesGenServer())
        return Term::tuple({ Term::atom("noreply"), state });
    throw NoClause();
}

Term ScriptGenServer::handleContinue(const Term &continuation, const Term &state)
{
    if (auto result = invoke(handleContinueAtom(), { continuation, state }))
        return *result;
    undefined(handleContinueAtom(), { continuation, state });
}

void ScriptGenServer::terminate(const Term &reason, const Term &state)
{
    (void)invoke(terminateAtom(), { reason, state }); // optional, as in gen_server
}

} // namespace mailroom::script
