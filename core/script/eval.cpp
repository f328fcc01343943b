// SPDX-License-Identifier: MIT
// The evaluator's core: scopes, function values, calls and the trampoline that runs tail
// calls as loops, the eval() dispatch and the expressions that build or fetch values.
// Operators are in eval_operators.cpp, pattern matching and the clause forms in
// eval_patterns.cpp, defmodule in eval_modules.cpp.

#include "script/eval.h"
#include "script/builtins.h"

#include "runtime.h"
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
        std::array<Atom, 10> a{};
        for (int i = 0; i < 10; ++i)
            a[static_cast<size_t>(i)] = Atom::intern("&" + std::to_string(i));
        return a;
    }();
    if (index >= 0 && index < 10)
        return names[static_cast<size_t>(index)];
    return Atom::intern("&" + std::to_string(index));
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

} // namespace

bool isRange(const Term &t)
{
    const Term *m = t.structModule();
    return m != nullptr && m->isAtom("Elixir.Range");
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

// A stacktrace entry {Module, :fun, arity or args, [file: 'f', line: n]}.
Term stackEntry(const ModuleDef &module, const FunctionDef &function, Term arityOrArgs, uint32_t line)
{
    std::vector<Term> location{ Term::tuple({ atom("file"), Term::charlist(module.file ? *module.file : "nofile") }) };
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
    // The arguments count towards max_heap_size while the call runs: often (Enum.reduce's
    // accumulator) nothing else the runtime can see holds them.
    const TermsFrame argsFrame(args);
    checkStack();
    tick();
    m_host.checkHeap();
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
    const TermsFrame argsFrame(args); // as in stepClosure
    checkStack();
    tick();
    m_host.checkHeap();
    const FunctionDef *function = &called;
    if (const DefNode *head = called.defaultsOf) {
        // Given k of n arguments: the first (defaults - (n - k)) defaults come from the
        // call, the rest are evaluated, left to right.
        int given = head->defaultCount() - (head->arity() - static_cast<int>(args.size()));
        std::vector<Term> full;
        full.reserve(static_cast<size_t>(head->arity()));
        size_t next = 0;
        Env none;
        for (const auto &fallback : head->defaults) {
            if (!fallback || given-- > 0)
                full.push_back(args[next++]);
            else
                full.push_back(eval(*fallback, none));
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
            if (matchClause(d->clause, args, env)) {
                if (m_clauseListener != nullptr)
                    std::exchange(m_clauseListener, nullptr)->clauseChosen(*d);
                return eval(*d->clause.body, env, &tail);
            }
            env.truncate(mark);
        }
    } catch (ScriptException &e) {
        e.leaveFrame([&](uint32_t line) { return stackEntry(*m_module, *function, Term::integer(function->arity), line); });
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

Term Interpreter::callModuleFunction(const std::shared_ptr<const ModuleDef> &module, const FunctionDef &function,
    std::vector<Term> args, ClauseListener *listener)
{
    if (listener != nullptr)
        m_clauseListener = listener;
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
        raiseUndefinedFunction(module, function, arity, true, &args);
    if (auto defined = m_host.modules().find(module)) {
        const FunctionDef *f = defined->find(function, arity);
        if (f != nullptr && (!f->isPrivate || allowPrivate))
            return callModuleFunction(defined, *f, std::move(args));
        if (defined->usesGenServer && function.name() == "child_spec" && arity == 1)
            // What `use GenServer` defines.
            return Term::map({ { atom("id"), Term(module) },
                { atom("start"), Term::tuple({ Term(module), atom("start_link"), Term::list({ args[0] }) }) } });
        if (defined->usesGenServer && f == nullptr && function.name() == "init" && arity == 1)
            return Term::tuple({ atom("ok"), args[0] }); // injected by `use GenServer` (with a warning)
        ScriptException e = undefinedFunction(module, function, arity, atom("nil"), &args);
        // Elixir adds "Did you mean" to the report of an uncaught error, not to the message.
        const std::string full = undefinedFunctionMessage(*defined, function, arity);
        const size_t hint = full.find(". Did you mean:");
        if (hint != std::string::npos)
            e.setBlame(full.substr(hint));
        throw e;
    }
    return m_host.callModule(module, function, std::move(args));
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
    if (const auto range = rangeOf(enumerable))
        reserveHeap(2.0 * double(range->size())); // what it becomes: a list of that many cells
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

// Public entry points -------------------------------------------------------------------------

Term run(const Program &program, ScriptHost &host, Bindings *bindings)
{
    Interpreter interpreter(host, std::make_shared<const std::string>(program.file));
    interpreter.setSource(program.source);
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
        std::vector<const Term *> stack{ &value };
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

void ScriptHost::heapLimitReached(int64_t words)
{
    (void)words;
    throw ProcessExit(Term::atom("killed"));
}

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
