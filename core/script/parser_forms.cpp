// SPDX-License-Identifier: MIT
// Forms that define (defmodule, def, alias, @attributes) and the special forms with
// do-blocks (if, unless, case, cond, receive, try, for, with).

#include "script/parser_impl.h"
#include "script/unsupported.h"

namespace mailroom::script::parsing {

NodePtr Parser::currentModule(SourcePos pos)
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

void Parser::outsideModule(std::string_view form, SourcePos pos) const
{
    fail(pos,
        "cannot invoke " + std::string(form) + " outside module: " + std::string(form)
            + " can only be used directly inside defmodule Name do ... end",
        ScriptError::Kind::CompileError);
}

NodePtr Parser::parseModuleForm(const std::string &name, SourcePos pos, bool parenCall)
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

NodePtr Parser::parseDefmodule(SourcePos pos)
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
    m_scopes.scopes.push_back(AliasScope{ full, {} });
    std::vector<Section> sections = parseDoBlock();
    m_scopes.scopes.pop_back();
    if (sections.size() != 1 || sections[0].stab.isClauses)
        fail(pos, "defmodule takes a do-block of definitions, without -> clauses or else/after",
            ScriptError::Kind::CompileError);
    auto m = makeNode<ModuleNode>(pos);
    m->name = Atom::intern(full);
    m->body = std::move(sections[0].stab.exprs);
    m->endLine = lastLine();
    return m;
}

NodePtr Parser::parseDef(SourcePos pos, bool isPrivate)
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
    m_scopes.scopes.push_back(AliasScope{});
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
    d->endLine = lastLine();
    return d;
}

NodePtr Parser::parseAliasDirective(const std::string &form, SourcePos pos, bool parenCall)
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

NodePtr Parser::parseAttribute(Ctx ctx)
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

void Parser::badKeys(const std::string &form, SourcePos pos, const std::string &allowed) const
{
    fail(pos, "invalid or duplicate keys for " + form + ", only " + allowed + " are permitted",
        ScriptError::Kind::CompileError);
}

std::optional<std::vector<Section>> Parser::takeSections(
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

NodePtr Parser::sectionBlock(const Section &s, const std::string &form) const
{
    if (s.stab.isClauses)
        fail(s.pos, "unexpected -> clauses for :" + s.name + " in \"" + form + "\"",
            ScriptError::Kind::CompileError);
    return blockOf(s.stab.exprs, s.pos);
}

std::vector<Clause> Parser::sectionClauses(
    const Section &s, const std::string &form, bool allowEmpty) const
{
    if (!s.stab.isClauses) {
        if (allowEmpty && s.stab.exprs.empty())
            return {};
        fail(s.pos, "expected -> clauses for :" + s.name + " in \"" + form + "\"",
            ScriptError::Kind::CompileError);
    }
    return s.stab.clauses;
}

void Parser::checkSections(const std::vector<Section> &sections, const std::string &form,
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

NodePtr Parser::buildCall(const std::string &name, SourcePos pos, std::vector<NodePtr> args,
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

NodePtr Parser::generatorOrFilter(const NodePtr &q)
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

NodePtr Parser::buildFor(
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

NodePtr Parser::buildWith(
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

} // namespace mailroom::script::parsing
