// SPDX-License-Identifier: MIT
// Expressions: operators by precedence, pipes, prefix operators, captures, identifiers
// and calls, postfix chains (.fun, .(), [key]), parentheses and fn.

#include "script/parser_impl.h"
#include "script/unsupported.h"

#include <algorithm>

namespace mailroom::script::parsing {

NodePtr Parser::parseExpr(int minPrecedence, Ctx ctx)
{
    DepthGuard guard(*this, peek().pos);
    NodePtr lhs = parseUnary(ctx);
    for (;;) {
        const Token &t = peek();
        std::optional<OpInfo> info;
        std::string op;
        if (t.isReserved("not") && peek(1).isReserved("in")) {
            info = OpInfo{ 170, false };
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

NodePtr Parser::combine(const std::string &op, SourcePos pos, NodePtr lhs, NodePtr rhs)
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
        return pipe(std::move(lhs), rhs, pos);
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

NodePtr Parser::pipe(NodePtr value, const NodePtr &into, SourcePos pos)
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

NodePtr Parser::parseUnary(Ctx ctx)
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

NodePtr Parser::parsePrefixOperator(Ctx ctx)
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

NodePtr Parser::parsePin()
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

NodePtr Parser::parseCaptureOperator(Ctx ctx)
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

void Parser::unsupportedOperator(const Token &t) const
{
    if (t.text == "<<")
        fail(t.pos, unsupportedMessage("binary syntax <<...>>"), ScriptError::Kind::CompileError);
    const Token &name = peek(1);
    const std::string attribute
        = "@" + (name.kind == TokenKind::Identifier ? name.text : std::string("name"));
    fail(t.pos, unsupportedMessage(attribute) + ": module attributes exist only inside modules",
        ScriptError::Kind::CompileError);
}

NodePtr Parser::makeCapture(NodePtr body, SourcePos pos)
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

void Parser::collectCaptureArgs(const Node &n, int &arity, std::vector<bool> &seen)
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

NodePtr Parser::parsePrimary(Ctx ctx)
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

bool Parser::startsNoParenArg(size_t at) const
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

NodePtr Parser::parseIdentifier(Ctx ctx)
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

std::vector<NodePtr> Parser::parseNoParenArgs()
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

std::vector<NodePtr> Parser::parseArgsUntil(std::string_view closer, std::string_view opener, SourcePos openPos)
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

NodePtr Parser::parsePostfix(NodePtr node, Ctx ctx)
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

NodePtr Parser::parseRemote(NodePtr target, const Token &fun, Ctx ctx)
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

NodePtr Parser::parseParens()
{
    const Token &open = next();
    Stab s = parseStab(false);
    expectCloser(")", "(", open.pos);
    return blockOf(std::move(s.exprs), open.pos);
}

NodePtr Parser::parseFn()
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

} // namespace mailroom::script::parsing
