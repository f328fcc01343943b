// SPDX-License-Identifier: MIT
// Pattern matching and the forms built on clauses: case, cond, receive, try, for, with.

#include "script/builtins.h"
#include "script/interpreter.h"

#include <algorithm>

namespace mailroom::script {

namespace {

Term atom(std::string_view name)
{
    return Term::atom(name);
}

} // namespace

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
    const std::vector<Term> values{ subject };
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
        const std::vector<Term> values{ message };
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
            if (results.size() % 4096 == 0)
                reserveHeap(2.0 * double(results.size() + 4096)); // the list `for` returns
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
} // namespace mailroom::script
