// SPDX-License-Identifier: MIT
// The parser's entry points, its errors, and blocks of expressions or -> clauses.

#include "script/checker.h"
#include "script/parser_impl.h"

#include <unordered_map>

namespace mailroom::script::parsing {

std::optional<OpInfo> binaryOperator(const Token &t)
{
    if (t.kind == TokenKind::Reserved) {
        if (t.text == "when")
            return OpInfo{ 50, true };
        if (t.text == "or")
            return OpInfo{ 120, false };
        if (t.text == "and")
            return OpInfo{ 130, false };
        if (t.text == "in")
            return OpInfo{ 170, false };
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

void Parser::tooDeep(SourcePos pos) const
{
    fail(pos,
        "expression is nested too deeply (more than " + std::to_string(kMaxNesting)
            + " levels, or more than the stack allows); Mailroom's script language limits nesting");
}

void Parser::fail(SourcePos pos, std::string_view message,
    ScriptError::Kind kind) const
{
    throw ScriptError(kind, m_file, pos, std::string(message));
}

void Parser::unexpected(const Token &t) const
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

SourcePos Parser::endOf(const Token &t)
{
    if (t.kind != TokenKind::Operator && t.kind != TokenKind::Reserved && t.kind != TokenKind::Identifier
        && t.kind != TokenKind::Integer)
        return t.pos;
    return SourcePos{ t.pos.line, t.pos.col + static_cast<uint32_t>(t.text.size()) };
}

void Parser::missingTerminator(
    std::string_view terminator, std::string_view opener, SourcePos openPos) const
{
    fail(peek().pos,
        "missing terminator: " + std::string(terminator) + " (for \"" + std::string(opener)
            + "\" starting at line " + std::to_string(openPos.line) + ")",
        ScriptError::Kind::TokenMissingError);
}

void Parser::expectCloser(std::string_view closer, std::string_view opener, SourcePos openPos)
{
    skipEols();
    if (acceptOp(closer))
        return;
    if (peek().kind == TokenKind::Eof)
        missingTerminator(closer, opener, openPos);
    unexpected(peek());
}

void Parser::expectEnd(std::string_view opener, SourcePos openPos)
{
    if (peek().isReserved("end")) {
        next();
        return;
    }
    if (peek().kind == TokenKind::Eof)
        missingTerminator("end", opener, openPos);
    unexpected(peek());
}

bool Parser::atBlockEnd() const
{
    const Token &t = peek();
    if (t.kind == TokenKind::Eof)
        return true;
    if (t.kind == TokenKind::Reserved)
        return t.text == "end" || t.text == "else" || t.text == "after" || t.text == "rescue"
            || t.text == "catch";
    return t.isOp(")");
}

Stab Parser::parseStab(bool allowClauses)
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

void Parser::endOfExpression()
{
    if (peek().kind == TokenKind::Eol)
        next();
    else if (!atBlockEnd())
        unexpected(peek());
}

void Parser::startClause(
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

void Parser::finishStab(Stab &out, std::vector<NodePtr> &body)
{
    if (out.isClauses)
        out.clauses.back().body = blockOf(std::move(body), out.clauses.back().pos);
    else
        out.exprs = std::move(body);
}

Clause Parser::makeClause(std::vector<NodePtr> heads, SourcePos pos)
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

std::vector<Section> Parser::parseDoBlock()
{
    const SourcePos doPos = next().pos;
    std::vector<Section> sections;
    Section current{ "do", doPos, {} };
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
            current = Section{ t.text, t.pos, {} };
            next();
            continue;
        }
        if (t.kind == TokenKind::Eof)
            missingTerminator("end", "do", doPos);
        unexpected(t);
    }
}

} // namespace mailroom::script::parsing

namespace mailroom::script {

NodePtr parseTree(std::string_view source, const std::string &file, size_t stackBudget)
{
    const StackLimit stack(stackBudget);
    const std::vector<Token> tokens = tokenize(source, file, stackBudget);
    int depth = 0;
    parsing::ParseScopes scopes;
    parsing::Parser parser(tokens, file, depth, stack, scopes);
    return parser.parseAll();
}

Program parseProgram(std::string_view source, std::string file, const ParseOptions &options)
{
    Program p;
    p.root = parseTree(source, file, options.stackBudget);
    checkProgram(*p.root, file, options.knownVariables, options.stackBudget);
    p.file = std::move(file);
    p.source = std::make_shared<const std::string>(source);
    return p;
}

} // namespace mailroom::script
