#include "script/parser.h"

#include "script/checker.h"
#include "script/lexer.h"
#include "script/unsupported.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace mailroom::script {

namespace {

struct OpInfo {
    int precedence;
    bool rightAssoc;
};

// Elixir's binary operators, from elixir_parser.yrl: higher binds tighter.
[[gnu::noinline]] std::optional<OpInfo> binaryOperator(const Token &t)
{
    if (t.kind == TokenKind::Reserved) {
        if (t.text == "when")
            return OpInfo { 50, true };
        if (t.text == "or")
            return OpInfo { 120, false };
        if (t.text == "and")
            return OpInfo { 130, false };
        if (t.text == "in")
            return OpInfo { 170, false };
        return std::nullopt;
    }
    if (t.kind != TokenKind::Operator)
        return std::nullopt;
    static const std::unordered_map<std::string_view, OpInfo> table = {
        { "<-", { 40, false } },
        { "\\\\", { 40, false } },
        { "::", { 60, true } },
        { "|", { 70, true } },
        { "=>", { 80, true } },
        { "=", { 100, true } },
        { "||", { 120, false } },
        { "&&", { 130, false } },
        { "==", { 140, false } },
        { "!=", { 140, false } },
        { "=~", { 140, false } },
        { "===", { 140, false } },
        { "!==", { 140, false } },
        { "<", { 150, false } },
        { ">", { 150, false } },
        { "<=", { 150, false } },
        { ">=", { 150, false } },
        { "|>", { 160, false } },
        { "//", { 190, true } },
        { "++", { 200, true } },
        { "--", { 200, true } },
        { "<>", { 200, true } },
        { "..", { 200, true } },
        { "+", { 210, false } },
        { "-", { 210, false } },
        { "*", { 220, false } },
        { "/", { 220, false } },
        { "**", { 230, false } },
    };
    const auto it = table.find(t.text);
    if (it == table.end())
        return std::nullopt;
    return it->second;
}

constexpr int kUnaryPrecedence = 300;
constexpr int kCapturePrecedence = 90;
constexpr int kPipeBar = 70; // `|` in lists and map updates
constexpr int kAssocArrow = 80; // `=>` in maps

struct Ctx {
    /// Inside the arguments of a call without parentheses: a `do` belongs to the outer
    /// call (`if foo x do ... end` gives the block to `if`).
    bool noDoBlock = false;
};

/// The content of a do-block section or a fn: plain expressions or `->` clauses.
struct Stab {
    bool isClauses = false;
    std::vector<NodePtr> exprs;
    std::vector<Clause> clauses;
    SourcePos pos;
};

struct Section {
    std::string name; ///< do, else, after, rescue, catch
    SourcePos pos;
    Stab stab;
};

NodePtr nilLiteral(SourcePos pos)
{
    auto n = makeNode<LiteralNode>(pos);
    n->value = Term(atoms::nilAtom());
    return n;
}

NodePtr blockOf(std::vector<NodePtr> exprs, SourcePos pos)
{
    if (exprs.empty())
        return nilLiteral(pos);
    if (exprs.size() == 1)
        return std::move(exprs.front());
    auto b = makeNode<BlockNode>(exprs.front()->pos);
    b->exprs = std::move(exprs);
    return b;
}

bool isKeywordListNode(const NodePtr &n)
{
    if (!n || n->kind != NodeKind::List)
        return false;
    const auto &l = n->as<ListNode>();
    if (l.tail || l.elements.empty())
        return false;
    for (const auto &e : l.elements) {
        if (e->kind != NodeKind::Tuple)
            return false;
        const auto &t = e->as<TupleNode>();
        if (t.elements.size() != 2 || t.elements[0]->kind != NodeKind::Literal
            || !t.elements[0]->as<LiteralNode>().value.isAtom())
            return false;
    }
    return true;
}

/// Lexical scopes of `alias` and the module being defined: one for the file, one per
/// defmodule and one per def body. Shared with the parsers of string interpolations.
struct AliasScope {
    std::string module; ///< "Elixir.Foo" inside defmodule Foo; empty elsewhere
    std::vector<std::pair<std::string, std::string>> aliases; ///< short name -> "Elixir.Full.Name"
};
struct ParseScopes {
    std::vector<AliasScope> scopes { AliasScope {} };
    bool defHead = false; ///< parsing a def's head, where `\\` gives a default
    [[nodiscard]] const std::string &module() const
    {
        for (size_t i = scopes.size(); i-- > 0;)
            if (!scopes[i].module.empty())
                return scopes[i].module;
        return scopes.front().module;
    }
    [[nodiscard]] const std::string *alias(std::string_view name) const
    {
        for (size_t i = scopes.size(); i-- > 0;)
            for (size_t j = scopes[i].aliases.size(); j-- > 0;)
                if (scopes[i].aliases[j].first == name)
                    return &scopes[i].aliases[j].second;
        return nullptr;
    }
};

class Parser {
public:
    Parser(const std::vector<Token> &tokens, const std::string &file, int &depth, const StackLimit &stack,
        ParseScopes &scopes)
        : m_toks(tokens)
        , m_file(file)
        , m_depth(depth)
        , m_stack(stack)
        , m_scopes(scopes)
    {
    }

    NodePtr parseAll()
    {
        const SourcePos start = peek().pos;
        Stab s = parseStab(false);
        if (peek().kind != TokenKind::Eof)
            unexpected(peek());
        return blockOf(std::move(s.exprs), start);
    }

private:
    const std::vector<Token> &m_toks;
    const std::string &m_file;
    int &m_depth; // shared with the parsers of string interpolations
    const StackLimit &m_stack;
    ParseScopes &m_scopes;
    size_t m_i = 0;

    // RAII nesting counter: deep input fails cleanly instead of overflowing the stack.
    class DepthGuard {
    public:
        DepthGuard(Parser &p, SourcePos pos, int amount = 1)
            : m_parser(p)
        {
            add(pos, amount);
        }
        ~DepthGuard() { m_parser.m_depth -= m_amount; }
        DepthGuard(const DepthGuard &) = delete;
        DepthGuard &operator=(const DepthGuard &) = delete;

        /// One more level: each link of a chain like `a + b + c` or `a.b.c` deepens the tree.
        void add(SourcePos pos, int amount = 1)
        {
            m_amount += amount;
            m_parser.m_depth += amount;
            if (m_parser.m_depth > kMaxNesting || m_parser.m_stack.exceeded())
                m_parser.tooDeep(pos);
        }

    private:
        Parser &m_parser;
        int m_amount = 0;
    };

    [[noreturn, gnu::noinline]] void tooDeep(SourcePos pos) const
    {
        fail(pos,
            "expression is nested too deeply (more than " + std::to_string(kMaxNesting)
                + " levels, or more than the stack allows); Mailroom's script language limits nesting");
    }

    // Tokens ------------------------------------------------------------------

    [[nodiscard]] const Token &peek(size_t ahead = 0) const
    {
        const size_t k = m_i + ahead;
        return k < m_toks.size() ? m_toks[k] : m_toks.back();
    }
    const Token &next()
    {
        const Token &t = peek();
        if (m_i < m_toks.size() - 1)
            ++m_i;
        return t;
    }
    bool acceptOp(std::string_view op)
    {
        if (!peek().isOp(op))
            return false;
        next();
        return true;
    }
    void skipEols()
    {
        while (peek().kind == TokenKind::Eol)
            next();
    }

    // Errors ------------------------------------------------------------------

    [[noreturn, gnu::noinline]] void fail(SourcePos pos, std::string_view message,
        ScriptError::Kind kind = ScriptError::Kind::SyntaxError) const
    {
        throw ScriptError(kind, m_file, pos, std::string(message));
    }

    [[noreturn, gnu::noinline]] void unexpected(const Token &t) const
    {
        switch (t.kind) {
        case TokenKind::Eof:
            // Elixir points just past the last token (the dangling operator), not at the
            // end of the file.
            fail(m_i > 0 ? endOf(m_toks[m_i - 1]) : t.pos, "syntax error: expression is incomplete",
                ScriptError::Kind::TokenMissingError);
        case TokenKind::Reserved:
            fail(t.pos, "unexpected reserved word: " + t.text);
        case TokenKind::Operator:
            if (t.text == ")" || t.text == "]" || t.text == "}")
                fail(t.pos, "unexpected token: " + t.text);
            break;
        case TokenKind::Keyword:
            fail(t.pos,
                "unexpected keyword list: keyword lists like " + t.text
                    + ": must be the last argument of a call, or written inside [ ]");
        default:
            break;
        }
        fail(t.pos, "syntax error before: " + describeToken(t));
    }

    static SourcePos endOf(const Token &t)
    {
        if (t.kind != TokenKind::Operator && t.kind != TokenKind::Reserved && t.kind != TokenKind::Identifier
            && t.kind != TokenKind::Integer)
            return t.pos;
        return SourcePos { t.pos.line, t.pos.col + static_cast<uint32_t>(t.text.size()) };
    }

    [[noreturn, gnu::noinline]] void missingTerminator(
        std::string_view terminator, std::string_view opener, SourcePos openPos) const
    {
        fail(peek().pos,
            "missing terminator: " + std::string(terminator) + " (for \"" + std::string(opener)
                + "\" starting at line " + std::to_string(openPos.line) + ")",
            ScriptError::Kind::TokenMissingError);
    }

    void expectCloser(std::string_view closer, std::string_view opener, SourcePos openPos)
    {
        skipEols();
        if (acceptOp(closer))
            return;
        if (peek().kind == TokenKind::Eof)
            missingTerminator(closer, opener, openPos);
        unexpected(peek());
    }

    void expectEnd(std::string_view opener, SourcePos openPos)
    {
        if (peek().isReserved("end")) {
            next();
            return;
        }
        if (peek().kind == TokenKind::Eof)
            missingTerminator("end", opener, openPos);
        unexpected(peek());
    }

    [[nodiscard]] bool atBlockEnd() const
    {
        const Token &t = peek();
        if (t.kind == TokenKind::Eof)
            return true;
        if (t.kind == TokenKind::Reserved)
            return t.text == "end" || t.text == "else" || t.text == "after" || t.text == "rescue"
                || t.text == "catch";
        return t.isOp(")");
    }

    // Blocks and clauses ------------------------------------------------------

    // Expressions separated by newlines, or `->` clauses when allowed, up to a block end.
    // (Kept lean: every do-block, fn and parenthesis nests through here.)
    Stab parseStab(bool allowClauses)
    {
        Stab out;
        out.pos = peek().pos;
        std::vector<NodePtr> body;
        for (;;) {
            skipEols();
            if (atBlockEnd())
                break;
            NodePtr first;
            if (!peek().isOp("->")) {
                first = parseExpr(0, {});
                if (!allowClauses || !(peek().isOp(",") || peek().isOp("->"))) {
                    body.push_back(std::move(first));
                    endOfExpression();
                    continue;
                }
            }
            startClause(out, body, std::move(first), allowClauses);
        }
        finishStab(out, body);
        return out;
    }

    void endOfExpression()
    {
        if (peek().kind == TokenKind::Eol)
            next();
        else if (!atBlockEnd())
            unexpected(peek());
    }

    // At `->` (or at the `,` of a head with several patterns): the expressions so far were
    // the previous clause's body.
    [[gnu::noinline]] void startClause(
        Stab &out, std::vector<NodePtr> &body, NodePtr first, bool allowClauses)
    {
        const SourcePos headPos = first ? first->pos : peek().pos;
        std::vector<NodePtr> heads;
        if (first) {
            heads.push_back(std::move(first));
            while (acceptOp(",")) {
                skipEols();
                heads.push_back(parseExpr(0, {}));
            }
        }
        if (!allowClauses || !peek().isOp("->"))
            unexpected(peek());
        if (!out.isClauses && !body.empty())
            fail(peek().pos, "unexpected operator ->: a block cannot mix expressions and -> clauses");
        if (!out.clauses.empty()) {
            out.clauses.back().body = blockOf(std::move(body), out.clauses.back().pos);
            body.clear();
        }
        next(); // ->
        out.isClauses = true;
        out.clauses.push_back(makeClause(std::move(heads), headPos));
    }

    [[gnu::noinline]] static void finishStab(Stab &out, std::vector<NodePtr> &body)
    {
        if (out.isClauses)
            out.clauses.back().body = blockOf(std::move(body), out.clauses.back().pos);
        else
            out.exprs = std::move(body);
    }

    [[gnu::noinline]] Clause makeClause(std::vector<NodePtr> heads, SourcePos pos)
    {
        Clause c;
        c.pos = pos;
        if (!heads.empty() && heads.back()->kind == NodeKind::Binary
            && heads.back()->as<BinaryNode>().op.name() == "when") {
            const auto &w = heads.back()->as<BinaryNode>();
            c.guard = w.rhs;
            heads.back() = w.lhs;
        }
        c.patterns = std::move(heads);
        return c;
    }

    [[gnu::noinline]] std::vector<Section> parseDoBlock()
    {
        const SourcePos doPos = next().pos;
        std::vector<Section> sections;
        Section current { "do", doPos, {} };
        for (;;) {
            current.stab = parseStab(true);
            sections.push_back(std::move(current));
            const Token &t = peek();
            if (t.isReserved("end")) {
                next();
                return sections;
            }
            if (t.isReserved("else") || t.isReserved("after") || t.isReserved("rescue")
                || t.isReserved("catch")) {
                current = Section { t.text, t.pos, {} };
                next();
                continue;
            }
            if (t.kind == TokenKind::Eof)
                missingTerminator("end", "do", doPos);
            unexpected(t);
        }
    }

    // Expressions -------------------------------------------------------------

    NodePtr parseExpr(int minPrecedence, Ctx ctx)
    {
        DepthGuard guard(*this, peek().pos);
        NodePtr lhs = parseUnary(ctx);
        for (;;) {
            const Token &t = peek();
            std::optional<OpInfo> info;
            std::string op;
            if (t.isReserved("not") && peek(1).isReserved("in")) {
                info = OpInfo { 170, false };
                op = "not in";
            } else {
                info = binaryOperator(t);
                op = t.text;
            }
            if (!info || info->precedence < minPrecedence)
                break;
            const SourcePos opPos = t.pos;
            next();
            if (op == "not in")
                next();
            if (op == "::")
                fail(opPos, unsupportedMessage("the type operator ::"), ScriptError::Kind::CompileError);
            if (op == "\\\\" && !m_scopes.defHead)
                fail(opPos, unsupportedMessage("the default-argument operator \\\\"),
                    ScriptError::Kind::CompileError);
            skipEols();
            guard.add(opPos); // left-associative chains build deep trees in this loop
            NodePtr rhs = parseExpr(info->rightAssoc ? info->precedence : info->precedence + 1, ctx);
            lhs = combine(op, opPos, std::move(lhs), std::move(rhs));
        }
        return lhs;
    }

    [[gnu::noinline]] NodePtr combine(const std::string &op, SourcePos pos, NodePtr lhs, NodePtr rhs)
    {
        if (op == "=") {
            auto m = makeNode<MatchNode>(pos);
            m->pattern = std::move(lhs);
            m->value = std::move(rhs);
            return m;
        }
        if (op == "..") {
            auto r = makeNode<RangeNode>(pos);
            r->first = std::move(lhs);
            r->last = std::move(rhs);
            return r;
        }
        if (op == "//") {
            if (lhs->kind != NodeKind::Range || lhs->as<RangeNode>().step)
                fail(pos, "the // operator can only be used after a range: first..last//step");
            const auto &old = lhs->as<RangeNode>();
            auto r = makeNode<RangeNode>(old.pos);
            r->first = old.first;
            r->last = old.last;
            r->step = std::move(rhs);
            return r;
        }
        if (op == "|>")
            return pipe(std::move(lhs), std::move(rhs), pos);
        if (op == "not in") {
            auto in = makeNode<BinaryNode>(pos);
            in->op = Atom::intern("in");
            in->lhs = std::move(lhs);
            in->rhs = std::move(rhs);
            auto n = makeNode<UnaryNode>(pos);
            n->op = Atom::intern("not");
            n->operand = std::move(in);
            return n;
        }
        auto b = makeNode<BinaryNode>(pos);
        b->op = Atom::intern(op);
        b->lhs = std::move(lhs);
        b->rhs = std::move(rhs);
        return b;
    }

    // `x |> f(a)` is `f(x, a)`.
    [[gnu::noinline]] NodePtr pipe(NodePtr value, const NodePtr &into, SourcePos pos)
    {
        switch (into->kind) {
        case NodeKind::Call: {
            const auto &c = into->as<CallNode>();
            auto n = makeNode<CallNode>(c.pos);
            n->name = c.name;
            n->args = c.args;
            n->args.insert(n->args.begin(), std::move(value));
            return n;
        }
        case NodeKind::Var: {
            auto n = makeNode<CallNode>(into->pos);
            n->name = into->as<VarNode>().name;
            n->args.push_back(std::move(value));
            return n;
        }
        case NodeKind::Remote: {
            const auto &r = into->as<RemoteNode>();
            auto n = makeNode<RemoteNode>(r.pos);
            n->target = r.target;
            n->function = r.function;
            n->args = r.args;
            n->parens = true;
            n->args.insert(n->args.begin(), std::move(value));
            return n;
        }
        case NodeKind::Apply: {
            const auto &a = into->as<ApplyNode>();
            auto n = makeNode<ApplyNode>(a.pos);
            n->function = a.function;
            n->args = a.args;
            n->args.insert(n->args.begin(), std::move(value));
            return n;
        }
        case NodeKind::Case: {
            const auto &c = into->as<CaseNode>();
            if (c.subject)
                break;
            auto n = makeNode<CaseNode>(c.pos);
            n->subject = std::move(value);
            n->clauses = c.clauses;
            return n;
        }
        default:
            break;
        }
        fail(pos,
            "cannot pipe into this expression: the right side of |> must be a call such as foo(), "
            "Foo.bar() or fun.()");
    }

    NodePtr parseUnary(Ctx ctx)
    {
        const Token &t = peek();
        if (t.isOp("-") || t.isOp("+") || t.isOp("!") || t.isReserved("not"))
            return parsePrefixOperator(ctx);
        if (t.isOp("^"))
            return parsePin();
        if (t.isOp("&"))
            return parseCaptureOperator(ctx);
        if (t.isOp("@") && inModule())
            return parseAttribute(ctx);
        if (t.isOp("@") || t.isOp("<<"))
            unsupportedOperator(t);
        return parsePostfix(parsePrimary(ctx), ctx);
    }

    [[gnu::noinline]] NodePtr parsePrefixOperator(Ctx ctx)
    {
        const SourcePos pos = peek().pos;
        DepthGuard guard(*this, pos);
        const std::string op = next().text;
        skipEols();
        NodePtr operand = parseUnary(ctx);
        if ((op == "-" || op == "+") && operand->kind == NodeKind::Literal) {
            // -1 is a literal (patterns need it so).
            const Term &v = operand->as<LiteralNode>().value;
            if (v.isInteger() || v.isFloat()) {
                auto lit = makeNode<LiteralNode>(pos);
                if (op == "+")
                    lit->value = v;
                else
                    lit->value = v.isInteger() ? Term::integer(-v.asInteger()) : Term::floating(-v.asFloat());
                return parsePostfix(lit, ctx);
            }
        }
        auto u = makeNode<UnaryNode>(pos);
        u->op = Atom::intern(op);
        u->operand = std::move(operand);
        return u;
    }

    [[gnu::noinline]] NodePtr parsePin()
    {
        const SourcePos pos = next().pos;
        const Token &v = peek();
        if (v.kind != TokenKind::Identifier)
            fail(pos, "the pin operator ^ must be followed by a variable, as in ^x");
        next();
        auto p = makeNode<PinNode>(pos);
        p->name = Atom::intern(v.text);
        return p;
    }

    [[gnu::noinline]] NodePtr parseCaptureOperator(Ctx ctx)
    {
        const SourcePos pos = next().pos;
        skipEols();
        // &+/2: an operator as a function.
        const Token &op = peek();
        if ((op.kind == TokenKind::Operator || op.isReserved("and") || op.isReserved("or"))
            && peek(1).isOp("/") && peek(2).kind == TokenKind::Integer && binaryOperator(op)) {
            auto f = makeNode<FunRefNode>(pos);
            f->module = Term(atoms::nilAtom());
            f->function = Atom::intern(op.text);
            f->arity = static_cast<int>(peek(2).integer);
            next();
            next();
            next();
            return f;
        }
        NodePtr body = parseExpr(kCapturePrecedence + 1, ctx);
        return makeCapture(std::move(body), pos);
    }

    [[noreturn, gnu::noinline]] void unsupportedOperator(const Token &t) const
    {
        if (t.text == "<<")
            fail(t.pos, unsupportedMessage("binary syntax <<...>>"), ScriptError::Kind::CompileError);
        const Token &name = peek(1);
        const std::string attribute
            = "@" + (name.kind == TokenKind::Identifier ? name.text : std::string("name"));
        fail(t.pos, unsupportedMessage(attribute) + ": module attributes exist only inside modules",
            ScriptError::Kind::CompileError);
    }

    [[gnu::noinline]] NodePtr makeCapture(NodePtr body, SourcePos pos)
    {
        // &Mod.fun/arity and &fun/arity name a function; anything else is an expression
        // with &1, &2... holes.
        if (body->kind == NodeKind::Binary && body->as<BinaryNode>().op.name() == "/") {
            const auto &b = body->as<BinaryNode>();
            const bool arityLiteral
                = b.rhs->kind == NodeKind::Literal && b.rhs->as<LiteralNode>().value.isInteger();
            if (arityLiteral && b.lhs->kind == NodeKind::Remote && !b.lhs->as<RemoteNode>().parens
                && b.lhs->as<RemoteNode>().target->kind == NodeKind::Literal) {
                const auto &r = b.lhs->as<RemoteNode>();
                auto f = makeNode<FunRefNode>(pos);
                f->module = r.target->as<LiteralNode>().value;
                f->function = r.function;
                f->arity = static_cast<int>(b.rhs->as<LiteralNode>().value.asInteger());
                return f;
            }
            if (arityLiteral && b.lhs->kind == NodeKind::Var) {
                auto f = makeNode<FunRefNode>(pos);
                f->module = Term(atoms::nilAtom());
                f->function = b.lhs->as<VarNode>().name;
                f->arity = static_cast<int>(b.rhs->as<LiteralNode>().value.asInteger());
                return f;
            }
        }
        int arity = 0;
        std::vector<bool> seen;
        collectCaptureArgs(*body, arity, seen);
        if (arity == 0)
            fail(pos,
                "invalid args for &, expected one of: &Mod.fun/arity (such as &Enum.map/2), &local/arity "
                "(such as "
                "&is_atom/1), or an expression with at least one argument such as &(&1 + 1)",
                ScriptError::Kind::CompileError);
        for (int k = 1; k <= arity; ++k)
            if (!seen[static_cast<size_t>(k)])
                fail(pos,
                    "capture argument &" + std::to_string(arity) + " cannot be defined without &"
                        + std::to_string(k) + " (you cannot skip arguments, all arguments must be numbered)",
                    ScriptError::Kind::CompileError);
        auto c = makeNode<CaptureNode>(pos);
        c->body = std::move(body);
        c->arity = arity;
        return c;
    }

    void collectCaptureArgs(const Node &n, int &arity, std::vector<bool> &seen)
    {
        if (n.kind == NodeKind::Capture || n.kind == NodeKind::FunRef)
            fail(n.pos, "nested captures are not allowed: a function defined with & cannot contain another &",
                ScriptError::Kind::CompileError);
        if (n.kind == NodeKind::CaptureArg) {
            const int k = n.as<CaptureArgNode>().index;
            arity = std::max(arity, k);
            if (seen.size() <= static_cast<size_t>(k))
                seen.resize(static_cast<size_t>(k) + 1, false);
            seen[static_cast<size_t>(k)] = true;
            return;
        }
        forEachChild(n, [&](const Node &child) { collectCaptureArgs(child, arity, seen); });
    }

    NodePtr parsePrimary(Ctx ctx)
    {
        const Token &t = peek();
        const SourcePos pos = t.pos;
        switch (t.kind) {
        case TokenKind::Integer: {
            next();
            auto n = makeNode<LiteralNode>(pos);
            n->value = Term::integer(t.integer);
            return n;
        }
        case TokenKind::Float: {
            next();
            auto n = makeNode<LiteralNode>(pos);
            n->value = Term::floating(t.floating);
            return n;
        }
        case TokenKind::Atom: {
            next();
            auto n = makeNode<LiteralNode>(pos);
            n->value = Term::atom(t.text);
            return n;
        }
        case TokenKind::String:
        case TokenKind::Charlist:
            next();
            return stringNode(t);
        case TokenKind::CaptureArg: {
            next();
            auto n = makeNode<CaptureArgNode>(pos);
            n->index = static_cast<int>(t.integer);
            return n;
        }
        case TokenKind::Identifier:
            return parseIdentifier(ctx);
        case TokenKind::Alias:
            return parseAlias();
        case TokenKind::Reserved:
            if (t.text == "true" || t.text == "false" || t.text == "nil") {
                next();
                auto n = makeNode<LiteralNode>(pos);
                n->value = Term::atom(t.text);
                return n;
            }
            if (t.text == "fn")
                return parseFn();
            unexpected(t);
        case TokenKind::Operator:
            if (t.text == "(")
                return parseParens();
            if (t.text == "[")
                return parseList();
            if (t.text == "{")
                return parseTuple();
            if (t.text == "%{")
                return parseMapBody(next().pos, nullptr);
            if (t.text == "%")
                return parseStruct();
            if (t.text == "...")
                fail(pos, unsupportedMessage("..."), ScriptError::Kind::CompileError);
            unexpected(t);
        case TokenKind::Keyword:
        case TokenKind::Eol:
        case TokenKind::Eof:
            unexpected(t);
        }
        unexpected(t);
    }

    [[gnu::noinline]] NodePtr stringNode(const Token &t)
    {
        const bool charlist = t.kind == TokenKind::Charlist;
        bool plain = true;
        for (const auto &p : t.parts)
            plain = plain && !p.isCode;
        if (plain) {
            std::string text;
            for (const auto &p : t.parts)
                text += p.text;
            auto n = makeNode<LiteralNode>(t.pos);
            n->value = charlist ? Term::charlist(text) : Term::binary(std::move(text));
            return n;
        }
        auto n = makeNode<InterpolationNode>(t.pos);
        n->charlist = charlist;
        for (const auto &p : t.parts) {
            if (!p.isCode) {
                auto lit = makeNode<LiteralNode>(p.pos);
                lit->value = Term::binary(p.text);
                n->parts.push_back(std::move(lit));
                continue;
            }
            Parser inner(p.tokens, m_file, m_depth, m_stack, m_scopes);
            DepthGuard guard(*this, p.pos);
            n->parts.push_back(inner.parseAll());
        }
        return n;
    }

    // Does `t` begin the first argument of a call written without parentheses?
    [[nodiscard]] bool startsNoParenArg(size_t at) const
    {
        const Token &t = peek(at);
        if (!t.spaceBefore)
            return false;
        switch (t.kind) {
        case TokenKind::Integer:
        case TokenKind::Float:
        case TokenKind::Atom:
        case TokenKind::String:
        case TokenKind::Charlist:
        case TokenKind::Identifier:
        case TokenKind::Alias:
        case TokenKind::Keyword:
        case TokenKind::CaptureArg:
            return true;
        case TokenKind::Reserved:
            return t.text == "fn" || t.text == "true" || t.text == "false" || t.text == "nil"
                || (t.text == "not" && !peek(at + 1).isReserved("in"));
        case TokenKind::Operator:
            if (t.text == "-" || t.text == "+")
                return !peek(at + 1).spaceBefore; // `foo -1` is foo(-1); `foo - 1` subtracts
            return t.text == "{" || t.text == "[" || t.text == "%{" || t.text == "%" || t.text == "&"
                || t.text == "!" || t.text == "^" || t.text == "(" || t.text == "@" || t.text == "<<";
        default:
            return false;
        }
    }

    [[gnu::noinline]] NodePtr parseIdentifier(Ctx ctx)
    {
        const Token &id = next();
        const std::string &name = id.text; // tokens outlive the parse
        const SourcePos pos = id.pos;
        const Token &n = peek();
        const bool parenCall = n.isOp("(") && !n.spaceBefore;
        const bool noParenCall = !parenCall && startsNoParenArg(0);
        const bool doCall = !parenCall && !noParenCall && n.isReserved("do") && !ctx.noDoBlock;
        if (name == "__MODULE__")
            return currentModule(pos);
        if (parenCall || noParenCall || doCall)
            if (NodePtr special = parseModuleForm(name, pos, parenCall))
                return special;
        if (parenCall || noParenCall || doCall || isAlwaysUnsupportedLocal(name))
            if (const auto message = unsupportedLocal(name))
                fail(pos, *message, ScriptError::Kind::CompileError);
        if (!parenCall && !noParenCall && !doCall) {
            auto v = makeNode<VarNode>(pos);
            v->name = Atom::intern(name);
            return v;
        }
        std::vector<NodePtr> args;
        bool ambiguous = false;
        if (parenCall) {
            const SourcePos open = next().pos;
            args = parseArgsUntil(")", "(", open);
        } else if (noParenCall) {
            ambiguous = n.isOp("-") || n.isOp("+");
            args = parseNoParenArgs();
        }
        std::optional<std::vector<Section>> block;
        if (!ctx.noDoBlock && peek().isReserved("do"))
            block = parseDoBlock();
        return buildCall(name, pos, std::move(args), std::move(block), ambiguous);
    }

    // Modules ------------------------------------------------------------------

    [[nodiscard]] bool inModule() const { return !m_scopes.module().empty(); }

    // __MODULE__ (and __MODULE__.Inner): the module being defined, nil outside one.
    [[gnu::noinline]] NodePtr currentModule(SourcePos pos)
    {
        auto n = makeNode<LiteralNode>(pos);
        if (!inModule()) {
            n->value = Term(atoms::nilAtom());
            return n;
        }
        std::string name = m_scopes.module();
        while (peek().isOp(".") && peek(1).kind == TokenKind::Alias) {
            next();
            name += "." + next().text;
        }
        n->value = Term::atom(name);
        n->isAlias = true;
        return n;
    }

    [[noreturn, gnu::noinline]] void outsideModule(std::string_view form, SourcePos pos) const
    {
        fail(pos,
            "cannot invoke " + std::string(form) + " outside module: " + std::string(form)
                + " can only be used directly inside defmodule Name do ... end",
            ScriptError::Kind::CompileError);
    }

    // The forms that define modules and their parts; nullptr for any other name.
    [[gnu::noinline]] NodePtr parseModuleForm(const std::string &name, SourcePos pos, bool parenCall)
    {
        if (name == "defmodule")
            return parseDefmodule(pos);
        if (name == "def" || name == "defp") {
            if (!inModule())
                outsideModule(name + "/2", pos);
            return parseDef(pos, name == "defp");
        }
        if (name == "alias" || name == "require")
            return parseAliasDirective(name, pos, parenCall);
        if (name == "use" || name == "defstruct") {
            if (!inModule())
                outsideModule(name, pos);
            std::vector<NodePtr> args;
            if (parenCall) {
                const SourcePos open = next().pos;
                args = parseArgsUntil(")", "(", open);
            } else {
                args = parseNoParenArgs();
            }
            auto c = makeNode<CallNode>(pos);
            c->name = Atom::intern(name);
            c->args = std::move(args);
            return c;
        }
        return nullptr;
    }

    [[gnu::noinline]] NodePtr parseDefmodule(SourcePos pos)
    {
        if (peek().kind != TokenKind::Alias)
            fail(peek().pos,
                "invalid module name: defmodule takes a module name such as MyServer or My.Server",
                ScriptError::Kind::CompileError);
        std::string written = next().text;
        const std::string firstSegment = written;
        while (peek().isOp(".") && peek(1).kind == TokenKind::Alias) {
            next();
            written += "." + next().text;
        }
        const std::string outer = m_scopes.module();
        std::string full = outer.empty() ? "Elixir." + written : outer + "." + written;
        if (!outer.empty()) // a nested module is known by its short name in the outer one
            m_scopes.scopes.back().aliases.emplace_back(firstSegment, outer + "." + firstSegment);
        if (!peek().isReserved("do"))
            fail(peek().pos, "defmodule needs a do-block: defmodule " + written + " do ... end",
                ScriptError::Kind::CompileError);
        m_scopes.scopes.push_back(AliasScope { full, {} });
        std::vector<Section> sections = parseDoBlock();
        m_scopes.scopes.pop_back();
        if (sections.size() != 1 || sections[0].stab.isClauses)
            fail(pos, "defmodule takes a do-block of definitions, without -> clauses or else/after",
                ScriptError::Kind::CompileError);
        auto m = makeNode<ModuleNode>(pos);
        m->name = Atom::intern(full);
        m->body = std::move(sections[0].stab.exprs);
        return m;
    }

    [[gnu::noinline]] NodePtr parseDef(SourcePos pos, bool isPrivate)
    {
        Ctx inner;
        inner.noDoBlock = true;
        m_scopes.defHead = true;
        NodePtr head = parseExpr(0, inner);
        m_scopes.defHead = false;
        auto d = makeNode<DefNode>(pos);
        d->isPrivate = isPrivate;
        d->clause.pos = head->pos;
        if (head->kind == NodeKind::Binary && head->as<BinaryNode>().op.name() == "when") {
            d->clause.guard = head->as<BinaryNode>().rhs;
            head = head->as<BinaryNode>().lhs;
        }
        std::vector<NodePtr> params;
        if (head->kind == NodeKind::Call) {
            d->name = head->as<CallNode>().name;
            params = head->as<CallNode>().args;
        } else if (head->kind == NodeKind::Var) {
            d->name = head->as<VarNode>().name;
        } else {
            fail(head->pos,
                "invalid syntax in def: expected a name and parameters, such as def name(a, b) do ... end",
                ScriptError::Kind::CompileError);
        }
        for (auto &p : params) {
            if (p->kind == NodeKind::Binary && p->as<BinaryNode>().op.name() == "\\\\") {
                d->clause.patterns.push_back(p->as<BinaryNode>().lhs);
                d->defaults.push_back(p->as<BinaryNode>().rhs);
            } else {
                d->clause.patterns.push_back(p);
                d->defaults.emplace_back();
            }
        }
        m_scopes.scopes.push_back(AliasScope {});
        if (peek().isOp(",") && peek(1).kind == TokenKind::Keyword) {
            next();
            NodePtr kw = parseKeywordList(inner, nullptr);
            for (const auto &e : kw->as<ListNode>().elements) {
                const auto &pair = e->as<TupleNode>();
                if (!pair.elements[0]->as<LiteralNode>().value.isAtom("do"))
                    badKeys("def", pos, "\"do\"");
                d->clause.body = pair.elements[1];
            }
        } else if (peek().isReserved("do")) {
            const std::vector<Section> sections = parseDoBlock();
            if (sections.size() != 1)
                fail(sections[1].pos,
                    "a def with rescue/catch/after sections is not supported by Mailroom's script language: "
                    "write try do ... end inside the def",
                    ScriptError::Kind::CompileError);
            d->clause.body = sectionBlock(sections[0], "def");
        }
        m_scopes.scopes.pop_back();
        return d;
    }

    // alias Mod, alias Mod, as: Short, alias __MODULE__, require Mod: known at parse time.
    [[gnu::noinline]] NodePtr parseAliasDirective(const std::string &form, SourcePos pos, bool parenCall)
    {
        std::vector<NodePtr> args;
        if (parenCall) {
            const SourcePos open = next().pos;
            args = parseArgsUntil(")", "(", open);
        } else {
            args = parseNoParenArgs();
        }
        if (args.empty() || args[0]->kind != NodeKind::Literal || !args[0]->as<LiteralNode>().value.isAtom()
            || args.size() > 2)
            fail(pos, form + " expects a module name, such as " + form + " My.Server",
                ScriptError::Kind::CompileError);
        const std::string target(args[0]->as<LiteralNode>().value.asAtom().name());
        if (form == "alias") {
            std::string shortName = target.substr(target.rfind('.') + 1);
            if (args.size() == 2) {
                const Term *as = nullptr;
                if (isKeywordListNode(args[1]))
                    for (const auto &e : args[1]->as<ListNode>().elements)
                        if (e->as<TupleNode>().elements[0]->as<LiteralNode>().value.isAtom("as")
                            && e->as<TupleNode>().elements[1]->kind == NodeKind::Literal)
                            as = &e->as<TupleNode>().elements[1]->as<LiteralNode>().value;
                if (as == nullptr || !as->isAtom() || !as->asAtom().name().starts_with("Elixir.")
                    || as->asAtom().name().find('.', 7) != std::string_view::npos)
                    fail(pos, "alias takes as: with a simple module name, such as alias My.Server, as: Server",
                        ScriptError::Kind::CompileError);
                shortName = std::string(as->asAtom().name().substr(7));
            }
            m_scopes.scopes.back().aliases.emplace_back(shortName, target);
        }
        auto n = makeNode<LiteralNode>(pos);
        n->value = args[0]->as<LiteralNode>().value;
        n->isAlias = true;
        return n;
    }

    // @name value sets an attribute in a module's body; @name reads it.
    [[gnu::noinline]] NodePtr parseAttribute(Ctx ctx)
    {
        const Token &at = next();
        if (peek().kind != TokenKind::Identifier || peek().spaceBefore)
            fail(at.pos, "invalid module attribute: expected a name after @, such as @interval 1000",
                ScriptError::Kind::CompileError);
        auto a = makeNode<AttributeNode>(at.pos);
        const std::string &name = next().text;
        a->name = Atom::intern(name);
        if (!startsNoParenArg(0) || peek().kind == TokenKind::Keyword)
            return a;
        if (name == "spec" || name == "type" || name == "typep" || name == "opaque" || name == "callback") {
            // Typespecs document only; skip to the end of the line (brackets may span lines).
            int open = 0;
            while (peek().kind != TokenKind::Eof && (open > 0 || peek().kind != TokenKind::Eol)) {
                const Token &t = next();
                if (t.isOp("(") || t.isOp("[") || t.isOp("{") || t.isOp("%{"))
                    ++open;
                else if (t.isOp(")") || t.isOp("]") || t.isOp("}"))
                    --open;
            }
            a->value = nilLiteral(at.pos);
            return a;
        }
        Ctx inner = ctx;
        inner.noDoBlock = true;
        a->value = parseExpr(0, inner);
        return a;
    }

    [[gnu::noinline]] std::vector<NodePtr> parseNoParenArgs()
    {
        Ctx inner;
        inner.noDoBlock = true;
        std::vector<NodePtr> args;
        for (;;) {
            if (peek().kind == TokenKind::Keyword) {
                args.push_back(parseKeywordList(inner, nullptr));
                break;
            }
            args.push_back(parseExpr(0, inner));
            if (!acceptOp(","))
                break;
            skipEols();
        }
        return args;
    }

    std::vector<NodePtr> parseArgsUntil(std::string_view closer, std::string_view opener, SourcePos openPos)
    {
        std::vector<NodePtr> args;
        skipEols();
        if (acceptOp(closer))
            return args;
        for (;;) {
            skipEols();
            if (peek().kind == TokenKind::Keyword) {
                args.push_back(parseKeywordList({}, &closer));
                expectCloser(closer, opener, openPos);
                return args;
            }
            args.push_back(parseExpr(0, {}));
            skipEols();
            if (acceptOp(","))
                continue;
            expectCloser(closer, opener, openPos);
            return args;
        }
    }

    // key: value, key: value — as a list of {key, value} tuples.
    [[gnu::noinline]] NodePtr parseKeywordList(Ctx ctx, const std::string_view *closer)
    {
        auto list = makeNode<ListNode>(peek().pos);
        for (;;) {
            const Token &key = next();
            auto k = makeNode<LiteralNode>(key.pos);
            k->value = Term::atom(key.text);
            skipEols();
            auto pair = makeNode<TupleNode>(key.pos);
            pair->elements.push_back(std::move(k));
            pair->elements.push_back(parseExpr(0, ctx));
            list->elements.push_back(std::move(pair));
            if (!peek().isOp(","))
                break;
            size_t ahead = 1;
            while (peek(ahead).kind == TokenKind::Eol)
                ++ahead;
            if (peek(ahead).kind == TokenKind::Keyword) {
                next();
                skipEols();
                continue;
            }
            if (closer != nullptr && peek(ahead).isOp(*closer))
                break; // a trailing comma
            fail(peek().pos,
                "unexpected expression after keyword list. Keyword lists must always come last in lists "
                "and maps. Therefore, this is not allowed:\n\n    [some: :value, :another]\n    "
                "%{some: :value, another => value}\n\nInstead, reorder it to be the last entry:\n\n    "
                "[:another, some: :value]\n    %{another => value, some: :value}\n");
        }
        return list;
    }

    [[gnu::noinline]] NodePtr parseAlias()
    {
        const Token &first = next();
        std::string name = first.text == "Elixir" ? std::string() : "Elixir." + first.text;
        if (const std::string *aliased = m_scopes.alias(first.text))
            name = *aliased;
        while (peek().isOp(".") && peek(1).kind == TokenKind::Alias) {
            next();
            const std::string &segment = next().text;
            name += name.empty() ? "Elixir." + segment : "." + segment;
        }
        if (name.empty())
            name = "Elixir";
        auto n = makeNode<LiteralNode>(first.pos);
        n->value = Term::atom(name);
        n->isAlias = true;
        return n;
    }

    NodePtr parsePostfix(NodePtr node, Ctx ctx)
    {
        DepthGuard guard(*this, node->pos, 0);
        for (;;) {
            const Token &t = peek();
            if (t.isOp(".") || (t.isOp("[") && !t.spaceBefore))
                guard.add(t.pos);
            if (t.isOp(".")) {
                const Token &n = peek(1);
                if (n.isOp("(")) {
                    next();
                    const SourcePos open = next().pos;
                    auto a = makeNode<ApplyNode>(t.pos);
                    a->function = std::move(node);
                    a->args = parseArgsUntil(")", "(", open);
                    node = std::move(a);
                    continue;
                }
                if (n.kind == TokenKind::Identifier) {
                    next();
                    node = parseRemote(std::move(node), next(), ctx);
                    continue;
                }
                if (n.kind == TokenKind::Alias)
                    fail(n.pos,
                        "invalid alias: a module name such as " + n.text
                            + " can follow only another module name");
                unexpected(n);
            }
            if (t.isOp("[") && !t.spaceBefore) {
                const SourcePos open = next().pos;
                skipEols();
                auto a = makeNode<AccessNode>(t.pos);
                a->target = std::move(node);
                a->key = parseExpr(0, {});
                expectCloser("]", "[", open);
                node = std::move(a);
                continue;
            }
            return node;
        }
    }

    [[gnu::noinline]] NodePtr parseRemote(NodePtr target, const Token &fun, Ctx ctx)
    {
        if (target->kind == NodeKind::Literal && target->as<LiteralNode>().value.isAtom())
            if (const auto message = unsupportedRemote(target->as<LiteralNode>().value.asAtom(), fun.text))
                fail(fun.pos, *message, ScriptError::Kind::CompileError);
        auto r = makeNode<RemoteNode>(fun.pos);
        r->target = std::move(target);
        r->function = Atom::intern(fun.text);
        const Token &n = peek();
        if (n.isOp("(") && !n.spaceBefore) {
            const SourcePos open = next().pos;
            r->args = parseArgsUntil(")", "(", open);
            r->parens = true;
        } else if (startsNoParenArg(0)) {
            r->args = parseNoParenArgs();
            r->parens = true;
        }
        if (!ctx.noDoBlock && peek().isReserved("do"))
            fail(peek().pos, "do-blocks can only follow if, unless, case, cond, receive, try, for and with");
        return r;
    }

    [[gnu::noinline]] NodePtr parseParens()
    {
        const Token &open = next();
        Stab s = parseStab(false);
        expectCloser(")", "(", open.pos);
        return blockOf(std::move(s.exprs), open.pos);
    }

    // A list of constants becomes one constant: large literal lists then cost nothing to
    // evaluate.
    [[gnu::noinline]] static NodePtr foldLiteralList(std::shared_ptr<ListNode> list)
    {
        if (list->tail)
            return list;
        std::vector<Term> items;
        items.reserve(list->elements.size());
        for (const auto &e : list->elements) {
            if (e->kind != NodeKind::Literal)
                return list;
            items.push_back(e->as<LiteralNode>().value);
        }
        auto lit = makeNode<LiteralNode>(list->pos);
        lit->value = Term::list(items);
        return lit;
    }

    [[gnu::noinline]] NodePtr parseList()
    {
        const Token &open = next();
        auto list = makeNode<ListNode>(open.pos);
        skipEols();
        if (acceptOp("]"))
            return foldLiteralList(list);
        static constexpr std::string_view closer = "]";
        for (;;) {
            skipEols();
            if (peek().kind == TokenKind::Keyword) {
                auto kw = parseKeywordList({}, &closer);
                for (const auto &e : kw->as<ListNode>().elements)
                    list->elements.push_back(e);
                acceptOp(",");
                expectCloser("]", "[", open.pos);
                return list;
            }
            list->elements.push_back(parseExpr(kPipeBar + 1, {}));
            skipEols();
            if (acceptOp("|")) {
                skipEols();
                list->tail = parseExpr(kPipeBar + 1, {});
                expectCloser("]", "[", open.pos);
                return list;
            }
            if (acceptOp(",")) {
                skipEols();
                if (acceptOp("]"))
                    return foldLiteralList(list);
                continue;
            }
            expectCloser("]", "[", open.pos);
            return foldLiteralList(list);
        }
    }

    [[gnu::noinline]] NodePtr parseTuple()
    {
        const Token &open = next();
        auto tuple = makeNode<TupleNode>(open.pos);
        skipEols();
        if (acceptOp("}"))
            return tuple;
        static constexpr std::string_view closer = "}";
        for (;;) {
            skipEols();
            if (peek().kind == TokenKind::Keyword) {
                tuple->elements.push_back(parseKeywordList({}, &closer));
                acceptOp(",");
                expectCloser("}", "{", open.pos);
                return tuple;
            }
            tuple->elements.push_back(parseExpr(0, {}));
            skipEols();
            if (acceptOp(",")) {
                skipEols();
                if (acceptOp("}"))
                    return tuple;
                continue;
            }
            expectCloser("}", "{", open.pos);
            return tuple;
        }
    }

    // After `%{` (or `%Mod{`): entries, or `base | entries`, up to `}`. For structs,
    // `module` is the struct's atom.
    [[gnu::noinline]] NodePtr parseMapBody(SourcePos open, const Atom *module)
    {
        NodePtr base;
        std::vector<std::pair<NodePtr, NodePtr>> entries;
        static constexpr std::string_view closer = "}";
        skipEols();
        if (!peek().isOp("}")) {
            bool first = true;
            for (;;) {
                skipEols();
                if (peek().kind == TokenKind::Keyword) {
                    auto kw = parseKeywordList({}, &closer);
                    for (const auto &e : kw->as<ListNode>().elements) {
                        const auto &pair = e->as<TupleNode>();
                        entries.emplace_back(pair.elements[0], pair.elements[1]);
                    }
                    acceptOp(",");
                    break;
                }
                NodePtr key = parseExpr(kAssocArrow + 1, {});
                skipEols();
                if (first && acceptOp("|")) {
                    base = std::move(key);
                    first = false;
                    continue;
                }
                first = false;
                if (!acceptOp("=>")) {
                    if (peek().kind == TokenKind::Eof)
                        missingTerminator("}", "{", open);
                    unexpected(peek());
                }
                skipEols();
                NodePtr value = parseExpr(kPipeBar + 1, {});
                entries.emplace_back(std::move(key), std::move(value));
                skipEols();
                if (!acceptOp(","))
                    break;
                skipEols();
                if (peek().isOp("}"))
                    break;
            }
        }
        expectCloser("}", "{", open);
        if (module != nullptr) {
            auto s = makeNode<StructNode>(open);
            s->module = *module;
            s->base = std::move(base);
            s->entries = std::move(entries);
            return s;
        }
        auto m = makeNode<MapNode>(open);
        m->base = std::move(base);
        m->entries = std::move(entries);
        return m;
    }

    [[gnu::noinline]] NodePtr parseStruct()
    {
        const Token &pct = next();
        if (peek().kind != TokenKind::Alias)
            fail(pct.pos, "only structs named by a module are supported, such as %PledgeServer.State{}",
                ScriptError::Kind::CompileError);
        NodePtr alias = parseAlias();
        const Atom module = alias->as<LiteralNode>().value.asAtom();
        if (!peek().isOp("{") || peek().spaceBefore)
            unexpected(peek());
        next();
        return parseMapBody(pct.pos, &module);
    }

    [[gnu::noinline]] NodePtr parseFn()
    {
        const Token &fnTok = next();
        Stab s = parseStab(true);
        if (!s.isClauses && s.exprs.empty() && peek().isReserved("end"))
            fail(peek().pos,
                "syntax error before: end. \"end\" is a reserved word in Elixir and therefore its usage is "
                "limited. For instance, it can't be used as a variable or be defined nor invoked as a "
                "regular function");
        expectEnd("fn", fnTok.pos);
        if (!s.isClauses)
            fail(fnTok.pos, "expected anonymous functions to be defined with -> inside: 'fn'");
        auto f = makeNode<FnNode>(fnTok.pos);
        f->arity = static_cast<int>(s.clauses.front().patterns.size());
        for (const auto &c : s.clauses)
            if (static_cast<int>(c.patterns.size()) != f->arity)
                fail(c.pos, "cannot mix clauses with different arities in anonymous functions",
                    ScriptError::Kind::CompileError);
        f->clauses = std::move(s.clauses);
        return f;
    }

    // Calls and special forms ------------------------------------------------

    [[noreturn]] void badKeys(const std::string &form, SourcePos pos, const std::string &allowed) const
    {
        fail(pos, "invalid or duplicate keys for " + form + ", only " + allowed + " are permitted",
            ScriptError::Kind::CompileError);
    }

    // Sections from a do-block, or from a trailing `do: x, else: y` keyword argument.
    [[gnu::noinline]] std::optional<std::vector<Section>> takeSections(
        std::vector<NodePtr> &args, std::optional<std::vector<Section>> block)
    {
        if (block)
            return block;
        if (args.empty() || !isKeywordListNode(args.back()))
            return std::nullopt;
        const auto &kw = args.back()->as<ListNode>();
        bool hasDo = false;
        for (const auto &e : kw.elements)
            hasDo = hasDo || e->as<TupleNode>().elements[0]->as<LiteralNode>().value.isAtom("do");
        if (!hasDo)
            return std::nullopt;
        std::vector<Section> sections;
        for (const auto &e : kw.elements) {
            const auto &pair = e->as<TupleNode>();
            Section s;
            s.name = std::string(pair.elements[0]->as<LiteralNode>().value.asAtom().name());
            s.pos = pair.pos;
            s.stab.exprs.push_back(pair.elements[1]);
            sections.push_back(std::move(s));
        }
        args.pop_back();
        return sections;
    }

    [[gnu::noinline]] NodePtr sectionBlock(const Section &s, const std::string &form) const
    {
        if (s.stab.isClauses)
            fail(s.pos, "unexpected -> clauses for :" + s.name + " in \"" + form + "\"",
                ScriptError::Kind::CompileError);
        return blockOf(s.stab.exprs, s.pos);
    }

    [[gnu::noinline]] std::vector<Clause> sectionClauses(
        const Section &s, const std::string &form, bool allowEmpty = false) const
    {
        if (!s.stab.isClauses) {
            if (allowEmpty && s.stab.exprs.empty())
                return {};
            fail(s.pos, "expected -> clauses for :" + s.name + " in \"" + form + "\"",
                ScriptError::Kind::CompileError);
        }
        return s.stab.clauses;
    }

    static const Section *findSection(const std::vector<Section> &sections, std::string_view name)
    {
        for (const auto &s : sections)
            if (s.name == name)
                return &s;
        return nullptr;
    }

    [[gnu::noinline]] void checkSections(const std::vector<Section> &sections, const std::string &form,
        std::initializer_list<std::string_view> allowed, const std::string &allowedText, SourcePos pos) const
    {
        for (size_t i = 0; i < sections.size(); ++i) {
            bool ok = false;
            for (const auto a : allowed)
                ok = ok || sections[i].name == a;
            for (size_t j = 0; j < i; ++j)
                ok = ok && sections[j].name != sections[i].name;
            if (!ok)
                badKeys(form, pos, allowedText);
        }
        if (findSection(sections, "do") == nullptr)
            fail(pos, "missing :do option in \"" + form + "\"", ScriptError::Kind::CompileError);
    }

    [[gnu::noinline]] NodePtr buildCall(const std::string &name, SourcePos pos, std::vector<NodePtr> args,
        std::optional<std::vector<Section>> block, bool ambiguous)
    {
        const bool special = name == "if" || name == "unless" || name == "case" || name == "cond"
            || name == "receive" || name == "try" || name == "for" || name == "with";
        if (!special) {
            if (block)
                fail(pos,
                    "do-blocks can only follow if, unless, case, cond, receive, try, for and with; " + name
                        + " does not take one",
                    ScriptError::Kind::CompileError);
            auto c = makeNode<CallNode>(pos);
            c->name = Atom::intern(name);
            c->args = std::move(args);
            c->ambiguousOperator = ambiguous;
            return c;
        }
        if (name == "for")
            return buildFor(pos, std::move(args), std::move(block));
        if (name == "with")
            return buildWith(pos, std::move(args), std::move(block));
        auto sections = takeSections(args, std::move(block));
        if (!sections)
            fail(pos, "missing :do option in \"" + name + "\"", ScriptError::Kind::CompileError);
        if (name == "if" || name == "unless") {
            checkSections(*sections, name, { "do", "else" }, "\"do\" and an optional \"else\"", pos);
            if (args.size() != 1)
                fail(pos, name + " takes one condition, then do: and an optional else:",
                    ScriptError::Kind::CompileError);
            auto n = makeNode<IfNode>(pos);
            n->condition = args[0];
            NodePtr yes = sectionBlock(*findSection(*sections, "do"), name);
            const Section *no = findSection(*sections, "else");
            NodePtr other = no != nullptr ? sectionBlock(*no, name) : nullptr;
            if (name == "unless")
                std::swap(yes, other);
            n->then = yes ? yes : nilLiteral(pos);
            n->otherwise = other;
            return n;
        }
        if (name == "case") {
            checkSections(*sections, name, { "do" }, "\"do\"", pos);
            if (args.size() > 1)
                fail(pos, "case takes one expression, then do: with -> clauses",
                    ScriptError::Kind::CompileError);
            auto n = makeNode<CaseNode>(pos);
            n->subject = args.empty() ? nullptr : args[0]; // none: the subject comes from a pipe
            n->clauses = sectionClauses(*findSection(*sections, "do"), name);
            for (const auto &c : n->clauses)
                if (c.patterns.size() != 1)
                    fail(c.pos, "case clauses take exactly one pattern", ScriptError::Kind::CompileError);
            return n;
        }
        if (name == "cond") {
            checkSections(*sections, name, { "do" }, "\"do\"", pos);
            if (!args.empty())
                fail(pos, "cond takes no arguments, only do: with -> clauses",
                    ScriptError::Kind::CompileError);
            auto n = makeNode<CondNode>(pos);
            n->clauses = sectionClauses(*findSection(*sections, "do"), name);
            for (const auto &c : n->clauses)
                if (c.patterns.size() != 1 || c.guard)
                    fail(c.pos, "cond clauses take exactly one condition before ->",
                        ScriptError::Kind::CompileError);
            return n;
        }
        if (name == "receive") {
            checkSections(*sections, name, { "do", "after" }, "\"do\" and \"after\"", pos);
            if (!args.empty())
                fail(pos, "receive takes no arguments, only do: with -> clauses",
                    ScriptError::Kind::CompileError);
            auto n = makeNode<ReceiveNode>(pos);
            n->clauses = sectionClauses(*findSection(*sections, "do"), name, true);
            if (const Section *after = findSection(*sections, "after")) {
                auto clauses = sectionClauses(*after, name);
                if (clauses.size() != 1 || clauses[0].patterns.size() != 1 || clauses[0].guard)
                    fail(after->pos, "expected a single -> clause for :after in \"receive\"",
                        ScriptError::Kind::CompileError);
                n->timeout = clauses[0].patterns[0];
                n->afterBody = clauses[0].body;
            }
            return n;
        }
        // try
        checkSections(*sections, name, { "do", "rescue", "catch", "else", "after" },
            "\"do\", \"rescue\", \"catch\", \"else\" and \"after\"", pos);
        if (!args.empty())
            fail(pos, "try takes no arguments, only a do-block", ScriptError::Kind::CompileError);
        auto n = makeNode<TryNode>(pos);
        n->body = sectionBlock(*findSection(*sections, "do"), name);
        if (const Section *s = findSection(*sections, "rescue")) {
            n->rescues = sectionClauses(*s, name);
            for (const auto &c : n->rescues)
                if (c.patterns.size() != 1 || c.guard)
                    fail(c.pos, "rescue clauses take one pattern: e, Mod, e in Mod or e in [Mod1, Mod2]",
                        ScriptError::Kind::CompileError);
        }
        if (const Section *s = findSection(*sections, "catch")) {
            n->catches = sectionClauses(*s, name);
            for (const auto &c : n->catches)
                if (c.patterns.empty() || c.patterns.size() > 2)
                    fail(c.pos, "catch clauses take a value, or a kind and a value",
                        ScriptError::Kind::CompileError);
        }
        if (const Section *s = findSection(*sections, "else"))
            n->elses = sectionClauses(*s, name);
        if (const Section *s = findSection(*sections, "after"))
            n->after = sectionBlock(*s, name);
        if (n->rescues.empty() && n->catches.empty() && n->elses.empty() && !n->after)
            fail(pos, "missing :catch/:rescue/:after option in \"try\"", ScriptError::Kind::CompileError);
        return n;
    }

    [[gnu::noinline]] NodePtr generatorOrFilter(const NodePtr &q)
    {
        if (q->kind == NodeKind::Binary && q->as<BinaryNode>().op.name() == "<-") {
            const auto &b = q->as<BinaryNode>();
            auto g = makeNode<GeneratorNode>(b.pos);
            if (b.lhs->kind == NodeKind::Binary && b.lhs->as<BinaryNode>().op.name() == "when") {
                g->pattern = b.lhs->as<BinaryNode>().lhs;
                g->guard = b.lhs->as<BinaryNode>().rhs;
            } else {
                g->pattern = b.lhs;
            }
            g->source = b.rhs;
            return g;
        }
        return q;
    }

    [[gnu::noinline]] NodePtr buildFor(
        SourcePos pos, std::vector<NodePtr> args, std::optional<std::vector<Section>> block)
    {
        auto n = makeNode<ForNode>(pos);
        // Options (into:, uniq:, reduce:, and do: in the keyword form) come last.
        if (!args.empty() && isKeywordListNode(args.back())) {
            const auto kw = args.back();
            args.pop_back();
            for (const auto &e : kw->as<ListNode>().elements) {
                const auto &pair = e->as<TupleNode>();
                const std::string_view key = pair.elements[0]->as<LiteralNode>().value.asAtom().name();
                if (key == "into")
                    n->into = pair.elements[1];
                else if (key == "uniq")
                    n->uniq = pair.elements[1];
                else if (key == "reduce")
                    n->reduce = pair.elements[1];
                else if (key == "do" && !block)
                    n->body = pair.elements[1];
                else
                    fail(pair.pos,
                        "unsupported option " + std::string(key)
                            + ": in for; Mailroom supports into:, uniq: and reduce:",
                        ScriptError::Kind::CompileError);
            }
        }
        if (args.empty())
            fail(pos, "for needs at least one generator, such as x <- list", ScriptError::Kind::CompileError);
        for (const auto &a : args)
            n->qualifiers.push_back(generatorOrFilter(a));
        if (n->qualifiers.front()->kind != NodeKind::Generator)
            fail(pos, "for must start with a generator, such as x <- list", ScriptError::Kind::CompileError);
        if (block) {
            checkSections(*block, "for", { "do" }, "\"do\"", pos);
            const Section &s = *findSection(*block, "do");
            if (n->reduce)
                n->reduceClauses = sectionClauses(s, "for");
            else
                n->body = sectionBlock(s, "for");
        } else if (!n->body) {
            fail(pos, "missing :do option in \"for\"", ScriptError::Kind::CompileError);
        } else if (n->reduce) {
            fail(pos, "for with reduce: needs a do-block with -> clauses", ScriptError::Kind::CompileError);
        }
        return n;
    }

    [[gnu::noinline]] NodePtr buildWith(
        SourcePos pos, std::vector<NodePtr> args, std::optional<std::vector<Section>> block)
    {
        auto sections = takeSections(args, std::move(block));
        if (!sections)
            fail(pos, "missing :do option in \"with\"", ScriptError::Kind::CompileError);
        checkSections(*sections, "with", { "do", "else" }, "\"do\" and \"else\"", pos);
        auto n = makeNode<WithNode>(pos);
        for (const auto &a : args)
            n->qualifiers.push_back(generatorOrFilter(a));
        n->body = sectionBlock(*findSection(*sections, "do"), "with");
        if (const Section *s = findSection(*sections, "else"))
            n->elses = sectionClauses(*s, "with");
        return n;
    }
};

} // namespace

NodePtr parseTree(std::string_view source, const std::string &file, size_t stackBudget)
{
    const StackLimit stack(stackBudget);
    const std::vector<Token> tokens = tokenize(source, file, stackBudget);
    int depth = 0;
    ParseScopes scopes;
    Parser parser(tokens, file, depth, stack, scopes);
    return parser.parseAll();
}

Program parseProgram(std::string_view source, std::string file, const ParseOptions &options)
{
    Program p;
    p.root = parseTree(source, file, options.stackBudget);
    checkProgram(*p.root, file, options.knownVariables, options.stackBudget);
    p.file = std::move(file);
    return p;
}

} // namespace mailroom::script
