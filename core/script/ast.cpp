#include "script/ast.h"

#include "script/exceptions.h"

#include <charconv>

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

void visitClauses(const std::vector<Clause> &clauses, const std::function<void(const Node &)> &visit)
{
    for (const auto &c : clauses) {
        for (const auto &p : c.patterns)
            visit(*p);
        if (c.guard)
            visit(*c.guard);
        visit(*c.body);
    }
}

void takeClauses(std::vector<Clause> &clauses, std::vector<NodePtr> &out)
{
    for (auto &c : clauses) {
        for (auto &p : c.patterns)
            out.push_back(std::move(p));
        out.push_back(std::move(c.guard));
        out.push_back(std::move(c.body));
    }
}

void takeEntries(std::vector<std::pair<NodePtr, NodePtr>> &entries, std::vector<NodePtr> &out)
{
    for (auto &[k, v] : entries) {
        out.push_back(std::move(k));
        out.push_back(std::move(v));
    }
}

void takeAll(std::vector<NodePtr> &nodes, std::vector<NodePtr> &out)
{
    for (auto &n : nodes)
        out.push_back(std::move(n));
}

// Moves the children of `node` into `out`, so that deleting it frees nothing else.
void takeChildren(Node &node, std::vector<NodePtr> &out)
{
    auto &n = node;
    switch (n.kind) {
    case NodeKind::Literal:
    case NodeKind::Var:
    case NodeKind::Pin:
    case NodeKind::CaptureArg:
    case NodeKind::FunRef:
        return;
    case NodeKind::Interpolation:
        takeAll(static_cast<InterpolationNode &>(n).parts, out);
        return;
    case NodeKind::Tuple:
        takeAll(static_cast<TupleNode &>(n).elements, out);
        return;
    case NodeKind::List:
        takeAll(static_cast<ListNode &>(n).elements, out);
        out.push_back(std::move(static_cast<ListNode &>(n).tail));
        return;
    case NodeKind::Map:
        out.push_back(std::move(static_cast<MapNode &>(n).base));
        takeEntries(static_cast<MapNode &>(n).entries, out);
        return;
    case NodeKind::Struct:
        out.push_back(std::move(static_cast<StructNode &>(n).base));
        takeEntries(static_cast<StructNode &>(n).entries, out);
        return;
    case NodeKind::Unary:
        out.push_back(std::move(static_cast<UnaryNode &>(n).operand));
        return;
    case NodeKind::Binary:
        out.push_back(std::move(static_cast<BinaryNode &>(n).lhs));
        out.push_back(std::move(static_cast<BinaryNode &>(n).rhs));
        return;
    case NodeKind::Match:
        out.push_back(std::move(static_cast<MatchNode &>(n).pattern));
        out.push_back(std::move(static_cast<MatchNode &>(n).value));
        return;
    case NodeKind::Range: {
        auto &r = static_cast<RangeNode &>(n);
        out.push_back(std::move(r.first));
        out.push_back(std::move(r.last));
        out.push_back(std::move(r.step));
        return;
    }
    case NodeKind::Call:
        takeAll(static_cast<CallNode &>(n).args, out);
        return;
    case NodeKind::Remote:
        out.push_back(std::move(static_cast<RemoteNode &>(n).target));
        takeAll(static_cast<RemoteNode &>(n).args, out);
        return;
    case NodeKind::Apply:
        out.push_back(std::move(static_cast<ApplyNode &>(n).function));
        takeAll(static_cast<ApplyNode &>(n).args, out);
        return;
    case NodeKind::Access:
        out.push_back(std::move(static_cast<AccessNode &>(n).target));
        out.push_back(std::move(static_cast<AccessNode &>(n).key));
        return;
    case NodeKind::Fn:
        takeClauses(static_cast<FnNode &>(n).clauses, out);
        return;
    case NodeKind::Capture:
        out.push_back(std::move(static_cast<CaptureNode &>(n).body));
        return;
    case NodeKind::Block:
        takeAll(static_cast<BlockNode &>(n).exprs, out);
        return;
    case NodeKind::If: {
        auto &i = static_cast<IfNode &>(n);
        out.push_back(std::move(i.condition));
        out.push_back(std::move(i.then));
        out.push_back(std::move(i.otherwise));
        return;
    }
    case NodeKind::Case:
        out.push_back(std::move(static_cast<CaseNode &>(n).subject));
        takeClauses(static_cast<CaseNode &>(n).clauses, out);
        return;
    case NodeKind::Cond:
        takeClauses(static_cast<CondNode &>(n).clauses, out);
        return;
    case NodeKind::Receive: {
        auto &r = static_cast<ReceiveNode &>(n);
        takeClauses(r.clauses, out);
        out.push_back(std::move(r.timeout));
        out.push_back(std::move(r.afterBody));
        return;
    }
    case NodeKind::Try: {
        auto &t = static_cast<TryNode &>(n);
        out.push_back(std::move(t.body));
        takeClauses(t.rescues, out);
        takeClauses(t.catches, out);
        takeClauses(t.elses, out);
        out.push_back(std::move(t.after));
        return;
    }
    case NodeKind::Generator: {
        auto &g = static_cast<GeneratorNode &>(n);
        out.push_back(std::move(g.pattern));
        out.push_back(std::move(g.guard));
        out.push_back(std::move(g.source));
        return;
    }
    case NodeKind::For: {
        auto &f = static_cast<ForNode &>(n);
        takeAll(f.qualifiers, out);
        out.push_back(std::move(f.into));
        out.push_back(std::move(f.uniq));
        out.push_back(std::move(f.reduce));
        out.push_back(std::move(f.body));
        takeClauses(f.reduceClauses, out);
        return;
    }
    case NodeKind::With: {
        auto &w = static_cast<WithNode &>(n);
        takeAll(w.qualifiers, out);
        out.push_back(std::move(w.body));
        takeClauses(w.elses, out);
        return;
    }
    case NodeKind::Module:
        takeAll(static_cast<ModuleNode &>(n).body, out);
        return;
    case NodeKind::Def: {
        auto &d = static_cast<DefNode &>(n);
        for (auto &p : d.clause.patterns)
            out.push_back(std::move(p));
        out.push_back(std::move(d.clause.guard));
        out.push_back(std::move(d.clause.body));
        takeAll(d.defaults, out);
        return;
    }
    case NodeKind::Attribute:
        out.push_back(std::move(static_cast<AttributeNode &>(n).value));
        return;
    }
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
    auto one = [&](const NodePtr &n) {
        if (n)
            visit(*n);
    };
    auto all = [&](const std::vector<NodePtr> &ns) {
        for (const auto &n : ns)
            one(n);
    };
    auto entries = [&](const std::vector<std::pair<NodePtr, NodePtr>> &es) {
        for (const auto &[k, v] : es) {
            one(k);
            one(v);
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
        all(node.as<InterpolationNode>().parts);
        return;
    case NodeKind::Tuple:
        all(node.as<TupleNode>().elements);
        return;
    case NodeKind::List:
        all(node.as<ListNode>().elements);
        one(node.as<ListNode>().tail);
        return;
    case NodeKind::Map:
        one(node.as<MapNode>().base);
        entries(node.as<MapNode>().entries);
        return;
    case NodeKind::Struct:
        one(node.as<StructNode>().base);
        entries(node.as<StructNode>().entries);
        return;
    case NodeKind::Unary:
        one(node.as<UnaryNode>().operand);
        return;
    case NodeKind::Binary:
        one(node.as<BinaryNode>().lhs);
        one(node.as<BinaryNode>().rhs);
        return;
    case NodeKind::Match:
        one(node.as<MatchNode>().pattern);
        one(node.as<MatchNode>().value);
        return;
    case NodeKind::Range:
        one(node.as<RangeNode>().first);
        one(node.as<RangeNode>().last);
        one(node.as<RangeNode>().step);
        return;
    case NodeKind::Call:
        all(node.as<CallNode>().args);
        return;
    case NodeKind::Remote:
        one(node.as<RemoteNode>().target);
        all(node.as<RemoteNode>().args);
        return;
    case NodeKind::Apply:
        one(node.as<ApplyNode>().function);
        all(node.as<ApplyNode>().args);
        return;
    case NodeKind::Access:
        one(node.as<AccessNode>().target);
        one(node.as<AccessNode>().key);
        return;
    case NodeKind::Fn:
        visitClauses(node.as<FnNode>().clauses, visit);
        return;
    case NodeKind::Capture:
        one(node.as<CaptureNode>().body);
        return;
    case NodeKind::Block:
        all(node.as<BlockNode>().exprs);
        return;
    case NodeKind::If:
        one(node.as<IfNode>().condition);
        one(node.as<IfNode>().then);
        one(node.as<IfNode>().otherwise);
        return;
    case NodeKind::Case:
        one(node.as<CaseNode>().subject);
        visitClauses(node.as<CaseNode>().clauses, visit);
        return;
    case NodeKind::Cond:
        visitClauses(node.as<CondNode>().clauses, visit);
        return;
    case NodeKind::Receive:
        visitClauses(node.as<ReceiveNode>().clauses, visit);
        one(node.as<ReceiveNode>().timeout);
        one(node.as<ReceiveNode>().afterBody);
        return;
    case NodeKind::Try: {
        const auto &t = node.as<TryNode>();
        one(t.body);
        visitClauses(t.rescues, visit);
        visitClauses(t.catches, visit);
        visitClauses(t.elses, visit);
        one(t.after);
        return;
    }
    case NodeKind::Generator:
        one(node.as<GeneratorNode>().pattern);
        one(node.as<GeneratorNode>().guard);
        one(node.as<GeneratorNode>().source);
        return;
    case NodeKind::For: {
        const auto &f = node.as<ForNode>();
        all(f.qualifiers);
        one(f.into);
        one(f.uniq);
        one(f.reduce);
        one(f.body);
        visitClauses(f.reduceClauses, visit);
        return;
    }
    case NodeKind::With:
        all(node.as<WithNode>().qualifiers);
        one(node.as<WithNode>().body);
        visitClauses(node.as<WithNode>().elses, visit);
        return;
    case NodeKind::Module:
        all(node.as<ModuleNode>().body);
        return;
    case NodeKind::Def: {
        const auto &d = node.as<DefNode>();
        all(d.clause.patterns);
        one(d.clause.guard);
        one(d.clause.body);
        all(d.defaults);
        return;
    }
    case NodeKind::Attribute:
        one(node.as<AttributeNode>().value);
        return;
    }
}

std::string dump(const Node &node)
{
    Dumper d;
    d.node(node);
    return d.out;
}

} // namespace mailroom::script
