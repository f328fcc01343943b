// SPDX-License-Identifier: MIT
// Literals: strings and interpolation, keyword lists, aliases, lists (constant ones
// folded), tuples, maps and structs.

#include "script/parser_impl.h"

namespace mailroom::script::parsing {

NodePtr Parser::stringNode(const Token &t)
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

NodePtr Parser::parseKeywordList(Ctx ctx, const std::string_view *closer)
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

NodePtr Parser::parseAlias()
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

NodePtr Parser::foldLiteralList(std::shared_ptr<ListNode> list)
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

NodePtr Parser::parseList()
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

NodePtr Parser::parseTuple()
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

NodePtr Parser::parseMapBody(SourcePos open, const Atom *module)
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

NodePtr Parser::parseStruct()
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

} // namespace mailroom::script::parsing
