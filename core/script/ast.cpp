// SPDX-License-Identifier: MIT
#include "script/ast.h"

#include "script/exceptions.h"

#include <charconv>
#include <type_traits>

namespace mailroom::script {

namespace {

// Literals print in a small Elixir-like form of their own: the dump must not depend on
// Term::inspect, whose output is tested elsewhere.
std::string literalText(const Term &t)
{
    switch (t.kind()) {
    case TermKind::Integer:
        return std::to_string(t.asInteger());
    case TermKind::Float: {
        char buf[64];
        const auto res = std::to_chars(buf, buf + sizeof buf, t.asFloat());
        std::string s(buf, res.ptr);
        if (s.find_first_of(".e") == std::string::npos)
            s += ".0";
        return s;
    }
    case TermKind::Atom: {
        const std::string_view name = t.asAtom().name();
        if (name == "nil" || name == "true" || name == "false")
            return std::string(name);
        if (name.starts_with("Elixir."))
            return std::string(name.substr(7));
        return ":" + std::string(name);
    }
    case TermKind::Binary: {
        std::string s = "\"";
        for (const char c : t.asBinary()) {
            if (c == '"' || c == '\\')
                s += '\\';
            if (c == '\n')
                s += "\\n";
            else
                s += c;
        }
        return s + "\"";
    }
    case TermKind::Nil:
    case TermKind::Cons: {
        std::string s = "[";
        bool first = true;
        for (const auto &e : t.listElements()) {
            if (!first)
                s += ", ";
            first = false;
            s += literalText(e);
        }
        return s + "]";
    }
    default:
        return "?";
    }
}

class Dumper {
public:
    std::string out;

    void node(const NodePtr &n)
    {
        if (n)
            node(*n);
        else
            out += "nil";
    }

    void list(const std::vector<NodePtr> &nodes)
    {
        for (const auto &n : nodes) {
            out += ' ';
            node(n);
        }
    }

    void clause(const Clause &c)
    {
        out += " (";
        bool first = true;
        for (const auto &p : c.patterns) {
            if (!first)
                out += ' ';
            first = false;
            node(p);
        }
        if (c.guard) {
            out += " when ";
            node(c.guard);
        }
        out += c.patterns.empty() && !c.guard ? "-> " : " -> ";
        node(c.body);
        out += ')';
    }

    void clauses(const char *label, const std::vector<Clause> &cs)
    {
        if (cs.empty())
            return;
        out += std::string(" (") + label;
        for (const auto &c : cs)
            clause(c);
        out += ')';
    }

    void entries(const std::vector<std::pair<NodePtr, NodePtr>> &es)
    {
        bool first = true;
        for (const auto &[k, v] : es) {
            if (!first)
                out += ", ";
            first = false;
            node(k);
            out += " => ";
            node(v);
        }
    }

    void node(const Node &n)
    {
        switch (n.kind) {
        case NodeKind::Literal:
            out += literalText(n.as<LiteralNode>().value);
            return;
        case NodeKind::Var:
            out += n.as<VarNode>().name.name();
            return;
        case NodeKind::Pin:
            out += "^";
            out += n.as<PinNode>().name.name();
            return;
        case NodeKind::Interpolation: {
            const auto &i = n.as<InterpolationNode>();
            out += i.charlist ? "(<<>>c" : "(<<>>";
            list(i.parts);
            out += ')';
            return;
        }
        case NodeKind::Tuple: {
            out += '{';
            bool first = true;
            for (const auto &e : n.as<TupleNode>().elements) {
                if (!first)
                    out += ", ";
                first = false;
                node(e);
            }
            out += '}';
            return;
        }
        case NodeKind::List: {
            const auto &l = n.as<ListNode>();
            out += '[';
            bool first = true;
            for (const auto &e : l.elements) {
                if (!first)
                    out += ", ";
                first = false;
                node(e);
            }
            if (l.tail) {
                out += " | ";
                node(l.tail);
            }
            out += ']';
            return;
        }
        case NodeKind::Map: {
            const auto &m = n.as<MapNode>();
            out += "%{";
            if (m.base) {
                node(m.base);
                out += " | ";
            }
            entries(m.entries);
            out += '}';
            return;
        }
        case NodeKind::Struct: {
            const auto &s = n.as<StructNode>();
            out += "%";
            out += s.module.name().substr(s.module.name().starts_with("Elixir.") ? 7 : 0);
            out += "{";
            if (s.base) {
                node(s.base);
                out += " | ";
            }
            entries(s.entries);
            out += '}';
            return;
        }
        case NodeKind::Unary: {
            const auto &u = n.as<UnaryNode>();
            out += "(";
            out += u.op.name();
            out += ' ';
            node(u.operand);
            out += ')';
            return;
        }
        case NodeKind::Binary: {
            const auto &b = n.as<BinaryNode>();
            out += "(";
            out += b.op.name();
            out += ' ';
            node(b.lhs);
            out += ' ';
            node(b.rhs);
            out += ')';
            return;
        }
        case NodeKind::Match: {
            const auto &m = n.as<MatchNode>();
            out += "(= ";
            node(m.pattern);
            out += ' ';
            node(m.value);
            out += ')';
            return;
        }
        case NodeKind::Range: {
            const auto &r = n.as<RangeNode>();
            out += "(.. ";
            node(r.first);
            out += ' ';
            node(r.last);
            if (r.step) {
                out += ' ';
                node(r.step);
            }
            out += ')';
            return;
        }
        case NodeKind::Call: {
            const auto &c = n.as<CallNode>();
            out += "(";
            out += c.name.name();
            list(c.args);
            out += ')';
            return;
        }
        case NodeKind::Remote: {
            const auto &r = n.as<RemoteNode>();
            out += "(";
            node(r.target);
            out += '.';
            out += r.function.name();
            if (!r.parens)
                out += " noparens";
            list(r.args);
            out += ')';
            return;
        }
        case NodeKind::Apply: {
            const auto &a = n.as<ApplyNode>();
            out += "(.() ";
            node(a.function);
            list(a.args);
            out += ')';
            return;
        }
        case NodeKind::Access: {
            const auto &a = n.as<AccessNode>();
            out += "([] ";
            node(a.target);
            out += ' ';
            node(a.key);
            out += ')';
            return;
        }
        case NodeKind::Fn:
            out += "(fn";
            for (const auto &c : n.as<FnNode>().clauses)
                clause(c);
            out += ')';
            return;
        case NodeKind::Capture:
            out += "(& ";
            node(n.as<CaptureNode>().body);
            out += ')';
            return;
        case NodeKind::CaptureArg:
            out += "&" + std::to_string(n.as<CaptureArgNode>().index);
            return;
        case NodeKind::FunRef: {
            const auto &f = n.as<FunRefNode>();
            out += "&";
            if (f.module.isAtom() && !f.module.isAtom("nil")) {
                out += literalText(f.module);
                out += '.';
            }
            out += f.function.name();
            out += "/" + std::to_string(f.arity);
            return;
        }
        case NodeKind::Block:
            out += "(block";
            list(n.as<BlockNode>().exprs);
            out += ')';
            return;
        case NodeKind::If: {
            const auto &i = n.as<IfNode>();
            out += "(if ";
            node(i.condition);
            out += ' ';
            node(i.then);
            out += ' ';
            node(i.otherwise);
            out += ')';
            return;
        }
        case NodeKind::Case: {
            const auto &c = n.as<CaseNode>();
            out += "(case ";
            node(c.subject);
            for (const auto &cl : c.clauses)
                clause(cl);
            out += ')';
            return;
        }
        case NodeKind::Cond:
            out += "(cond";
            for (const auto &cl : n.as<CondNode>().clauses)
                clause(cl);
            out += ')';
            return;
        case NodeKind::Receive: {
            const auto &r = n.as<ReceiveNode>();
            out += "(receive";
            for (const auto &cl : r.clauses)
                clause(cl);
            if (r.timeout) {
                out += " (after ";
                node(r.timeout);
                out += " -> ";
                node(r.afterBody);
                out += ')';
            }
            out += ')';
            return;
        }
        case NodeKind::Try: {
            const auto &t = n.as<TryNode>();
            out += "(try ";
            node(t.body);
            clauses("rescue", t.rescues);
            clauses("catch", t.catches);
            clauses("else", t.elses);
            if (t.after) {
                out += " (after ";
                node(t.after);
                out += ')';
            }
            out += ')';
            return;
        }
        case NodeKind::Generator: {
            const auto &g = n.as<GeneratorNode>();
            out += "(<- ";
            node(g.pattern);
            if (g.guard) {
                out += " when ";
                node(g.guard);
            }
            out += ' ';
            node(g.source);
            out += ')';
            return;
        }
        case NodeKind::For: {
            const auto &f = n.as<ForNode>();
            out += "(for";
            list(f.qualifiers);
            if (f.into) {
                out += " (into ";
                node(f.into);
                out += ')';
            }
            if (f.uniq) {
                out += " (uniq ";
                node(f.uniq);
                out += ')';
            }
            if (f.reduce) {
                out += " (reduce ";
                node(f.reduce);
                for (const auto &c : f.reduceClauses)
                    clause(c);
                out += ')';
            } else {
                out += ' ';
                node(f.body);
            }
            out += ')';
            return;
        }
        case NodeKind::With: {
            const auto &w = n.as<WithNode>();
            out += "(with";
            list(w.qualifiers);
            out += ' ';
            node(w.body);
            clauses("else", w.elses);
            out += ')';
            return;
        }
        case NodeKind::Module:
            out += "(defmodule " + moduleText(n.as<ModuleNode>().name);
            list(n.as<ModuleNode>().body);
            out += ')';
            return;
        case NodeKind::Def: {
            const auto &d = n.as<DefNode>();
            out += std::string(d.isPrivate ? "(defp " : "(def ") + std::string(d.name.name());
            for (size_t i = 0; i < d.clause.patterns.size(); ++i) {
                out += ' ';
                node(d.clause.patterns[i]);
                if (d.defaults[i]) {
                    out += " \\\\ ";
                    node(d.defaults[i]);
                }
            }
            if (d.clause.guard) {
                out += " when ";
                node(d.clause.guard);
            }
            out += " -> ";
            node(d.clause.body);
            out += ')';
            return;
        }
        case NodeKind::Attribute:
            out += "(@" + std::string(n.as<AttributeNode>().name.name());
            if (n.as<AttributeNode>().value) {
                out += ' ';
                node(n.as<AttributeNode>().value);
            }
            out += ')';
            return;
        }
    }
};

// `T`, const when `N` is: the same walker reads const trees and empties mutable ones.
template<class N, class T> using Like = std::conditional_t<std::is_const_v<N>, const T, T>;

template<class T, class N> Like<N, T> &nodeAs(N &node)
{
    return static_cast<Like<N, T> &>(node);
}

// Calls `slot` with each child pointer of `node` (NodePtr&, or const NodePtr& for a const
// node), clause parts included, in source order. Null slots are passed too.
template<class N, class F> void eachChildSlot(N &node, F &&slot)
{
    const auto all = [&](auto &nodes) {
        for (auto &n : nodes)
            slot(n);
    };
    const auto entries = [&](auto &pairs) {
        for (auto &[k, v] : pairs) {
            slot(k);
            slot(v);
        }
    };
    const auto clauses = [&](auto &list) {
        for (auto &c : list) {
            all(c.patterns);
            slot(c.guard);
            slot(c.body);
        }
    };
    switch (node.kind) {
    case NodeKind::Literal:
    case NodeKind::Var:
    case NodeKind::Pin:
    case NodeKind::CaptureArg:
    case NodeKind::FunRef:
        return;
    case NodeKind::Interpolation:
        all(nodeAs<InterpolationNode>(node).parts);
        return;
    case NodeKind::Tuple:
        all(nodeAs<TupleNode>(node).elements);
        return;
    case NodeKind::List: {
        auto &l = nodeAs<ListNode>(node);
        all(l.elements);
        slot(l.tail);
        return;
    }
    case NodeKind::Map: {
        auto &m = nodeAs<MapNode>(node);
        slot(m.base);
        entries(m.entries);
        return;
    }
    case NodeKind::Struct: {
        auto &s = nodeAs<StructNode>(node);
        slot(s.base);
        entries(s.entries);
        return;
    }
    case NodeKind::Unary:
        slot(nodeAs<UnaryNode>(node).operand);
        return;
    case NodeKind::Binary: {
        auto &b = nodeAs<BinaryNode>(node);
        slot(b.lhs);
        slot(b.rhs);
        return;
    }
    case NodeKind::Match: {
        auto &m = nodeAs<MatchNode>(node);
        slot(m.pattern);
        slot(m.value);
        return;
    }
    case NodeKind::Range: {
        auto &r = nodeAs<RangeNode>(node);
        slot(r.first);
        slot(r.last);
        slot(r.step);
        return;
    }
    case NodeKind::Call:
        all(nodeAs<CallNode>(node).args);
        return;
    case NodeKind::Remote: {
        auto &r = nodeAs<RemoteNode>(node);
        slot(r.target);
        all(r.args);
        return;
    }
    case NodeKind::Apply: {
        auto &a = nodeAs<ApplyNode>(node);
        slot(a.function);
        all(a.args);
        return;
    }
    case NodeKind::Access: {
        auto &a = nodeAs<AccessNode>(node);
        slot(a.target);
        slot(a.key);
        return;
    }
    case NodeKind::Fn:
        clauses(nodeAs<FnNode>(node).clauses);
        return;
    case NodeKind::Capture:
        slot(nodeAs<CaptureNode>(node).body);
        return;
    case NodeKind::Block:
        all(nodeAs<BlockNode>(node).exprs);
        return;
    case NodeKind::If: {
        auto &i = nodeAs<IfNode>(node);
        slot(i.condition);
        slot(i.then);
        slot(i.otherwise);
        return;
    }
    case NodeKind::Case: {
        auto &c = nodeAs<CaseNode>(node);
        slot(c.subject);
        clauses(c.clauses);
        return;
    }
    case NodeKind::Cond:
        clauses(nodeAs<CondNode>(node).clauses);
        return;
    case NodeKind::Receive: {
        auto &r = nodeAs<ReceiveNode>(node);
        clauses(r.clauses);
        slot(r.timeout);
        slot(r.afterBody);
        return;
    }
    case NodeKind::Try: {
        auto &t = nodeAs<TryNode>(node);
        slot(t.body);
        clauses(t.rescues);
        clauses(t.catches);
        clauses(t.elses);
        slot(t.after);
        return;
    }
    case NodeKind::Generator: {
        auto &g = nodeAs<GeneratorNode>(node);
        slot(g.pattern);
        slot(g.guard);
        slot(g.source);
        return;
    }
    case NodeKind::For: {
        auto &f = nodeAs<ForNode>(node);
        all(f.qualifiers);
        slot(f.into);
        slot(f.uniq);
        slot(f.reduce);
        slot(f.body);
        clauses(f.reduceClauses);
        return;
    }
    case NodeKind::With: {
        auto &w = nodeAs<WithNode>(node);
        all(w.qualifiers);
        slot(w.body);
        clauses(w.elses);
        return;
    }
    case NodeKind::Module:
        all(nodeAs<ModuleNode>(node).body);
        return;
    case NodeKind::Def: {
        auto &d = nodeAs<DefNode>(node);
        all(d.clause.patterns);
        slot(d.clause.guard);
        slot(d.clause.body);
        all(d.defaults);
        return;
    }
    case NodeKind::Attribute:
        slot(nodeAs<AttributeNode>(node).value);
        return;
    }
}

// Moves the children of `node` into `out`, so that deleting it frees nothing else.
void takeChildren(Node &node, std::vector<NodePtr> &out)
{
    eachChildSlot(node, [&](NodePtr &child) { out.push_back(std::move(child)); });
}

} // namespace

void NodeDeleter::operator()(Node *node) const
{
    // The outermost deletion on this thread drains a work list; nested ones (children
    // whose last reference goes away) only add to it.
    thread_local std::vector<NodePtr> *pending = nullptr;
    if (pending != nullptr) {
        takeChildren(*node, *pending);
        delete node;
        return;
    }
    std::vector<NodePtr> work;
    pending = &work;
    takeChildren(*node, work);
    delete node;
    while (!work.empty()) {
        NodePtr next = std::move(work.back());
        work.pop_back();
        next.reset(); // may delete, adding grandchildren to `work`
    }
    pending = nullptr;
}

void forEachChild(const Node &node, const std::function<void(const Node &)> &visit)
{
    eachChildSlot(node, [&](const NodePtr &child) {
        if (child)
            visit(*child);
    });
}

std::string dump(const Node &node)
{
    Dumper d;
    d.node(node);
    return d.out;
}

} // namespace mailroom::script
