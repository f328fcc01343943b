// SPDX-License-Identifier: MIT
#include "script/checker.h"

#include "script/interpreter.h"

#include <algorithm>

namespace mailroom::script {

namespace {

/// Variables in scope (atom ids); copied into nested scopes, which then go away.
using Scope = std::vector<uint32_t>;

bool bound(const Scope &scope, Atom name)
{
    return std::find(scope.begin(), scope.end(), name.id()) != scope.end();
}

void bind(Scope &scope, Atom name)
{
    if (!bound(scope, name))
        scope.push_back(name.id());
}

std::string callName(std::string_view name, size_t arity)
{
    return std::string(name) + "/" + std::to_string(arity);
}

class Checker {
public:
    Checker(const std::string &file, const StackLimit &stack)
        : m_file(file)
        , m_stack(stack)
    {
    }

    // expr() only dispatches: it is the recursion's hot path, so its frame stays small.
    void expr(const Node &n, Scope &scope)
    {
        if (m_stack.exceeded())
            tooDeep(n);
        switch (n.kind) {
        case NodeKind::Literal:
            return;
        case NodeKind::Var:
            return var(n, scope);
        case NodeKind::Pin:
            return pinOutsidePattern(n);
        case NodeKind::Binary:
            return binary(n.as<BinaryNode>(), scope);
        case NodeKind::Match:
            return matchExpr(n.as<MatchNode>(), scope);
        case NodeKind::Call:
            return call(n.as<CallNode>(), scope);
        case NodeKind::Fn:
            for (const Clause &c : n.as<FnNode>().clauses)
                clause(c, scope);
            return;
        case NodeKind::Capture:
            return capture(n.as<CaptureNode>(), scope);
        case NodeKind::CaptureArg:
            if (m_captureDepth == 0)
                captureArgOutside(n);
            return;
        case NodeKind::FunRef:
            return funRef(n.as<FunRefNode>());
        case NodeKind::If:
            return ifExpr(n.as<IfNode>(), scope);
        case NodeKind::Case:
            return caseExpr(n.as<CaseNode>(), scope);
        case NodeKind::Cond:
            for (const Clause &cl : n.as<CondNode>().clauses) {
                Scope inner = scope;
                expr(*cl.patterns[0], inner);
                expr(*cl.body, inner);
            }
            return;
        case NodeKind::Receive:
            return receive(n.as<ReceiveNode>(), scope);
        case NodeKind::Try:
            return tryNode(n.as<TryNode>(), scope);
        case NodeKind::For:
            return forNode(n.as<ForNode>(), scope);
        case NodeKind::With:
            return withNode(n.as<WithNode>(), scope);
        case NodeKind::Generator:
            return misplacedGenerator(n);
        case NodeKind::Block:
            for (const auto &e : n.as<BlockNode>().exprs)
                expr(*e, scope);
            return;
        case NodeKind::Module:
            return; // checked when its defmodule runs, as Elixir compiles it then
        case NodeKind::Def:
            fail(n, "def and defp can only be used directly inside defmodule, not inside a function or block");
        case NodeKind::Attribute:
            if (n.as<AttributeNode>().value)
                fail(n,
                    "module attributes can only be set directly inside defmodule: @"
                        + std::string(n.as<AttributeNode>().name.name()) + " value");
            return;
        default:
            forEachChild(n, [&](const Node &child) { expr(child, scope); });
            return;
        }
    }

    void clause(const Clause &c, const Scope &outer)
    {
        Scope inner = outer;
        Scope added;
        for (const auto &p : c.patterns)
            pattern(*p, outer, added);
        for (const uint32_t id : added)
            bind(inner, Atom::fromId(id));
        if (c.guard)
            guard(*c.guard, inner);
        expr(*c.body, inner);
    }

    // A module's body: every def sees every function of the module, and nothing outside.
    void module(const ModuleNode &m)
    {
        m_module = &m;
        for (const auto &e : m.body)
            if (e->kind == NodeKind::Def) {
                const auto &d = e->as<DefNode>();
                for (int k = d.arity() - d.defaultCount(); k <= d.arity(); ++k)
                    m_functions.push_back(ModuleDef::key(d.name, k));
            }
        Scope body;
        for (const auto &e : m.body) {
            switch (e->kind) {
            case NodeKind::Def:
                def(e->as<DefNode>());
                break;
            case NodeKind::Attribute:
                if (e->as<AttributeNode>().value)
                    expr(*e->as<AttributeNode>().value, body);
                break;
            case NodeKind::Module:
                break;
            case NodeKind::Call:
                if (e->as<CallNode>().name.name() == "use" || e->as<CallNode>().name.name() == "defstruct") {
                    for (const auto &a : e->as<CallNode>().args)
                        expr(*a, body);
                    break;
                }
                expr(*e, body);
                break;
            default:
                expr(*e, body);
                break;
            }
        }
    }

private:
    const std::string &m_file;
    const StackLimit &m_stack;
    int m_captureDepth = 0;
    const ModuleNode *m_module = nullptr;
    std::vector<uint64_t> m_functions; // ModuleDef::key of each name/arity the module defines
    bool m_inDef = false;

    [[nodiscard]] bool defines(Atom name, size_t arity) const
    {
        return m_inDef
            && std::find(m_functions.begin(), m_functions.end(), ModuleDef::key(name, static_cast<int>(arity)))
            != m_functions.end();
    }

    void def(const DefNode &d)
    {
        m_inDef = true;
        const Scope none;
        Scope added;
        for (const auto &p : d.clause.patterns)
            pattern(*p, none, added);
        for (const auto &value : d.defaults)
            if (value) {
                Scope own;
                expr(*value, own);
            }
        Scope inner;
        for (const uint32_t id : added)
            bind(inner, Atom::fromId(id));
        if (d.clause.guard)
            guard(*d.clause.guard, inner);
        if (d.clause.body)
            expr(*d.clause.body, inner);
        m_inDef = false;
    }

    [[noreturn, gnu::noinline]] void fail(const Node &n, std::string_view message) const
    {
        // A module's errors are placed by line only, as Elixir's compiler reports them.
        const SourcePos pos = m_module != nullptr ? SourcePos{ n.pos.line, 0 } : n.pos;
        throw ScriptError(ScriptError::Kind::CompileError, m_file, pos, std::string(message));
    }

    [[noreturn, gnu::noinline]] void tooDeep(const Node &n) const
    {
        fail(n, "expression is nested too deeply for the stack; Mailroom's script language limits nesting");
    }

    [[gnu::noinline]] void var(const Node &n, const Scope &scope) const
    {
        const Atom name = n.as<VarNode>().name;
        if (name.name() == "_")
            fail(n,
                "invalid use of _. \"_\" represents a value to be ignored in a pattern and cannot be used in "
                "expressions");
        if (!bound(scope, name) && !isLocalFunction(name.name(), 0) && !defines(name, 0))
            undefinedFunction(n, name.name(), 0);
    }

    [[noreturn, gnu::noinline]] void pinOutsidePattern(const Node &n) const
    {
        fail(n, "cannot use ^" + std::string(n.as<PinNode>().name.name()) + " outside of match clauses");
    }

    [[noreturn, gnu::noinline]] void captureArgOutside(const Node &n) const
    {
        fail(n,
            "capture argument &" + std::to_string(n.as<CaptureArgNode>().index)
                + " must be used within the capture operator &");
    }

    [[noreturn, gnu::noinline]] void misplacedGenerator(const Node &n) const
    {
        fail(n, "misplaced operator <-: generators go in for and with, such as for x <- list do ... end");
    }

    [[gnu::noinline]] void checkOperatorPlace(const BinaryNode &b) const
    {
        const std::string_view op = b.op.name();
        if (op == "|")
            fail(b,
                "misplaced operator |/2: the | operator is only used between brackets, as in [head | tail] "
                "and "
                "%{map | key: value}");
        if (op == "when")
            fail(b, "misplaced operator when: guards go in clause heads, such as x when x > 0 -> ...");
        if (op == "<-")
            misplacedGenerator(b);
        if (op == "=>")
            fail(b, "misplaced operator =>: it is only used inside maps, such as %{key => value}");
    }

    [[gnu::noinline]] void binary(const BinaryNode &b, Scope &scope)
    {
        checkOperatorPlace(b);
        expr(*b.lhs, scope);
        const std::string_view op = b.op.name();
        if (op == "&&" || op == "||" || op == "and" || op == "or") {
            Scope inner = scope;
            expr(*b.rhs, inner);
        } else {
            expr(*b.rhs, scope);
        }
    }

    [[gnu::noinline]] void matchExpr(const MatchNode &m, Scope &scope)
    {
        expr(*m.value, scope);
        Scope added;
        pattern(*m.pattern, scope, added);
        for (const uint32_t id : added)
            bind(scope, Atom::fromId(id));
    }

    [[gnu::noinline]] void capture(const CaptureNode &c, const Scope &scope)
    {
        ++m_captureDepth;
        Scope inner = scope;
        expr(*c.body, inner);
        --m_captureDepth;
    }

    [[gnu::noinline]] void funRef(const FunRefNode &f) const
    {
        if (!f.module.isAtom() || f.module.isAtom("nil"))
            if (!isLocalFunction(f.function.name(), f.arity) && !defines(f.function, static_cast<size_t>(f.arity)))
                undefinedFunction(f, f.function.name(), static_cast<size_t>(f.arity));
    }

    [[gnu::noinline]] void ifExpr(const IfNode &i, Scope &scope)
    {
        expr(*i.condition, scope);
        sub(*i.then, scope);
        if (i.otherwise)
            sub(*i.otherwise, scope);
    }

    [[gnu::noinline]] void caseExpr(const CaseNode &c, Scope &scope)
    {
        if (!c.subject)
            fail(c,
                "case needs an expression to match, as in case value do ... end (or value |> case do ... "
                "end)");
        expr(*c.subject, scope);
        for (const Clause &cl : c.clauses)
            clause(cl, scope);
    }

    [[gnu::noinline]] void receive(const ReceiveNode &r, Scope &scope)
    {
        for (const Clause &cl : r.clauses)
            clause(cl, scope);
        if (r.timeout) {
            expr(*r.timeout, scope);
            sub(*r.afterBody, scope);
        }
    }

    void sub(const Node &n, const Scope &scope)
    {
        Scope inner = scope;
        expr(n, inner);
    }

    [[gnu::noinline]] void call(const CallNode &c, Scope &scope)
    {
        if (c.name.name() == "match?" && c.args.size() == 2) {
            expr(*c.args[1], scope);
            // match?(pattern when guard, expr): the guard sees the pattern's variables.
            const Node *p = c.args[0].get();
            const Node *g = nullptr;
            if (p->kind == NodeKind::Binary && p->as<BinaryNode>().op.name() == "when") {
                g = p->as<BinaryNode>().rhs.get();
                p = p->as<BinaryNode>().lhs.get();
            }
            Scope added;
            pattern(*p, scope, added);
            if (g != nullptr) {
                Scope inner = scope;
                for (const uint32_t id : added)
                    bind(inner, Atom::fromId(id));
                guard(*g, inner);
            }
            return;
        }
        if (c.ambiguousOperator && bound(scope, c.name))
            ambiguousCall(c);
        if (c.name.name() == "use" || c.name.name() == "defstruct")
            fail(c, std::string(c.name.name()) + " can only be used directly inside defmodule");
        if (!isLocalFunction(c.name.name(), static_cast<int>(c.args.size())) && !defines(c.name, c.args.size()))
            undefinedFunction(c, c.name.name(), c.args.size());
        for (const auto &a : c.args)
            expr(*a, scope);
    }

    [[noreturn, gnu::noinline]] void undefinedFunction(
        const Node &n, std::string_view name, size_t arity) const
    {
        if (m_module != nullptr)
            fail(n,
                "undefined function " + callName(name, arity) + " (expected " + moduleText(m_module->name)
                    + " to define such a function or for it to be imported, but none are available)");
        fail(n, "undefined function " + callName(name, arity) + " (there is no such import)");
    }

    // `x -1` where x is a variable: Elixir's message quotes the call as written.
    [[noreturn, gnu::noinline]] void ambiguousCall(const CallNode &c) const
    {
        const Node &arg = *c.args.front();
        std::string written = "...";
        if (arg.kind == NodeKind::Literal && arg.as<LiteralNode>().value.isNumber())
            written = dump(arg);
        else if (arg.kind == NodeKind::Unary && arg.as<UnaryNode>().operand->kind == NodeKind::Var)
            written = std::string(arg.as<UnaryNode>().op.name())
                + std::string(arg.as<UnaryNode>().operand->as<VarNode>().name.name());
        const std::string n(c.name.name());
        fail(c,
            "\"" + n + " " + written + "\" looks like a function call but there is a variable named \"" + n
                + "\". If you want to perform a function call, use parentheses:\n\n    " + n + "(" + written
                + ")\n\nIf you want to perform an operation on the variable " + n
                + ", use spaces around the unary operator");
    }

    // Checks a pattern. `before` holds the variables a pin may use; new variables go to `added`.
    void pattern(const Node &p, const Scope &before, Scope &added)
    {
        switch (p.kind) {
        case NodeKind::Literal:
            return;
        case NodeKind::Var:
            if (p.as<VarNode>().name.name() != "_")
                bind(added, p.as<VarNode>().name);
            return;
        case NodeKind::Pin:
            if (!bound(before, p.as<PinNode>().name)) {
                const std::string name(p.as<PinNode>().name.name());
                fail(p,
                    "undefined variable ^" + name + ". No variable \"" + name
                        + "\" has been defined before the current pattern");
            }
            return;
        case NodeKind::Tuple:
            for (const auto &e : p.as<TupleNode>().elements)
                pattern(*e, before, added);
            return;
        case NodeKind::List:
            for (const auto &e : p.as<ListNode>().elements)
                pattern(*e, before, added);
            if (p.as<ListNode>().tail)
                pattern(*p.as<ListNode>().tail, before, added);
            return;
        case NodeKind::Map:
        case NodeKind::Struct: {
            const bool isStruct = p.kind == NodeKind::Struct;
            if (isStruct ? static_cast<bool>(p.as<StructNode>().base)
                         : static_cast<bool>(p.as<MapNode>().base))
                fail(p, "the update syntax %{map | key: value} cannot be used inside a match");
            const auto &entries = isStruct ? p.as<StructNode>().entries : p.as<MapNode>().entries;
            for (const auto &[k, v] : entries) {
                if (k->kind == NodeKind::Var)
                    fail(*k,
                        "cannot use variable " + std::string(k->as<VarNode>().name.name())
                            + " as map key inside a pattern. Map keys in patterns can only be literals (such "
                              "as "
                              "atoms, strings, tuples, and the like) or an existing variable matched with "
                              "the "
                              "pin operator (such as ^some_var)");
                if (k->kind == NodeKind::Pin)
                    pattern(*k, before, added);
                else if (k->kind != NodeKind::Literal)
                    fail(*k, "map keys in patterns can only be literals or pinned variables (such as ^key)");
                pattern(*v, before, added);
            }
            return;
        }
        case NodeKind::Match:
            pattern(*p.as<MatchNode>().pattern, before, added);
            pattern(*p.as<MatchNode>().value, before, added);
            return;
        case NodeKind::Binary: {
            const auto &b = p.as<BinaryNode>();
            if (b.op.name() == "<>") {
                if (b.lhs->kind != NodeKind::Literal || !b.lhs->as<LiteralNode>().value.isBinary())
                    fail(p,
                        "the left argument of <> operator inside a match should always be a literal binary "
                        "because its size can't be verified");
                pattern(*b.rhs, before, added);
                return;
            }
            fail(p,
                "cannot use the operator " + std::string(b.op.name())
                    + " inside a match (patterns hold literals, variables, ^pins, tuples, lists, maps, "
                      "structs and "
                      "\"prefix\" <> rest)");
        }
        case NodeKind::Call:
            fail(p,
                "cannot invoke local function "
                    + callName(p.as<CallNode>().name.name(), p.as<CallNode>().args.size())
                    + " inside a match");
        case NodeKind::Remote: {
            const auto &r = p.as<RemoteNode>();
            std::string target = "an expression";
            if (r.target->kind == NodeKind::Literal && r.target->as<LiteralNode>().value.isAtom())
                target = moduleText(r.target->as<LiteralNode>().value.asAtom());
            fail(p,
                "cannot invoke remote function " + target + "." + callName(r.function.name(), r.args.size())
                    + " inside a match");
        }
        case NodeKind::Interpolation:
            fail(p, "string interpolation cannot be used inside a match; use \"prefix\" <> rest");
        default:
            fail(p, "invalid pattern: this expression cannot be used inside a match");
        }
    }

    void guard(const Node &g, Scope &scope)
    {
        switch (g.kind) {
        case NodeKind::Call: {
            const auto &c = g.as<CallNode>();
            if (!isGuardFunction(c.name.name(), static_cast<int>(c.args.size())))
                fail(g,
                    "cannot find or invoke local " + callName(c.name.name(), c.args.size())
                        + " inside guards. Only macros can be invoked in a guard and they must be defined "
                          "before "
                          "their invocation");
            for (const auto &a : c.args)
                guard(*a, scope);
            return;
        }
        case NodeKind::Remote: {
            const auto &r = g.as<RemoteNode>();
            const bool field = !r.parens && r.args.empty() && r.target->kind != NodeKind::Literal;
            const bool integerMacro = r.target->kind == NodeKind::Literal
                && r.target->as<LiteralNode>().value.isAtom("Elixir.Integer")
                && (r.function.name() == "is_even" || r.function.name() == "is_odd");
            if (!field && !integerMacro) {
                std::string target = "an expression";
                if (r.target->kind == NodeKind::Literal && r.target->as<LiteralNode>().value.isAtom())
                    target = moduleText(r.target->as<LiteralNode>().value.asAtom());
                fail(g,
                    "cannot invoke remote function " + target + "."
                        + callName(r.function.name(), r.args.size()) + " inside guards");
            }
            guard(*r.target, scope);
            for (const auto &a : r.args)
                guard(*a, scope);
            return;
        }
        case NodeKind::Apply:
            fail(g, "invalid expression in guard, anonymous call is not allowed in guards");
        case NodeKind::Match:
            fail(g,
                "invalid expression in guard, = is not allowed in guards. To learn more about guards, visit: "
                "https://hexdocs.pm/elixir/patterns-and-guards.html");
        case NodeKind::Fn:
        case NodeKind::Capture:
        case NodeKind::Case:
        case NodeKind::Cond:
        case NodeKind::If:
        case NodeKind::Receive:
        case NodeKind::Try:
        case NodeKind::For:
        case NodeKind::With:
        case NodeKind::Access:
        case NodeKind::Block:
            fail(g,
                "invalid expression in guard: guards can only use variables, literals, operators and guard "
                "functions such as is_integer/1");
        case NodeKind::Binary: {
            const auto &b = g.as<BinaryNode>();
            if (b.op.name() == "when" || b.op.name() == "<-" || b.op.name() == "|" || b.op.name() == "=>")
                expr(g, scope); // reports the misplaced operator
            guard(*b.lhs, scope);
            guard(*b.rhs, scope);
            return;
        }
        case NodeKind::Var:
        case NodeKind::Literal:
        case NodeKind::Pin:
            if (g.kind == NodeKind::Pin) {
                if (!bound(scope, g.as<PinNode>().name))
                    fail(g, "undefined variable ^" + std::string(g.as<PinNode>().name.name()));
                return;
            }
            expr(g, scope);
            return;
        default:
            forEachChild(g, [&](const Node &child) { guard(child, scope); });
            return;
        }
    }

    void rescueClause(const Clause &c, const Scope &outer)
    {
        const Node &p = *c.patterns[0];
        auto isAlias
            = [](const Node &n) { return n.kind == NodeKind::Literal && n.as<LiteralNode>().value.isAtom(); };
        Scope inner = outer;
        bool ok = false;
        if (p.kind == NodeKind::Var) {
            ok = true;
            bind(inner, p.as<VarNode>().name);
        } else if (isAlias(p)) {
            ok = true;
        } else if (p.kind == NodeKind::Binary && p.as<BinaryNode>().op.name() == "in"
            && p.as<BinaryNode>().lhs->kind == NodeKind::Var) {
            const Node &rhs = *p.as<BinaryNode>().rhs;
            ok = isAlias(rhs);
            if (rhs.kind == NodeKind::Literal && rhs.as<LiteralNode>().value.isList()) {
                ok = true; // [A, B] folded into one constant
                for (const auto &e : rhs.as<LiteralNode>().value.listElements())
                    ok = ok && e.isAtom();
            }
            if (rhs.kind == NodeKind::List) {
                ok = !rhs.as<ListNode>().tail;
                for (const auto &e : rhs.as<ListNode>().elements)
                    ok = ok && isAlias(*e);
            }
            bind(inner, p.as<BinaryNode>().lhs->as<VarNode>().name);
        }
        if (!ok)
            fail(p,
                "invalid rescue clause. The clause should match on an alias, a variable or be in the \"var "
                "in "
                "[alias]\" format");
        expr(*c.body, inner);
    }

    [[gnu::noinline]] void tryNode(const TryNode &t, Scope &scope)
    {
        sub(*t.body, scope);
        for (const Clause &c : t.rescues)
            rescueClause(c, scope);
        for (const Clause &c : t.catches)
            clause(c, scope);
        for (const Clause &c : t.elses)
            clause(c, scope);
        if (t.after)
            sub(*t.after, scope);
    }

    [[gnu::noinline]] void forNode(const ForNode &f, Scope &scope)
    {
        Scope inner = scope;
        for (const auto &q : f.qualifiers) {
            if (q->kind != NodeKind::Generator) {
                Scope filter = inner;
                expr(*q, filter);
                continue;
            }
            const auto &g = q->as<GeneratorNode>();
            expr(*g.source, inner);
            Scope added;
            pattern(*g.pattern, inner, added);
            for (const uint32_t id : added)
                bind(inner, Atom::fromId(id));
            if (g.guard)
                guard(*g.guard, inner);
        }
        for (const NodePtr *option : { &f.into, &f.uniq, &f.reduce })
            if (*option)
                sub(**option, scope);
        if (f.body)
            sub(*f.body, inner);
        for (const Clause &c : f.reduceClauses)
            clause(c, inner);
    }

    [[gnu::noinline]] void withNode(const WithNode &w, Scope &scope)
    {
        Scope inner = scope;
        for (const auto &q : w.qualifiers) {
            if (q->kind != NodeKind::Generator) {
                expr(*q, inner);
                continue;
            }
            const auto &g = q->as<GeneratorNode>();
            expr(*g.source, inner);
            Scope added;
            pattern(*g.pattern, inner, added);
            for (const uint32_t id : added)
                bind(inner, Atom::fromId(id));
            if (g.guard)
                guard(*g.guard, inner);
        }
        expr(*w.body, inner);
        for (const Clause &c : w.elses)
            clause(c, scope);
    }
};

} // namespace

void checkProgram(
    const Node &root, const std::string &file, const std::vector<Atom> &knownVariables, size_t stackBudget)
{
    Scope scope;
    for (const Atom a : knownVariables)
        bind(scope, a);
    const StackLimit stack(stackBudget);
    Checker checker(file, stack);
    checker.expr(root, scope);
}

void checkModule(const ModuleNode &module, const std::string &file, size_t stackBudget)
{
    const StackLimit stack(stackBudget);
    Checker checker(file, stack);
    checker.module(module);
}

} // namespace mailroom::script
