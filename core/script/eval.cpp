#include "script/eval.h"
#include "script/builtins.h"

#include "script/checker.h"
#include "script/interpreter.h"
#include "script/unsupported.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_set>

namespace mailroom::script {

namespace {

Term atom(std::string_view name)
{
    return Term::atom(name);
}

// &1..&9 are bound as variables with these names while a capture's body runs.
Atom captureArgName(int index)
{
    static const std::array<Atom, 10> names = [] {
        std::array<Atom, 10> a {};
        for (int i = 0; i < 10; ++i)
            a[static_cast<size_t>(i)] = Atom::intern("&" + std::to_string(i));
        return a;
    }();
    if (index >= 0 && index < 10)
        return names[static_cast<size_t>(index)];
    return Atom::intern("&" + std::to_string(index));
}

[[noreturn]] void raiseArithmetic(std::string blame)
{
    ScriptException e(ErrorKind::Error, atom("badarith"));
    e.setBlame(": " + blame);
    throw e;
}

[[noreturn]] void raiseBadBool(Atom op, const Term &lhs)
{
    raise(Term::tuple({ atom("badbool"), Term(op), lhs }));
}

[[noreturn, gnu::noinline]] void raiseNoClause(int arity)
{
    const Term nil = atom("nil");
    raise(exceptionStruct("FunctionClauseError",
        { { "module", nil }, { "function", nil }, { "arity", Term::integer(arity) }, { "kind", nil },
            { "args", nil }, { "clauses", nil } }));
}

// BadFunctionError / BadArityError unless `function` takes `args`.
void checkCallable(const Term &function, const std::vector<Term> &args)
{
    if (!function.isFunction())
        raise(Term::tuple({ atom("badfun"), function }));
    if (function.asFunction()->arity() != static_cast<int>(args.size()))
        raise(Term::tuple({ atom("badarity"), Term::tuple({ function, Term::list(args) }) }));
}

[[noreturn]] void raiseOverflow()
{
    raise(exceptionStruct("SystemLimitError",
        { { "message", Term::binary("integer overflow: Mailroom's integers are 64-bit") } }));
}

Term checkedFloat(double v, const std::string &blame)
{
    if (!std::isfinite(v))
        raiseArithmetic(blame);
    return Term::floating(v);
}

std::string binaryBlame(const Term &a, std::string_view op, const Term &b)
{
    return a.inspect() + " " + std::string(op) + " " + b.inspect();
}

Term arithmetic(std::string_view op, const Term &a, const Term &b)
{
    if (!a.isNumber() || !b.isNumber())
        raiseArithmetic(binaryBlame(a, op, b));
    if (op == "/") {
        if (b.asNumber() == 0.0)
            raiseArithmetic(binaryBlame(a, op, b));
        return checkedFloat(a.asNumber() / b.asNumber(), binaryBlame(a, op, b));
    }
    if (a.isInteger() && b.isInteger()) {
        int64_t r = 0;
        bool overflow = false;
        if (op == "+")
            overflow = __builtin_add_overflow(a.asInteger(), b.asInteger(), &r);
        else if (op == "-")
            overflow = __builtin_sub_overflow(a.asInteger(), b.asInteger(), &r);
        else
            overflow = __builtin_mul_overflow(a.asInteger(), b.asInteger(), &r);
        if (overflow)
            raiseOverflow();
        return Term::integer(r);
    }
    const double x = a.asNumber();
    const double y = b.asNumber();
    const double r = op == "+" ? x + y : (op == "-" ? x - y : x * y);
    return checkedFloat(r, binaryBlame(a, op, b));
}

Term power(const Term &a, const Term &b)
{
    if (!a.isNumber() || !b.isNumber())
        raiseArithmetic(binaryBlame(a, "**", b));
    if (a.isInteger() && b.isInteger()) {
        if (b.asInteger() < 0)
            raiseArithmetic(binaryBlame(a, "**", b));
        int64_t result = 1;
        int64_t base = a.asInteger();
        int64_t exp = b.asInteger();
        while (exp > 0) {
            if ((exp & 1) != 0 && __builtin_mul_overflow(result, base, &result))
                raiseOverflow();
            exp >>= 1;
            if (exp > 0 && __builtin_mul_overflow(base, base, &base))
                raiseOverflow();
        }
        return Term::integer(result);
    }
    return checkedFloat(std::pow(a.asNumber(), b.asNumber()), binaryBlame(a, "**", b));
}

bool listContainsExact(const Term &list, const Term &value)
{
    for (const Term *cell = &list; cell->isCons(); cell = &cell->tail())
        if (Term::compareExact(cell->head(), value) == 0)
            return true;
    return false;
}

// %Range{} as Elixir 1.14 builds it.
Term makeRange(int64_t first, int64_t last, int64_t step)
{
    return Term::structure("Range",
        { { atom("first"), Term::integer(first) }, { atom("last"), Term::integer(last) },
            { atom("step"), Term::integer(step) } });
}

bool isRange(const Term &t)
{
    const Term *m = t.structModule();
    return m != nullptr && m->isAtom("Elixir.Range");
}

} // namespace

// Default fields of the structs the evaluator itself knows: exceptions and Range.
std::optional<Term> builtinStructDefaults(Atom module)
{
    const std::string_view name = module.name();
    if (name == "Elixir.Range")
        return Term::structure("Range",
            { { atom("first"), atom("nil") }, { atom("last"), atom("nil") }, { atom("step"), atom("nil") } });
    if (!name.starts_with("Elixir."))
        return std::nullopt;
    const std::string_view short_ = name.substr(7);
    const Term probe = Term::structure(short_, {});
    if (!isException(probe))
        return std::nullopt;
    // Build from the normalized empty exception so that every field is present.
    static const std::vector<std::pair<std::string_view, std::string_view>> defaultMessages = {
        { "RuntimeError", "runtime error" },
        { "ArgumentError", "argument error" },
        { "ArithmeticError", "bad argument in arithmetic expression" },
        { "SystemLimitError", "a system limit has been reached" },
        { "Enum.EmptyError", "empty error" },
        { "Enum.OutOfBoundsError", "out of bounds error" },
    };
    for (const auto &[mod, message] : defaultMessages)
        if (mod == short_)
            return exceptionStruct(mod, { { "message", Term::binary(std::string(message)) } });
    const Term nil = atom("nil");
    if (short_ == "MatchError" || short_ == "CaseClauseError" || short_ == "WithClauseError"
        || short_ == "TryClauseError" || short_ == "BadFunctionError" || short_ == "BadMapError")
        return exceptionStruct(short_, { { "term", nil } });
    if (short_ == "CondClauseError")
        return exceptionStruct(short_, {});
    if (short_ == "KeyError")
        return exceptionStruct(short_, { { "key", nil }, { "term", nil }, { "message", nil } });
    if (short_ == "ErlangError")
        return exceptionStruct(short_, { { "original", nil }, { "reason", nil } });
    return std::nullopt;
}

Term exceptionFromModule(Atom module, const Term &arg)
{
    auto defaults = builtinStructDefaults(module);
    if (!defaults || module.name() == "Elixir.Range")
        raiseUndefinedFunction(module, Atom::intern("exception"), 1, false);
    Term e = *defaults;
    if (arg.isBinary())
        return e.mapPut(atom("message"), arg);
    if (arg.isList()) {
        for (const auto &kv : arg.listElements()) {
            if (!kv.isTuple(2) || !kv[0].isAtom())
                raiseArgumentError(
                    "expected a keyword list as the second argument of raise, got: " + arg.inspect());
            if (e.mapFind(kv[0]) == nullptr)
                raise(Term::tuple({ atom("badkey"), kv[0], e }));
            e = e.mapPut(kv[0], kv[1]);
        }
        return e;
    }
    raiseArgumentError(
        "expected a keyword list or a string as the second argument of raise, got: " + arg.inspect());
}

// Env ------------------------------------------------------------------------------------

Bindings Env::snapshot() const
{
    Bindings out;
    std::unordered_set<uint32_t> seen;
    for (size_t i = m_vars.size(); i-- > 0;)
        if (seen.insert(m_vars[i].first.id()).second)
            out.push_back(m_vars[i]);
    std::reverse(out.begin(), out.end());
    return out;
}

// Function values ---------------------------------------------------------------------------

Closure::Closure(NodePtr node, Bindings captured, std::weak_ptr<ScriptHost> host,
    std::shared_ptr<const std::string> file, std::shared_ptr<const ModuleDef> module)
    : m_node(std::move(node))
    , m_captured(std::move(captured))
    , m_host(std::move(host))
    , m_file(std::move(file))
    , m_module(std::move(module))
{
}

int Closure::arity() const
{
    return m_node->kind == NodeKind::Fn ? m_node->as<FnNode>().arity : m_node->as<CaptureNode>().arity;
}

std::string Closure::describe() const
{
    // Elixir prints #Function<INDEX.HASH in file:FILE>; ours names the fn's line and column.
    return std::to_string(m_node->pos.line) + "." + std::to_string(m_node->pos.col) + " in file:" + *m_file;
}

Term Closure::call(const std::vector<Term> &args) const
{
    const std::shared_ptr<ScriptHost> host = m_host.lock();
    if (!host)
        throw std::logic_error("a script function was called after its script host was destroyed");
    Interpreter interpreter(*host, m_file);
    return interpreter.applyClosure(*this, args);
}

std::string FunctionRef::describe() const
{
    const std::string module = m_module == kernelModule() ? std::string() : moduleText(m_module) + ".";
    return "&" + module + std::string(m_function.name()) + "/" + std::to_string(m_arity);
}

Term FunctionRef::call(const std::vector<Term> &args) const
{
    const std::shared_ptr<ScriptHost> host = m_host.lock();
    if (!host)
        throw std::logic_error("a script function was called after its script host was destroyed");
    Interpreter interpreter(*host, std::make_shared<const std::string>("nofile"));
    std::vector<Term> copy = args;
    return interpreter.callRemote(m_module, m_function, copy, m_local);
}

// Interpreter --------------------------------------------------------------------------------

Interpreter::Interpreter(ScriptHost &host, std::shared_ptr<const std::string> file)
    : m_host(host)
    , m_hostRef(host.weak_from_this())
    , m_file(std::move(file))
    , m_stack(host.stackBudget())
{
}

namespace {
[[noreturn, gnu::noinline]] void raiseStackExhausted()
{
    raise(exceptionStruct("SystemLimitError",
        { { "message",
            Term::binary("a system limit has been reached: calls nested too deeply "
                         "(a function that calls itself must do so as its last step to "
                         "loop without limit)") } }));
}
} // namespace

void Interpreter::checkStack() const
{
    if (m_stack.exceeded())
        raiseStackExhausted();
}

Term Interpreter::evalRoot(const Node &root, Env &env)
{
    return eval(root, env);
}

std::vector<Term> Interpreter::evalArgs(const std::vector<NodePtr> &args, Env &env)
{
    std::vector<Term> out;
    out.reserve(args.size());
    for (const auto &a : args)
        out.push_back(eval(*a, env));
    return out;
}

Term Interpreter::makeClosure(const NodePtr &node, Env &env)
{
    return Term::function(new Closure(node, env.snapshot(), m_hostRef, m_file, m_module));
}

Term Interpreter::apply(const Term &function, std::vector<Term> args)
{
    checkCallable(function, args);
    const FunctionValue *fv = function.asFunction();
    if (const auto *closure = dynamic_cast<const Closure *>(fv))
        return applyClosure(*closure, std::move(args));
    if (const auto *ref = dynamic_cast<const FunctionRef *>(fv))
        return callRemote(ref->module(), ref->function(), args, ref->local());
    tick();
    return fv->call(args);
}

namespace {

// Restores the interpreter's current module when a call into another one ends.
class ModuleRestore {
public:
    explicit ModuleRestore(std::shared_ptr<const ModuleDef> &slot)
        : m_slot(slot)
        , m_saved(slot)
    {
    }
    ~ModuleRestore() { m_slot = std::move(m_saved); }
    ModuleRestore(const ModuleRestore &) = delete;
    ModuleRestore &operator=(const ModuleRestore &) = delete;

private:
    std::shared_ptr<const ModuleDef> &m_slot;
    std::shared_ptr<const ModuleDef> m_saved;
};

// A stacktrace entry {Module, :fun, arity or args, [file: 'f', line: n]}.
Term stackEntry(const ModuleDef &module, const FunctionDef &function, Term arityOrArgs, uint32_t line)
{
    std::vector<Term> location { Term::tuple({ atom("file"), Term::charlist(module.file ? *module.file : "nofile") }) };
    if (line > 0)
        location.push_back(Term::tuple({ atom("line"), Term::integer(line) }));
    return Term::tuple({ Term(module.name), Term(function.name), std::move(arityOrArgs), Term::list(location) });
}

} // namespace

Term Interpreter::applyClosure(const Closure &closure, std::vector<Term> args)
{
    ModuleRestore restore(m_module);
    m_module = closure.module();
    TailCall tail;
    Term result = stepClosure(closure, args, tail);
    if (!tail.pending)
        return result;
    return trampoline(std::move(tail));
}

Term Interpreter::trampoline(TailCall call)
{
    ModuleRestore restore(m_module);
    for (;;) {
        TailCall tail;
        Term result;
        if (call.def != nullptr) {
            m_module = call.module;
            result = stepDef(*call.def, call.args, tail);
        } else {
            checkCallable(call.function, call.args);
            const auto *closure = dynamic_cast<const Closure *>(call.function.asFunction());
            if (closure == nullptr)
                return apply(call.function, std::move(call.args));
            m_module = closure->module();
            result = stepClosure(*closure, call.args, tail);
        }
        if (!tail.pending)
            return result;
        call = std::move(tail); // the next function stays alive through `call`
    }
}

Term Interpreter::stepClosure(const Closure &closure, std::vector<Term> &args, TailCall &tail)
{
    checkStack();
    tick();
    Env env;
    env.assign(closure.captured());
    const Node &node = closure.node();
    if (node.kind == NodeKind::Fn) {
        const auto &fn = node.as<FnNode>();
        for (const Clause &clause : fn.clauses) {
            const size_t mark = env.size();
            if (matchClause(clause, args, env))
                return eval(*clause.body, env, &tail);
            env.truncate(mark);
        }
        raiseNoClause(fn.arity);
    }
    const auto &capture = node.as<CaptureNode>();
    for (size_t i = 0; i < args.size(); ++i)
        env.bind(captureArgName(static_cast<int>(i) + 1), args[i]);
    return eval(*capture.body, env, &tail);
}

Term Interpreter::stepDef(const FunctionDef &called, std::vector<Term> &args, TailCall &tail)
{
    checkStack();
    tick();
    const FunctionDef *function = &called;
    if (const DefNode *head = called.defaultsOf) {
        // Given k of n arguments: the first (defaults - (n - k)) defaults come from the
        // call, the rest are evaluated, left to right.
        int given = head->defaultCount() - (head->arity() - static_cast<int>(args.size()));
        std::vector<Term> full;
        full.reserve(static_cast<size_t>(head->arity()));
        size_t next = 0;
        Env none;
        for (size_t i = 0; i < head->defaults.size(); ++i) {
            if (!head->defaults[i] || given-- > 0)
                full.push_back(args[next++]);
            else
                full.push_back(eval(*head->defaults[i], none));
        }
        args = std::move(full);
        function = m_module->find(head->name, head->arity());
        if (function == nullptr || function->clauses.empty())
            raiseUndefinedFunction(m_module->name, head->name, head->arity(), true);
    }
    Env env;
    try {
        for (const DefNode *d : function->clauses) {
            const size_t mark = env.size();
            if (matchClause(d->clause, args, env))
                return eval(*d->clause.body, env, &tail);
            env.truncate(mark);
        }
    } catch (ScriptException &e) {
        // Compiled module code reports no "1 + :a" blame; the frame names the function.
        if (e.stackTop().isNil()) {
            if (e.reason().isAtom("badarith"))
                e.setBlame({});
            e.setStackTopIfUnknown(stackEntry(*m_module, *function, Term::integer(function->arity),
                e.pos() ? e.pos()->line : 0));
        }
        throw;
    }
    ScriptException e(ErrorKind::Error, atom("function_clause"));
    // What Elixir's report adds under the message of an uncaught FunctionClauseError.
    const std::string mfa = moduleText(m_module->name) + "." + std::string(function->name.name()) + "/"
        + std::to_string(function->arity);
    std::string given = "    \n    \n    The following arguments were given to " + mfa + ":\n";
    for (size_t i = 0; i < args.size(); ++i)
        given += "    \n        # " + std::to_string(i + 1) + "\n        " + args[i].inspect() + "\n";
    e.setBlame(given + "    ");
    e.setStackTopIfUnknown(
        stackEntry(*m_module, *function, Term::list(args), function->clauses.empty() ? 0 : function->clauses[0]->pos.line));
    throw e;
}

Term Interpreter::callModuleFunction(
    const std::shared_ptr<const ModuleDef> &module, const FunctionDef &function, std::vector<Term> args)
{
    TailCall call;
    call.module = module;
    call.def = &function;
    call.args = std::move(args);
    return trampoline(std::move(call));
}

Term Interpreter::callRemote(Atom module, Atom function, std::vector<Term> &args, bool allowPrivate)
{
    tick();
    const int arity = static_cast<int>(args.size());
    if (const BuiltinFn builtin = findBuiltin(module, function, arity))
        return builtin(*this, args);
    if (isBuiltinModule(module))
        raiseUndefinedFunction(module, function, arity, true);
    if (auto defined = m_host.modules().find(module)) {
        const FunctionDef *f = defined->find(function, arity);
        if (f != nullptr && (!f->isPrivate || allowPrivate))
            return callModuleFunction(defined, *f, std::move(args));
        if (defined->usesGenServer && function.name() == "child_spec" && arity == 1)
            // What `use GenServer` defines.
            return Term::map({ { atom("id"), Term(module) },
                { atom("start"), Term::tuple({ Term(module), atom("start_link"), Term::list({ args[0] }) }) } });
        ScriptException e(ErrorKind::Error,
            exceptionStruct("UndefinedFunctionError",
                { { "module", Term(module) }, { "function", Term(function) }, { "arity", Term::integer(arity) },
                    { "reason", atom("nil") }, { "message", atom("nil") } }));
        // Elixir adds "Did you mean" to the report of an uncaught error, not to the message.
        const std::string full = undefinedFunctionMessage(*defined, function, arity);
        const size_t hint = full.find(". Did you mean:");
        if (hint != std::string::npos)
            e.setBlame(full.substr(hint));
        throw e;
    }
    return m_host.callModule(module, function, std::move(args));
}

// Modules ----------------------------------------------------------------------------------

Term Interpreter::evalModule(const ModuleNode &node)
{
    // Elixir compiles a module when its defmodule runs: its compile errors come now.
    checkModule(node, *m_file);
    auto module = std::make_shared<ModuleDef>();
    module->name = node.name;
    module->node = node.shared_from_this();
    module->file = m_file;
    Term last = nilTerm();
    {
        ModuleRestore restore(m_module);
        ModuleDef *const outer = m_building;
        m_building = module.get();
        m_module = nullptr;
        try {
            Env env;
            for (const auto &expr : node.body)
                defineInModule(*module, *expr, env, last);
        } catch (...) {
            m_building = outer;
            throw;
        }
        m_building = outer;
    }
    if (m_host.modules().define(module))
        m_host.errorOutput("warning: redefining module " + moduleText(node.name)
            + " (current version defined in memory)\n  " + *m_file + ":" + std::to_string(node.pos.line) + "\n\n");
    return Term::tuple({ atom("module"), Term(node.name), Term::binary(""), last });
}

void Interpreter::defineInModule(ModuleDef &module, const Node &expr, Env &env, Term &last)
{
    if (expr.kind == NodeKind::Def) {
        const auto &d = expr.as<DefNode>();
        const auto conflict = [&](const std::string &message) {
            throw ScriptError(ScriptError::Kind::CompileError, *m_file, d.pos, message);
        };
        const std::string kind = d.isPrivate ? "defp" : "def";
        FunctionDef &f = module.functions[ModuleDef::key(d.name, d.arity())];
        const bool fresh = f.clauses.empty() && f.defaultsOf == nullptr;
        if (fresh) {
            f.name = d.name;
            f.arity = d.arity();
            f.isPrivate = d.isPrivate;
        } else if (f.isPrivate != d.isPrivate) {
            conflict(kind + " " + std::string(d.name.name()) + "/" + std::to_string(d.arity())
                + " already defined as " + (f.isPrivate ? "defp" : "def"));
        } else if (f.defaultsOf != nullptr) {
            conflict(kind + " " + std::string(d.name.name()) + "/" + std::to_string(f.defaultsOf->arity())
                + " defaults conflicts with " + std::string(d.name.name()) + "/" + std::to_string(d.arity()));
        }
        if (d.clause.body)
            f.clauses.push_back(&d);
        for (int k = d.arity() - d.defaultCount(); k < d.arity(); ++k) {
            FunctionDef &g = module.functions[ModuleDef::key(d.name, k)];
            if (!g.clauses.empty())
                conflict(kind + " " + std::string(d.name.name()) + "/" + std::to_string(d.arity())
                    + " defaults conflicts with " + std::string(d.name.name()) + "/" + std::to_string(k));
            g.name = d.name;
            g.arity = k;
            g.isPrivate = d.isPrivate;
            g.defaultsOf = &d;
        }
        last = nilTerm();
        return;
    }
    if (expr.kind == NodeKind::Attribute && expr.as<AttributeNode>().value) {
        const auto &a = expr.as<AttributeNode>();
        last = eval(*a.value, env);
        module.setAttribute(a.name, last);
        return;
    }
    if (expr.kind == NodeKind::Call) {
        const auto &c = expr.as<CallNode>();
        if (c.name.name() == "use") {
            const Term target = eval(*c.args.at(0), env);
            if (!target.isAtom("Elixir.GenServer"))
                raiseArgumentError(unsupportedMessage("use " + target.inspect())
                    + ": modules can use GenServer only");
            module.usesGenServer = true;
            last = nilTerm();
            return;
        }
        if (c.name.name() == "defstruct") {
            const Term fields = c.args.size() == 1 ? eval(*c.args[0], env) : Term();
            std::vector<std::pair<Term, Term>> entries;
            if (fields.isList())
                for (const Term &field : fields.listElements()) {
                    if (field.isAtom())
                        entries.emplace_back(field, nilTerm());
                    else if (field.isTuple(2) && field[0].isAtom())
                        entries.emplace_back(field[0], field[1]);
                    else
                        raiseArgumentError("struct field names must be atoms, got: " + field.inspect());
                }
            else
                raiseArgumentError("defstruct takes a list of fields, got: " + fields.inspect());
            const std::string_view name = module.name.name();
            const std::string_view shortName = name.starts_with("Elixir.") ? name.substr(7) : name;
            std::vector<Atom> order; // inspect prints a struct's fields in defstruct's order
            for (const auto &[k, v] : entries)
                order.push_back(k.asAtom());
            Term::declareStructFields(shortName, std::move(order));
            module.structDefaults = Term::structure(shortName, entries);
            last = nilTerm();
            return;
        }
    }
    last = eval(expr, env);
}

Term Interpreter::evalAttribute(const AttributeNode &node)
{
    if (node.value)
        raiseArgumentError("module attributes can only be set directly inside defmodule, not in a function");
    const ModuleDef *module = m_building != nullptr ? m_building : m_module.get();
    if (module != nullptr)
        if (const Term *value = module->attribute(node.name))
            return *value;
    return nilTerm();
}

void Interpreter::enumerate(const Term &enumerable, const std::function<bool(const Term &)> &visit)
{
    if (enumerable.isList()) {
        const Term *cell = &enumerable;
        for (; cell->isCons(); cell = &cell->tail()) {
            tick();
            if (!visit(cell->head()))
                return;
        }
        if (!cell->isNil())
            raiseProtocolUndefined("Enumerable", *cell);
        return;
    }
    if (isRange(enumerable)) {
        const Term *first = enumerable.mapFind(atom("first"));
        const Term *last = enumerable.mapFind(atom("last"));
        const Term *step = enumerable.mapFind(atom("step"));
        if (first == nullptr || last == nullptr || step == nullptr || !first->isInteger()
            || !last->isInteger() || !step->isInteger() || step->asInteger() == 0)
            raiseProtocolUndefined("Enumerable", enumerable);
        const int64_t s = step->asInteger();
        for (int64_t i = first->asInteger(); s > 0 ? i <= last->asInteger() : i >= last->asInteger();) {
            tick();
            if (!visit(Term::integer(i)))
                return;
            if (__builtin_add_overflow(i, s, &i))
                return;
        }
        return;
    }
    if (enumerable.isMap() && enumerable.structModule() == nullptr) {
        for (const auto &[k, v] : enumerable.mapEntries()) {
            tick();
            if (!visit(Term::tuple({ k, v })))
                return;
        }
        return;
    }
    raiseProtocolUndefined("Enumerable", enumerable);
}

std::vector<Term> Interpreter::toVector(const Term &enumerable)
{
    if (enumerable.isProperList())
        return enumerable.listElements();
    std::vector<Term> out;
    enumerate(enumerable, [&](const Term &t) {
        out.push_back(t);
        return true;
    });
    return out;
}

// Evaluation ----------------------------------------------------------------------------------

// eval() is the recursion's hot path: it only dispatches, so that its frame stays small
// (each nesting level of a script costs a few of these frames).
Term Interpreter::eval(const Node &node, Env &env, TailCall *tail)
{
    try {
        checkStack();
        switch (node.kind) {
        case NodeKind::Literal:
            return node.as<LiteralNode>().value;
        case NodeKind::Var:
            return evalVar(node.as<VarNode>(), env);
        case NodeKind::Pin:
            return lookup(node.as<PinNode>().name, env);
        case NodeKind::Interpolation:
            return evalInterpolation(node.as<InterpolationNode>(), env);
        case NodeKind::Tuple:
            return Term::tuple(evalArgs(node.as<TupleNode>().elements, env));
        case NodeKind::List:
            return evalList(node.as<ListNode>(), env);
        case NodeKind::Map:
            return evalMap(node.as<MapNode>(), env);
        case NodeKind::Struct:
            return evalStruct(node.as<StructNode>(), env);
        case NodeKind::Unary:
            return evalUnary(node.as<UnaryNode>(), env);
        case NodeKind::Binary:
            return evalBinary(node.as<BinaryNode>(), env);
        case NodeKind::Match:
            return evalMatch(node.as<MatchNode>(), env);
        case NodeKind::Range:
            return evalRange(node.as<RangeNode>(), env);
        case NodeKind::Call:
            return evalCall(node.as<CallNode>(), env, tail);
        case NodeKind::Remote:
            return evalRemote(node.as<RemoteNode>(), env, tail);
        case NodeKind::Apply:
            return evalApply(node.as<ApplyNode>(), env, tail);
        case NodeKind::Access:
            return evalAccess(node.as<AccessNode>(), env);
        case NodeKind::Fn:
        case NodeKind::Capture:
            // The closure shares ownership of its node, so it outlives the parsed program.
            return makeClosure(node.shared_from_this(), env);
        case NodeKind::CaptureArg:
            return lookup(captureArgName(node.as<CaptureArgNode>().index), env);
        case NodeKind::FunRef:
            return makeFunctionRef(node.as<FunRefNode>());
        case NodeKind::Block:
            return evalBlock(node.as<BlockNode>(), env, tail);
        case NodeKind::If:
            return evalIf(node.as<IfNode>(), env, tail);
        case NodeKind::Case:
            return evalCase(node.as<CaseNode>(), env, tail);
        case NodeKind::Cond:
            return evalCond(node.as<CondNode>(), env, tail);
        case NodeKind::Receive:
            return evalReceive(node.as<ReceiveNode>(), env, tail);
        case NodeKind::Try:
            return evalTry(node.as<TryNode>(), env);
        case NodeKind::For:
            return evalFor(node.as<ForNode>(), env);
        case NodeKind::With:
            return evalWith(node.as<WithNode>(), env);
        case NodeKind::Module:
            return evalModule(node.as<ModuleNode>());
        case NodeKind::Attribute:
            return evalAttribute(node.as<AttributeNode>());
        case NodeKind::Def:
            raiseArgumentError("def and defp can only be used directly inside defmodule");
        case NodeKind::Generator:
            break;
        }
        return misplacedGenerator();
    } catch (ScriptException &e) {
        e.setPosIfUnknown(node.pos);
        throw;
    }
}

Term Interpreter::evalVar(const VarNode &node, Env &env)
{
    if (const Term *v = env.lookup(node.name))
        return *v;
    // A module's function of arity 0 written without parentheses.
    if (const FunctionDef *f = localFunction(node.name, 0))
        return callModuleFunction(m_module, *f, {});
    // `self` without parentheses calls self/0, as Elixir 1.14 still allows.
    std::vector<Term> none;
    if (const BuiltinFn f = findBuiltin(kernelModule(), node.name, 0))
        return f(*this, none);
    return lookup(node.name, env);
}

Term Interpreter::lookup(Atom name, Env &env)
{
    if (const Term *v = env.lookup(name))
        return *v;
    // The checker rules this out; a tree that skipped it fails here cleanly.
    raiseArgumentError("undefined variable " + std::string(name.name()));
}

Term Interpreter::misplacedGenerator()
{
    raiseArgumentError("a generator (<-) can only be used in for and with");
}

Term Interpreter::evalInterpolation(const InterpolationNode &node, Env &env)
{
    std::string text;
    for (const auto &part : node.parts) {
        const std::string piece = toStringChars(eval(*part, env));
        checkBinarySize(double(text.size()) + double(piece.size()));
        text += piece;
    }
    return node.charlist ? Term::charlist(text) : Term::binary(std::move(text));
}

Term Interpreter::evalList(const ListNode &node, Env &env)
{
    std::vector<Term> items = evalArgs(node.elements, env);
    Term tailTerm = node.tail ? eval(*node.tail, env) : Term();
    return Term::list(items, std::move(tailTerm));
}

Term Interpreter::evalMatch(const MatchNode &node, Env &env)
{
    Term value = eval(*node.value, env);
    const size_t start = env.size();
    if (!match(*node.pattern, value, env, start)) {
        env.truncate(start);
        raise(Term::tuple({ atom("badmatch"), value }));
    }
    return value;
}

Term Interpreter::evalApply(const ApplyNode &node, Env &env, TailCall *tail)
{
    Term function = eval(*node.function, env);
    std::vector<Term> args = evalArgs(node.args, env);
    if (tail != nullptr) {
        tail->pending = true;
        tail->function = std::move(function);
        tail->args = std::move(args);
        return {};
    }
    return apply(function, std::move(args));
}

Term Interpreter::makeFunctionRef(const FunRefNode &node)
{
    if (node.module.isAtom("nil") && localFunction(node.function, node.arity) != nullptr)
        return Term::function(new FunctionRef(m_module->name, node.function, node.arity, m_hostRef, true));
    const Atom module = node.module.isAtom("nil") ? kernelModule() : node.module.asAtom();
    return Term::function(new FunctionRef(module, node.function, node.arity, m_hostRef));
}

Term Interpreter::evalBlock(const BlockNode &node, Env &env, TailCall *tail)
{
    const auto &exprs = node.exprs;
    for (size_t i = 0; i + 1 < exprs.size(); ++i)
        (void)eval(*exprs[i], env);
    return exprs.empty() ? nilTerm() : eval(*exprs.back(), env, tail);
}

Term Interpreter::evalIf(const IfNode &node, Env &env, TailCall *tail)
{
    const Term condition = eval(*node.condition, env);
    ScopeGuard scope(env);
    if (condition.isTruthy())
        return eval(*node.then, env, tail);
    return node.otherwise ? eval(*node.otherwise, env, tail) : nilTerm();
}

Term Interpreter::evalRange(const RangeNode &node, Env &env)
{
    const Term first = eval(*node.first, env);
    const Term last = eval(*node.last, env);
    if (!node.step) {
        if (!first.isInteger() || !last.isInteger())
            raiseArgumentError("ranges (first..last) expect both sides to be integers, got: "
                + first.inspect() + ".." + last.inspect());
        return makeRange(first.asInteger(), last.asInteger(), first.asInteger() <= last.asInteger() ? 1 : -1);
    }
    const Term step = eval(*node.step, env);
    if (!first.isInteger() || !last.isInteger() || !step.isInteger() || step.asInteger() == 0)
        raiseArgumentError("ranges (first..last//step) expect both sides to be integers and the step to be a "
                           "non-zero integer, got: "
            + first.inspect() + ".." + last.inspect() + "//" + step.inspect());
    return makeRange(first.asInteger(), last.asInteger(), step.asInteger());
}

Term Interpreter::evalUnary(const UnaryNode &node, Env &env)
{
    const std::string_view op = node.op.name();
    const Term v = eval(*node.operand, env);
    if (op == "!")
        return boolTerm(!v.isTruthy());
    if (op == "not") {
        if (!v.isBoolean())
            raise(atom("badarg"));
        return boolTerm(v.isAtom("false"));
    }
    if (!v.isNumber())
        raiseArithmetic(std::string(op) + "(" + v.inspect() + ")");
    if (op == "+")
        return v;
    if (v.isFloat())
        return Term::floating(-v.asFloat());
    if (v.asInteger() == std::numeric_limits<int64_t>::min())
        raiseOverflow();
    return Term::integer(-v.asInteger());
}

Term Interpreter::evalBinary(const BinaryNode &node, Env &env)
{
    const std::string_view op = node.op.name();
    // Short-circuiting operators evaluate their right side in a scope of its own.
    if (op == "&&" || op == "||" || op == "and" || op == "or") {
        const Term lhs = eval(*node.lhs, env);
        if (op == "and" || op == "or") {
            if (!lhs.isBoolean())
                raiseBadBool(node.op, lhs);
            if (lhs.isAtom(op == "and" ? "false" : "true"))
                return lhs;
        } else if (lhs.isTruthy() == (op == "||")) {
            return lhs;
        }
        ScopeGuard scope(env);
        return eval(*node.rhs, env);
    }
    const Term a = eval(*node.lhs, env);
    const Term b = eval(*node.rhs, env);
    return applyOperator(node.op, a, b);
}

Term Interpreter::applyOperator(Atom opAtom, const Term &a, const Term &b)
{
    const std::string_view op = opAtom.name();
    if (op == "and" || op == "or") {
        if (!a.isBoolean())
            raiseBadBool(opAtom, a);
        return a.isAtom(op == "and" ? "false" : "true") ? a : b;
    }
    if (op == "&&" || op == "||")
        return a.isTruthy() == (op == "||") ? a : b;
    if (op == "+" || op == "-" || op == "*" || op == "/")
        return arithmetic(op, a, b);
    if (op == "==")
        return boolTerm(Term::equalValue(a, b));
    if (op == "!=")
        return boolTerm(!Term::equalValue(a, b));
    if (op == "===")
        return boolTerm(Term::compareExact(a, b) == 0);
    if (op == "!==")
        return boolTerm(Term::compareExact(a, b) != 0);
    if (op == "<")
        return boolTerm(Term::compare(a, b) < 0);
    if (op == ">")
        return boolTerm(Term::compare(a, b) > 0);
    if (op == "<=")
        return boolTerm(Term::compare(a, b) <= 0);
    if (op == ">=")
        return boolTerm(Term::compare(a, b) >= 0);
    if (op == "<>") {
        if (!a.isBinary())
            raiseBadArgument(1, "not a bitstring");
        if (!b.isBinary())
            raiseBadArgument(2, "not a bitstring");
        checkBinarySize(double(a.asBinary().size()) + double(b.asBinary().size()));
        std::string s(a.asBinary());
        s += b.asBinary();
        return Term::binary(std::move(s));
    }
    if (op == "++") {
        if (!a.isProperList())
            raise(atom("badarg"));
        return Term::list(a.listElements(), b);
    }
    if (op == "--") {
        if (!a.isProperList() || !b.isProperList())
            raise(atom("badarg"));
        std::vector<Term> items = a.listElements();
        for (const auto &remove : b.listElements()) {
            const auto it = std::find_if(items.begin(), items.end(),
                [&](const Term &t) { return Term::compareExact(t, remove) == 0; });
            if (it != items.end())
                items.erase(it);
        }
        return Term::list(items);
    }
    if (op == "in") {
        if (b.isList())
            return boolTerm(listContainsExact(b, a));
        if (const auto range = rangeOf(b))
            return boolTerm(range->contains(a));
        bool found = false;
        enumerate(b, [&](const Term &t) {
            found = isRange(b) ? Term::equalValue(t, a) && a.isInteger() : Term::compareExact(t, a) == 0;
            return !found;
        });
        return boolTerm(found);
    }
    if (op == "**")
        return power(a, b);
    if (op == "=~") {
        if (!a.isBinary() || !b.isBinary())
            raiseArgumentError(
                "=~ in Mailroom's script language takes two strings (regular expressions are not "
                "supported)");
        return boolTerm(a.asBinary().find(b.asBinary()) != std::string_view::npos);
    }
    raiseArgumentError("the operator " + std::string(op) + " cannot be used here");
}

Term Interpreter::evalCall(const CallNode &node, Env &env, TailCall *tail)
{
    if (const FunctionDef *local = localFunction(node.name, static_cast<int>(node.args.size()))) {
        std::vector<Term> args = evalArgs(node.args, env);
        if (tail != nullptr) {
            tail->pending = true;
            tail->module = m_module;
            tail->def = local;
            tail->args = std::move(args);
            return {};
        }
        return callModuleFunction(m_module, *local, std::move(args));
    }
    if (node.name.name() == "use" || node.name.name() == "defstruct")
        raiseArgumentError(std::string(node.name.name()) + " can only be used directly inside defmodule");
    const std::string_view name = node.name.name();
    if (name == "match?" && node.args.size() == 2) {
        const Term value = eval(*node.args[1], env);
        ScopeGuard scope(env);
        const Node &p = *node.args[0];
        if (p.kind == NodeKind::Binary && p.as<BinaryNode>().op.name() == "when") // pattern when guard
            return boolTerm(match(*p.as<BinaryNode>().lhs, value, env, env.size())
                && guardHolds(*p.as<BinaryNode>().rhs, env));
        return boolTerm(match(p, value, env, env.size()));
    }
    std::vector<Term> args = evalArgs(node.args, env);
    tick();
    if (const BuiltinFn builtin = findBuiltin(kernelModule(), node.name, static_cast<int>(args.size())))
        return builtin(*this, args);
    raiseUndefinedFunction(kernelModule(), node.name, static_cast<int>(args.size()), true);
}

Term Interpreter::evalRemote(const RemoteNode &node, Env &env, TailCall *tail)
{
    const Term target = eval(*node.target, env);
    const Term key(node.function);
    if (!node.parens && node.args.empty() && !target.isAtom()) {
        // map.field
        if (target.isMap()) {
            if (const Term *v = target.mapFind(key))
                return *v;
        }
        raise(Term::tuple({ atom("badkey"), key, target }));
    }
    if (!target.isAtom())
        raiseArgumentError("you attempted to apply a function named " + key.inspect() + " on "
            + target.inspect()
            + ". If you are trying to invoke an anonymous function, use the dot syntax: fun.(args)");
    std::vector<Term> args = evalArgs(node.args, env);
    if (tail != nullptr && !isBuiltinModule(target.asAtom())) {
        // A call to a script module in tail position loops instead of nesting.
        if (auto module = m_host.modules().find(target.asAtom())) {
            const FunctionDef *f = module->find(node.function, static_cast<int>(args.size()));
            if (f != nullptr && !f->isPrivate) {
                tail->pending = true;
                tail->def = f;
                tail->module = std::move(module);
                tail->args = std::move(args);
                return {};
            }
        }
    }
    return callRemote(target.asAtom(), node.function, args);
}

Term Interpreter::evalMap(const MapNode &node, Env &env)
{
    std::vector<std::pair<Term, Term>> entries;
    entries.reserve(node.entries.size());
    for (const auto &[k, v] : node.entries) {
        Term key = eval(*k, env);
        entries.emplace_back(std::move(key), eval(*v, env));
    }
    if (!node.base)
        return Term::map(std::move(entries));
    Term base = eval(*node.base, env);
    if (!base.isMap())
        raise(Term::tuple({ atom("badmap"), base }));
    for (auto &[k, v] : entries) {
        if (base.mapFind(k) == nullptr)
            raise(Term::tuple({ atom("badkey"), k })); // Elixir 1.14 names no map here
        base = base.mapPut(k, v);
    }
    return base;
}

Term Interpreter::evalStruct(const StructNode &node, Env &env)
{
    const Term module(node.module);
    Term result;
    if (node.base) {
        result = eval(*node.base, env);
        const Term *m = result.structModule();
        if (m == nullptr || m->asAtom() != node.module)
            raise(exceptionStruct("BadStructError", { { "struct", module }, { "term", result } }));
    } else {
        std::optional<Term> defaults = builtinStructDefaults(node.module);
        if (!defaults)
            if (const auto defined = m_host.modules().find(node.module))
                defaults = defined->structDefaults;
        if (!defaults && m_building != nullptr && m_building->name == node.module)
            defaults = m_building->structDefaults;
        if (!defaults)
            defaults = m_host.structDefaults(node.module);
        if (!defaults)
            raiseUndefinedFunction(node.module, Atom::intern("__struct__"), 1, false);
        result = *defaults;
    }
    for (const auto &[k, v] : node.entries) {
        const Term key = eval(*k, env);
        Term value = eval(*v, env);
        if (result.mapFind(key) == nullptr || key.isAtom("__struct__"))
            raise(Term::tuple({ atom("badkey"), key, result }));
        result = result.mapPut(key, value);
    }
    return result;
}

Term Interpreter::evalAccess(const AccessNode &node, Env &env)
{
    const Term target = eval(*node.target, env);
    const Term key = eval(*node.key, env);
    if (target.isMap()) {
        if (const Term *module = target.structModule()) {
            raise(exceptionStruct("UndefinedFunctionError",
                { { "module", *module }, { "function", atom("fetch") }, { "arity", Term::integer(2) },
                    { "reason", atom("nil") },
                    { "message",
                        Term::binary("function " + moduleText(module->asAtom()) + ".fetch/2 is undefined ("
                            + moduleText(module->asAtom())
                            + " does not implement the Access behaviour; use struct.field instead)") } }));
        }
        const Term *v = target.mapFind(key);
        return v != nullptr ? *v : nilTerm();
    }
    if (target.isList()) {
        if (!key.isAtom())
            raiseBadArgument(1, "not an atom");
        for (const Term *cell = &target; cell->isCons(); cell = &cell->tail())
            if (cell->head().isTuple() && cell->head().tupleSize() >= 1 && cell->head()[0] == key)
                return cell->head().tupleSize() >= 2 ? cell->head()[1] : nilTerm();
        return nilTerm();
    }
    if (target.isAtom("nil"))
        return nilTerm();
    raiseFunctionClause("Access", "get", 3);
}

// Clauses and patterns -----------------------------------------------------------------------

bool Interpreter::match(const Node &pattern, const Term &value, Env &env, size_t patternStart)
{
    switch (pattern.kind) {
    case NodeKind::Literal:
        return Term::compareExact(pattern.as<LiteralNode>().value, value) == 0;
    case NodeKind::Var: {
        const auto &v = pattern.as<VarNode>();
        if (v.name.name() == "_")
            return true;
        if (const Term *earlier = env.lookupFrom(v.name, patternStart))
            return Term::compareExact(*earlier, value) == 0;
        env.bind(v.name, value);
        return true;
    }
    case NodeKind::Pin: {
        const Term *pinned = env.lookupBelow(pattern.as<PinNode>().name, patternStart);
        return pinned != nullptr && Term::compareExact(*pinned, value) == 0;
    }
    case NodeKind::Tuple: {
        const auto &elements = pattern.as<TupleNode>().elements;
        if (!value.isTuple(elements.size()))
            return false;
        for (size_t i = 0; i < elements.size(); ++i)
            if (!match(*elements[i], value[i], env, patternStart))
                return false;
        return true;
    }
    case NodeKind::List: {
        const auto &l = pattern.as<ListNode>();
        const Term *cell = &value;
        for (const auto &e : l.elements) {
            if (!cell->isCons() || !match(*e, cell->head(), env, patternStart))
                return false;
            cell = &cell->tail();
        }
        if (l.tail)
            return match(*l.tail, *cell, env, patternStart);
        return cell->isNil();
    }
    case NodeKind::Map:
    case NodeKind::Struct: {
        if (!value.isMap())
            return false;
        const bool isStruct = pattern.kind == NodeKind::Struct;
        if (isStruct) {
            const Term *m = value.structModule();
            if (m == nullptr || m->asAtom() != pattern.as<StructNode>().module)
                return false;
        }
        const auto &entries = isStruct ? pattern.as<StructNode>().entries : pattern.as<MapNode>().entries;
        for (const auto &[k, v] : entries) {
            Term key;
            if (k->kind == NodeKind::Pin) {
                const Term *pinned = env.lookupBelow(k->as<PinNode>().name, patternStart);
                if (pinned == nullptr)
                    return false;
                key = *pinned;
            } else {
                key = eval(*k, env); // literals only: the checker saw to it
            }
            const Term *found = value.mapFind(key);
            if (found == nullptr || !match(*v, *found, env, patternStart))
                return false;
        }
        return true;
    }
    case NodeKind::Match: {
        const auto &m = pattern.as<MatchNode>();
        return match(*m.pattern, value, env, patternStart) && match(*m.value, value, env, patternStart);
    }
    case NodeKind::Binary: {
        // "prefix" <> rest
        const auto &b = pattern.as<BinaryNode>();
        if (b.op.name() != "<>" || !value.isBinary())
            return false;
        const Term prefix = eval(*b.lhs, env);
        if (!prefix.isBinary() || !value.asBinary().starts_with(prefix.asBinary()))
            return false;
        return match(*b.rhs, Term::binary(std::string(value.asBinary().substr(prefix.asBinary().size()))),
            env, patternStart);
    }
    default:
        return false;
    }
}

bool Interpreter::guardHolds(const Node &guard, Env &env)
{
    // An error in a guard makes it fail, as in Elixir.
    try {
        return eval(guard, env).isAtom("true");
    } catch (const ScriptException &) {
        return false;
    }
}

bool Interpreter::matchClause(const Clause &clause, const std::vector<Term> &values, Env &env)
{
    if (clause.patterns.size() != values.size())
        return false;
    const size_t start = env.size();
    for (size_t i = 0; i < values.size(); ++i)
        if (!match(*clause.patterns[i], values[i], env, start))
            return false;
    return !clause.guard || guardHolds(*clause.guard, env);
}

Term Interpreter::evalCase(const CaseNode &node, Env &env, TailCall *tail)
{
    const Term subject = eval(*node.subject, env);
    const std::vector<Term> values { subject };
    for (const Clause &clause : node.clauses) {
        ScopeGuard scope(env);
        if (matchClause(clause, values, env))
            return eval(*clause.body, env, tail);
    }
    raise(Term::tuple({ atom("case_clause"), subject }));
}

Term Interpreter::evalCond(const CondNode &node, Env &env, TailCall *tail)
{
    for (const Clause &clause : node.clauses) {
        ScopeGuard scope(env);
        if (eval(*clause.patterns[0], env).isTruthy())
            return eval(*clause.body, env, tail);
    }
    raise(exceptionStruct("CondClauseError", {}));
}

Term Interpreter::evalReceive(const ReceiveNode &node, Env &env, TailCall *tail)
{
    std::optional<int64_t> timeout;
    if (node.timeout) {
        const Term t = eval(*node.timeout, env);
        if (t.isInteger() && t.asInteger() >= 0 && t.asInteger() <= kMaxTimeoutMs)
            timeout = t.asInteger();
        else if (!t.isAtom("infinity"))
            raise(atom("timeout_value"));
    }
    size_t matched = 0;
    const auto matches = [&](const Term &message) {
        // Runs inside the host's receive: no yields, and bindings are undone at once.
        m_inMatcher = true;
        const std::vector<Term> values { message };
        for (size_t i = 0; i < node.clauses.size(); ++i) {
            const size_t mark = env.size();
            const bool ok = matchClause(node.clauses[i], values, env);
            env.truncate(mark);
            if (ok) {
                matched = i;
                m_inMatcher = false;
                return true;
            }
        }
        m_inMatcher = false;
        return false;
    };
    tick();
    const std::optional<Term> message = m_host.receive(matches, timeout);
    ScopeGuard scope(env);
    if (!message)
        return node.afterBody ? eval(*node.afterBody, env, tail) : nilTerm();
    const Clause &clause = node.clauses[matched];
    (void)matchClause(clause, { *message }, env);
    return eval(*clause.body, env, tail);
}

Term Interpreter::evalTry(const TryNode &node, Env &env)
{
    Term result;
    try {
        bool handled = false;
        try {
            ScopeGuard scope(env);
            result = eval(*node.body, env);
        } catch (const ScriptException &e) {
            if (e.kind() == ErrorKind::Error && !node.rescues.empty()) {
                const Term exception = e.normalized();
                for (const Clause &clause : node.rescues) {
                    ScopeGuard scope(env);
                    const Node &p = *clause.patterns[0];
                    bool ok = false;
                    const Node *bindTo = nullptr;
                    const Term *module = exception.structModule();
                    auto moduleIs = [&](const Node &alias) {
                        return module != nullptr && alias.kind == NodeKind::Literal
                            && alias.as<LiteralNode>().value == *module;
                    };
                    if (p.kind == NodeKind::Var) {
                        ok = true;
                        bindTo = &p;
                    } else if (p.kind == NodeKind::Literal) {
                        ok = moduleIs(p);
                    } else if (p.kind == NodeKind::Binary && p.as<BinaryNode>().op.name() == "in") {
                        const auto &in = p.as<BinaryNode>();
                        bindTo = in.lhs.get();
                        if (in.rhs->kind == NodeKind::List) {
                            for (const auto &alias : in.rhs->as<ListNode>().elements)
                                ok = ok || moduleIs(*alias);
                        } else if (in.rhs->kind == NodeKind::Literal
                            && in.rhs->as<LiteralNode>().value.isList()) {
                            // [A, B] of aliases is folded into one constant list
                            ok = module != nullptr
                                && listContainsExact(in.rhs->as<LiteralNode>().value, *module);
                        } else {
                            ok = moduleIs(*in.rhs);
                        }
                    }
                    if (!ok)
                        continue;
                    if (bindTo != nullptr)
                        (void)match(*bindTo, exception, env, env.size());
                    result = eval(*clause.body, env);
                    handled = true;
                    break;
                }
            }
            if (!handled && !node.catches.empty()) {
                const Term kind = atom(e.kind() == ErrorKind::Error ? "error"
                        : e.kind() == ErrorKind::Throw              ? "throw"
                                                                    : "exit");
                for (const Clause &clause : node.catches) {
                    ScopeGuard scope(env);
                    const bool ok = clause.patterns.size() == 1
                        ? e.kind() == ErrorKind::Throw && matchClause(clause, { e.reason() }, env)
                        : matchClause(clause, { kind, e.reason() }, env);
                    if (!ok)
                        continue;
                    result = eval(*clause.body, env);
                    handled = true;
                    break;
                }
            }
            if (!handled)
                throw;
        }
        if (!handled && !node.elses.empty()) {
            bool matchedElse = false;
            for (const Clause &clause : node.elses) {
                ScopeGuard scope(env);
                if (matchClause(clause, { result }, env)) {
                    result = eval(*clause.body, env);
                    matchedElse = true;
                    break;
                }
            }
            if (!matchedElse)
                raise(Term::tuple({ atom("try_clause"), result }));
        }
    } catch (const ScriptException &) {
        // `after` runs on the way out of a raise, throw or exit (not when the process is
        // killed: other exceptions skip it, as a killed BEAM process runs no more code).
        if (node.after) {
            ScopeGuard scope(env);
            (void)eval(*node.after, env);
        }
        throw;
    }
    if (node.after) {
        ScopeGuard scope(env);
        (void)eval(*node.after, env);
    }
    return result;
}

Term Interpreter::evalFor(const ForNode &node, Env &env)
{
    ScopeGuard outer(env);
    std::vector<Term> results;
    Term accumulator;
    if (node.reduce)
        accumulator = eval(*node.reduce, env);
    const bool uniq = node.uniq && eval(*node.uniq, env).isTruthy();
    const std::function<void(size_t)> step = [&](size_t index) {
        if (index == node.qualifiers.size()) {
            if (node.reduce) {
                for (const Clause &clause : node.reduceClauses) {
                    ScopeGuard scope(env);
                    if (matchClause(clause, { accumulator }, env)) {
                        accumulator = eval(*clause.body, env);
                        return;
                    }
                }
                raiseFunctionClause("Kernel", "for", 1);
            }
            Term value = eval(*node.body, env);
            if (uniq && std::any_of(results.begin(), results.end(), [&](const Term &r) {
                    return Term::compareExact(r, value) == 0;
                }))
                return;
            results.push_back(std::move(value));
            return;
        }
        const Node &q = *node.qualifiers[index];
        if (q.kind != NodeKind::Generator) {
            ScopeGuard scope(env);
            if (eval(q, env).isTruthy())
                step(index + 1);
            return;
        }
        const auto &g = q.as<GeneratorNode>();
        const Term source = eval(*g.source, env);
        enumerate(source, [&](const Term &element) {
            ScopeGuard scope(env);
            const size_t start = env.size();
            if (match(*g.pattern, element, env, start) && (!g.guard || guardHolds(*g.guard, env)))
                step(index + 1);
            return true;
        });
    };
    step(0);
    if (node.reduce)
        return accumulator;
    if (!node.into)
        return Term::list(results);
    Term into = eval(*node.into, env);
    if (into.isMap()) {
        for (const auto &r : results) {
            if (!r.isTuple(2))
                raiseArgumentError("collecting into a map requires {key, value} tuples, got: " + r.inspect());
            into = into.mapPut(r[0], r[1]);
        }
        return into;
    }
    if (into.isBinary()) {
        std::string text(into.asBinary());
        for (const auto &r : results) {
            if (!r.isBinary())
                raiseBadArgument(1, "not a bitstring");
            text += r.asBinary();
        }
        return Term::binary(std::move(text));
    }
    if (into.isProperList()) {
        std::vector<Term> items = into.listElements();
        items.insert(items.end(), results.begin(), results.end());
        return Term::list(items);
    }
    raiseProtocolUndefined("Collectable", into);
}

Term Interpreter::evalWith(const WithNode &node, Env &env)
{
    Term failed;
    bool fell = false;
    {
        ScopeGuard scope(env);
        for (const auto &q : node.qualifiers) {
            if (q->kind != NodeKind::Generator) {
                (void)eval(*q, env);
                continue;
            }
            const auto &g = q->as<GeneratorNode>();
            Term value = eval(*g.source, env);
            const size_t start = env.size();
            if (!match(*g.pattern, value, env, start) || (g.guard && !guardHolds(*g.guard, env))) {
                failed = std::move(value);
                fell = true;
                break;
            }
        }
        if (!fell)
            return eval(*node.body, env);
    }
    if (node.elses.empty())
        return failed;
    for (const Clause &clause : node.elses) {
        ScopeGuard scope(env);
        if (matchClause(clause, { failed }, env))
            return eval(*clause.body, env);
    }
    raise(Term::tuple({ atom("with_clause"), failed }));
}

// Public entry points -------------------------------------------------------------------------

Term run(const Program &program, ScriptHost &host, Bindings *bindings)
{
    Interpreter interpreter(host, std::make_shared<const std::string>(program.file));
    Env env;
    if (bindings != nullptr)
        env.assign(*bindings);
    Term result = interpreter.evalRoot(*program.root, env);
    if (bindings != nullptr)
        *bindings = env.snapshot();
    return result;
}

Term callFunction(const Term &function, std::vector<Term> args, ScriptHost &host)
{
    std::shared_ptr<const std::string> file;
    if (function.isFunction())
        if (const auto *closure = dynamic_cast<const Closure *>(function.asFunction()))
            file = closure->file();
    Interpreter interpreter(host, file ? file : std::make_shared<const std::string>("nofile"));
    return interpreter.apply(function, std::move(args));
}

namespace {
/// List.to_string's error for a list that is not chardata, as Elixir 1.14 words it.
[[noreturn]] void notChardata(const Term &list)
{
    raiseArgumentError("cannot convert the given list to a string.\n\n"
                       "To be converted to a string, a list must either be empty or only\n"
                       "contain the following elements:\n\n"
                       "  * strings\n"
                       "  * integers representing Unicode code points\n"
                       "  * a list containing one of these three elements\n\n"
                       "Please check the given list or call inspect/1 to get the list representation, got:\n\n"
        + list.inspectPretty() + "\n");
}
} // namespace

std::string toStringChars(const Term &value)
{
    switch (value.kind()) {
    case TermKind::Binary:
        return std::string(value.asBinary());
    case TermKind::Atom:
        return value.isAtom("nil") ? std::string() : std::string(value.asAtom().name());
    case TermKind::Integer:
        return std::to_string(value.asInteger());
    case TermKind::Float:
        return value.toErlang(); // :erlang.float_to_binary(f, [:short]): 1.0e6, where inspect has 1000000.0
    case TermKind::Nil:
    case TermKind::Cons: {
        // Chardata: code points, strings and nested lists of them.
        std::string out;
        std::vector<const Term *> stack { &value };
        while (!stack.empty()) {
            const Term *t = stack.back();
            stack.pop_back();
            if (t->isBinary()) {
                out += t->asBinary();
            } else if (t->isInteger() && t->asInteger() >= 0 && t->asInteger() <= 0x10FFFF) {
                utf8::append(out, static_cast<uint32_t>(t->asInteger()));
            } else if (t->isCons()) {
                if (!t->tail().isList())
                    notChardata(value);
                stack.push_back(&t->tail());
                stack.push_back(&t->head());
            } else if (!t->isNil()) {
                notChardata(value);
            }
        }
        return out;
    }
    default:
        raiseProtocolUndefined("String.Chars", value);
    }
}

// ScriptHost defaults --------------------------------------------------------------------------

void ScriptHost::output(std::string_view text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void ScriptHost::errorOutput(std::string_view text)
{
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

} // namespace mailroom::script
