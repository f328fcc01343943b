// SPDX-License-Identifier: MIT
#pragma once

// Internals of the evaluator shared with the builtins (builtins_*.cpp). Not part of the
// public API: use eval.h.

#include "heap.h"
#include "script/ast.h"
#include "script/eval.h"
#include "script/modules.h"
#include "script/stack.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mailroom::script {

/// Variables in scope. Scopes nest by position: a clause records size() and truncates back
/// to it when it ends, so bindings made inside do not leak, as in Elixir. An Env is a
/// HeapFrame: what its variables hold counts towards its process's max_heap_size.
class Env final : public HeapFrame {
public:
    Env() = default;
    ~Env() override = default;
    Env(const Env &) = delete;
    Env &operator=(const Env &) = delete;
    Env(Env &&) = delete;
    Env &operator=(Env &&) = delete;

    void holdTerms(HeapWeigher &weigher) const override
    {
        for (const auto &binding : m_vars)
            weigher.hold(binding.second);
    }

    [[nodiscard]] const Term *lookup(Atom name) const { return lookupBelow(name, m_vars.size()); }
    /// The binding visible before position `end` (what a pin ^x sees during a match).
    [[nodiscard]] const Term *lookupBelow(Atom name, size_t end) const
    {
        for (size_t i = end; i-- > 0;)
            if (m_vars[i].first == name)
                return &m_vars[i].second;
        return nullptr;
    }
    /// The binding made at or after `from` (a second occurrence within one pattern).
    [[nodiscard]] const Term *lookupFrom(Atom name, size_t from) const
    {
        for (size_t i = m_vars.size(); i-- > from;)
            if (m_vars[i].first == name)
                return &m_vars[i].second;
        return nullptr;
    }
    void bind(Atom name, Term value) { m_vars.emplace_back(name, std::move(value)); }
    [[nodiscard]] size_t size() const { return m_vars.size(); }
    void truncate(size_t size) { m_vars.resize(size); }
    /// Each visible variable once (the latest binding): what a closure captures.
    [[nodiscard]] Bindings snapshot() const;
    void assign(Bindings vars) { m_vars = std::move(vars); }

private:
    Bindings m_vars;
};

/// Restores an Env to its size at construction: the end of a scope.
class ScopeGuard {
public:
    explicit ScopeGuard(Env &env)
        : m_env(env)
        , m_mark(env.size())
    {
    }
    ~ScopeGuard() { m_env.truncate(m_mark); }
    ScopeGuard(const ScopeGuard &) = delete;
    ScopeGuard &operator=(const ScopeGuard &) = delete;

private:
    Env &m_env;
    size_t m_mark;
};

/// A script closure: `fn` clauses or a `&(...)` capture with the variables it captured.
/// Immutable, so it can be called from any process.
class Closure final : public FunctionValue {
public:
    Closure(NodePtr node, Bindings captured, std::weak_ptr<ScriptHost> host,
        std::shared_ptr<const std::string> file, std::shared_ptr<const ModuleDef> module = nullptr);

    [[nodiscard]] int arity() const override;
    [[nodiscard]] std::string describe() const override;
    /// Runs the closure in the calling process with the host it was created with.
    [[nodiscard]] Term call(const std::vector<Term> &args) const override;
    void holdTerms(HeapWeigher &weigher) const override
    {
        for (const auto &binding : m_captured)
            weigher.hold(binding.second);
    }

    [[nodiscard]] const Node &node() const { return *m_node; }
    [[nodiscard]] const Bindings &captured() const { return m_captured; }
    [[nodiscard]] const std::shared_ptr<const std::string> &file() const { return m_file; }
    [[nodiscard]] const std::weak_ptr<ScriptHost> &host() const { return m_host; }
    /// The module whose function created the closure (its local calls go there), or null.
    [[nodiscard]] const std::shared_ptr<const ModuleDef> &module() const { return m_module; }

private:
    NodePtr m_node; // FnNode or CaptureNode; keeps the tree alive
    Bindings m_captured;
    std::weak_ptr<ScriptHost> m_host;
    std::shared_ptr<const std::string> m_file;
    std::shared_ptr<const ModuleDef> m_module;
};

/// &Module.fun/arity (and &local/arity, with module Kernel).
class FunctionRef final : public FunctionValue {
public:
    /// `local`: written &fun/arity inside the module, so a private function may be named.
    FunctionRef(Atom module, Atom function, int arity, std::weak_ptr<ScriptHost> host, bool local = false)
        : m_module(module)
        , m_function(function)
        , m_arity(arity)
        , m_host(std::move(host))
        , m_local(local)
    {
    }
    [[nodiscard]] int arity() const override { return m_arity; }
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] Term call(const std::vector<Term> &args) const override;
    [[nodiscard]] Atom module() const { return m_module; }
    [[nodiscard]] Atom function() const { return m_function; }
    [[nodiscard]] bool local() const { return m_local; }

private:
    Atom m_module;
    Atom m_function;
    int m_arity;
    std::weak_ptr<ScriptHost> m_host;
    bool m_local;
};

class Interpreter;

/// A builtin function: receives the evaluated arguments.
using BuiltinFn = Term (*)(Interpreter &, std::vector<Term> &args);

/// Told which clause a call runs, once, before its body (ScriptGenServer: the clause of the
/// callback that handles a message).
class ClauseListener {
public:
    virtual void clauseChosen(const DefNode &clause) = 0;
    ClauseListener() = default;
    virtual ~ClauseListener() = default;
    ClauseListener(const ClauseListener &) = delete;
    ClauseListener &operator=(const ClauseListener &) = delete;
};

/// One evaluation on one thread: the host, the reduction count and the stack guard.
/// Created by run() and callFunction(); never shared between threads.
class Interpreter {
public:
    Interpreter(ScriptHost &host, std::shared_ptr<const std::string> file);

    [[nodiscard]] ScriptHost &host() { return m_host; }
    [[nodiscard]] const std::shared_ptr<const std::string> &file() const { return m_file; }
    /// The text of the code being run, which the modules it defines keep (ModuleDef::source).
    void setSource(std::shared_ptr<const std::string> source) { m_source = std::move(source); }

    /// Evaluates a program's root in `env`.
    Term evalRoot(const Node &root, Env &env);
    /// Calls a function term (closures run here, on this interpreter).
    Term apply(const Term &function, std::vector<Term> args);
    /// Runs a closure's clauses on `args`, looping through calls in tail position.
    Term applyClosure(const Closure &closure, std::vector<Term> args);
    /// Module.fun(args): the builtins, then the modules scripts defined, else the host.
    /// `allowPrivate` for &fun/arity captured inside the module itself.
    Term callRemote(Atom module, Atom function, std::vector<Term> &args, bool allowPrivate = false);
    /// Calls name/arity of a script module (public or not) in the calling process; `listener`
    /// (when given) hears which of its clauses matched, before that clause's body runs.
    Term callModuleFunction(const std::shared_ptr<const ModuleDef> &module, const FunctionDef &function,
        std::vector<Term> args, ClauseListener *listener = nullptr);
    /// A binary operator on evaluated operands (`and`, `or`, `&&`, `||` evaluate both).
    Term applyOperator(Atom op, const Term &a, const Term &b);
    /// Counts one evaluation step; every kReductionsPerYield steps the host may preempt.
    void tick()
    {
        if (++m_reductions >= kReductionsPerYield && !m_inMatcher) {
            m_reductions = 0;
            m_host.yieldPoint();
        }
    }
    /// Raises SystemLimitError when the evaluation has used its stack budget.
    void checkStack() const;
    /// Ends the process (ScriptHost::heapLimitReached) when building a term of `words` words,
    /// counted as the BEAM does (2 per list cell), would pass its max_heap_size.
    void reserveHeap(double words)
    {
        const int64_t limit = m_host.maxHeapWords();
        if (limit > 0 && words > double(limit))
            m_host.heapLimitReached(words >= 9.0e18 ? INT64_MAX : static_cast<int64_t>(words));
    }

    /// Calls `visit` for each element of an enumerable (list, range, map as {k, v});
    /// `visit` returns false to stop. Raises Protocol.UndefinedError for other terms.
    void enumerate(const Term &enumerable, const std::function<bool(const Term &)> &visit);
    /// The elements of an enumerable as a vector.
    [[nodiscard]] std::vector<Term> toVector(const Term &enumerable);

    /// Evaluates `node` with `tail` set when the node is in tail position of a function
    /// body: a call there is returned through `tail` instead of nesting (loops written as
    /// recursion do not grow the stack).
    struct TailCall {
        bool pending = false;
        Term function; ///< a function term, unless `def` is set
        std::vector<Term> args;
        std::shared_ptr<const ModuleDef> module; ///< with `def`: the module it belongs to
        const FunctionDef *def = nullptr; ///< a script module's function
    };
    Term eval(const Node &node, Env &env, TailCall *tail = nullptr);

private:
    ScriptHost &m_host;
    std::weak_ptr<ScriptHost> m_hostRef;
    std::shared_ptr<const std::string> m_file;
    std::shared_ptr<const std::string> m_source; // may be null (code run from a closure)
    StackLimit m_stack;
    int m_reductions = 0;
    bool m_inMatcher = false;
    /// The module whose function is running (its local calls and attributes), or null.
    std::shared_ptr<const ModuleDef> m_module;
    /// The module whose body is being evaluated by defmodule, or null.
    ModuleDef *m_building = nullptr;
    /// Hears the next clause of a module function that matches (then it is cleared).
    ClauseListener *m_clauseListener = nullptr;

    /// Runs calls until one returns without a call in tail position.
    Term trampoline(TailCall call);
    /// One function body of a module for `args` (defaults filled in); a call in tail
    /// position is left in `tail`.
    Term stepDef(const FunctionDef &function, std::vector<Term> &args, TailCall &tail);
    Term stepClosure(const Closure &closure, std::vector<Term> &args, TailCall &tail);
    Term evalModule(const ModuleNode &node);
    void defineInModule(ModuleDef &module, const Node &expr, Env &env, Term &last);
    Term evalAttribute(const AttributeNode &node);
    const FunctionDef *localFunction(Atom name, int arity) const
    {
        return m_module ? m_module->find(name, arity) : nullptr;
    }

    Term evalVar(const VarNode &node, Env &env);
    static Term lookup(Atom name, Env &env);
    [[noreturn]] static Term misplacedGenerator();
    Term evalInterpolation(const InterpolationNode &node, Env &env);
    Term evalList(const ListNode &node, Env &env);
    Term evalMatch(const MatchNode &node, Env &env);
    Term evalApply(const ApplyNode &node, Env &env, TailCall *tail);
    Term makeFunctionRef(const FunRefNode &node);
    Term evalBlock(const BlockNode &node, Env &env, TailCall *tail);
    Term evalIf(const IfNode &node, Env &env, TailCall *tail);
    Term evalCall(const CallNode &node, Env &env, TailCall *tail);
    Term evalRemote(const RemoteNode &node, Env &env, TailCall *tail);
    Term evalBinary(const BinaryNode &node, Env &env);
    Term evalUnary(const UnaryNode &node, Env &env);
    Term evalMap(const MapNode &node, Env &env);
    Term evalStruct(const StructNode &node, Env &env);
    Term evalAccess(const AccessNode &node, Env &env);
    Term evalCase(const CaseNode &node, Env &env, TailCall *tail);
    Term evalCond(const CondNode &node, Env &env, TailCall *tail);
    Term evalReceive(const ReceiveNode &node, Env &env, TailCall *tail);
    Term evalTry(const TryNode &node, Env &env);
    Term evalFor(const ForNode &node, Env &env);
    Term evalWith(const WithNode &node, Env &env);
    Term evalRange(const RangeNode &node, Env &env);
    std::vector<Term> evalArgs(const std::vector<NodePtr> &args, Env &env);
    Term makeClosure(const NodePtr &node, Env &env);

    /// Matches `value` against `pattern`, binding into `env`. On failure the bindings made
    /// by this pattern stay in `env`: callers truncate to their scope's mark.
    bool match(const Node &pattern, const Term &value, Env &env, size_t patternStart);
    /// Patterns, then the guard (an error in a guard means no match, as in Elixir).
    bool matchClause(const Clause &clause, const std::vector<Term> &values, Env &env);
    bool guardHolds(const Node &guard, Env &env);
};

/// The builtin implementing Module.fun/arity, or nullptr.
[[nodiscard]] BuiltinFn findBuiltin(Atom module, Atom function, int arity);
/// True when the evaluator implements `module` as a whole (an unknown function of it is
/// undefined, not asked of the host).
[[nodiscard]] bool isBuiltinModule(Atom module);
/// Local functions (Kernel) a script may call without a module, for the checker.
[[nodiscard]] bool isLocalFunction(std::string_view name, int arity);
/// Local functions allowed in guards.
[[nodiscard]] bool isGuardFunction(std::string_view name, int arity);

/// Default fields of the structs the evaluator itself knows: exceptions and Range.
[[nodiscard]] std::optional<Term> builtinStructDefaults(Atom module);
/// What `raise Module, arg` raises: Module.exception(arg) for a message or keyword list.
[[nodiscard]] Term exceptionFromModule(Atom module, const Term &arg);

/// True for a %Range{} struct.
[[nodiscard]] bool isRange(const Term &t);
/// True when the proper list `list` holds a term exactly equal (===) to `value`.
[[nodiscard]] bool listContainsExact(const Term &list, const Term &value);

/// Restores the interpreter's current module when a call into another one ends.
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

/// Whether `module` exists for `host`: one the evaluator implements or one a script or the
/// catalog defined (what Code.ensure_loaded?/1 would say).
[[nodiscard]] bool moduleAvailable(ScriptHost &host, Atom module);

/// The atom for Kernel (":Elixir.Kernel").
[[nodiscard]] Atom kernelModule();

// Small helpers for builtins ---------------------------------------------------------------

[[nodiscard]] inline Term nilTerm()
{
    return Term(atoms::nilAtom());
}
[[nodiscard]] inline Term boolTerm(bool b)
{
    return Term::boolean(b);
}
/// The binary text of `t`, or FunctionClauseError for Module.fun/arity.
[[nodiscard]] std::string_view expectBinary(
    const Term &t, std::string_view module, std::string_view fun, int arity);
[[nodiscard]] int64_t expectInteger(const Term &t, std::string_view module, std::string_view fun, int arity);
/// A keyword-list option's value, or nullptr.
[[nodiscard]] const Term *keywordGet(const Term &list, std::string_view key);

} // namespace mailroom::script
