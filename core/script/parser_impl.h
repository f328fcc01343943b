// SPDX-License-Identifier: MIT
#pragma once

// Internals of the parser shared by its files: the Parser class and the shapes it builds
// with. Not part of the public API: use parser.h.
//   parser.cpp              entry points, errors, blocks and -> clauses
//   parser_expressions.cpp  operators, calls, captures, postfix chains, fn
//   parser_literals.cpp     strings, lists, tuples, maps, structs, keyword lists, aliases
//   parser_forms.cpp        defmodule, def, alias, attributes, and the special forms

#include "script/ast.h"
#include "script/error.h"
#include "script/lexer.h"
#include "script/parser.h"
#include "script/stack.h"

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailroom::script::parsing {

struct OpInfo {
    int precedence;
    bool rightAssoc;
};

/// Elixir's binary operators, from elixir_parser.yrl: higher binds tighter.
[[gnu::noinline]] std::optional<OpInfo> binaryOperator(const Token &t);

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

[[nodiscard]] NodePtr nilLiteral(SourcePos pos);
/// One expression as itself, several as a Block, none as nil.
[[nodiscard]] NodePtr blockOf(std::vector<NodePtr> exprs, SourcePos pos);
/// A literal list of {atom, value} pairs, as `key: value` arguments parse.
[[nodiscard]] bool isKeywordListNode(const NodePtr &n);

/// Lexical scopes of `alias` and the module being defined: one for the file, one per
/// defmodule and one per def body. Shared with the parsers of string interpolations.
struct AliasScope {
    std::string module; ///< "Elixir.Foo" inside defmodule Foo; empty elsewhere
    std::vector<std::pair<std::string, std::string>> aliases; ///< short name -> "Elixir.Full.Name"
};
struct ParseScopes {
    std::vector<AliasScope> scopes{ AliasScope{} };
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

/// A recursive-descent parser over one token stream. The parsers of string interpolations
/// share the nesting depth, the stack limit and the alias scopes of the one that made them.
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
    [[noreturn, gnu::noinline]] void tooDeep(SourcePos pos) const;

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
    /// The line of the last token taken: where the construct just parsed ends.
    [[nodiscard]] uint32_t lastLine() const { return m_i == 0 ? 0 : m_toks[m_i - 1].pos.line; }
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
        ScriptError::Kind kind = ScriptError::Kind::SyntaxError) const;
    [[noreturn, gnu::noinline]] void unexpected(const Token &t) const;
    static SourcePos endOf(const Token &t);
    [[noreturn, gnu::noinline]] void missingTerminator(
        std::string_view terminator, std::string_view opener, SourcePos openPos) const;
    void expectCloser(std::string_view closer, std::string_view opener, SourcePos openPos);
    void expectEnd(std::string_view opener, SourcePos openPos);
    [[nodiscard]] bool atBlockEnd() const;

    // Blocks and clauses ------------------------------------------------------

    // Expressions separated by newlines, or `->` clauses when allowed, up to a block end.
    // (Kept lean: every do-block, fn and parenthesis nests through here.)
    Stab parseStab(bool allowClauses);
    void endOfExpression();

    // At `->` (or at the `,` of a head with several patterns): the expressions so far were
    // the previous clause's body.
    [[gnu::noinline]] void startClause(
        Stab &out, std::vector<NodePtr> &body, NodePtr first, bool allowClauses);
    [[gnu::noinline]] static void finishStab(Stab &out, std::vector<NodePtr> &body);
    [[gnu::noinline]] Clause makeClause(std::vector<NodePtr> heads, SourcePos pos);
    [[gnu::noinline]] std::vector<Section> parseDoBlock();

    // Expressions -------------------------------------------------------------

    NodePtr parseExpr(int minPrecedence, Ctx ctx);
    [[gnu::noinline]] NodePtr combine(const std::string &op, SourcePos pos, NodePtr lhs, NodePtr rhs);

    // `x |> f(a)` is `f(x, a)`.
    [[gnu::noinline]] NodePtr pipe(NodePtr value, const NodePtr &into, SourcePos pos);
    NodePtr parseUnary(Ctx ctx);
    [[gnu::noinline]] NodePtr parsePrefixOperator(Ctx ctx);
    [[gnu::noinline]] NodePtr parsePin();
    [[gnu::noinline]] NodePtr parseCaptureOperator(Ctx ctx);
    [[noreturn, gnu::noinline]] void unsupportedOperator(const Token &t) const;
    [[gnu::noinline]] NodePtr makeCapture(NodePtr body, SourcePos pos);
    void collectCaptureArgs(const Node &n, int &arity, std::vector<bool> &seen);
    NodePtr parsePrimary(Ctx ctx);
    [[gnu::noinline]] NodePtr stringNode(const Token &t);

    // Does `t` begin the first argument of a call written without parentheses?
    [[nodiscard]] bool startsNoParenArg(size_t at) const;
    [[gnu::noinline]] NodePtr parseIdentifier(Ctx ctx);

    // Modules ------------------------------------------------------------------

    [[nodiscard]] bool inModule() const { return !m_scopes.module().empty(); }

    // __MODULE__ (and __MODULE__.Inner): the module being defined, nil outside one.
    [[gnu::noinline]] NodePtr currentModule(SourcePos pos);
    [[noreturn, gnu::noinline]] void outsideModule(std::string_view form, SourcePos pos) const;

    // The forms that define modules and their parts; nullptr for any other name.
    [[gnu::noinline]] NodePtr parseModuleForm(const std::string &name, SourcePos pos, bool parenCall);
    [[gnu::noinline]] NodePtr parseDefmodule(SourcePos pos);
    [[gnu::noinline]] NodePtr parseDef(SourcePos pos, bool isPrivate);

    // alias Mod, alias Mod, as: Short, alias __MODULE__, require Mod: known at parse time.
    [[gnu::noinline]] NodePtr parseAliasDirective(const std::string &form, SourcePos pos, bool parenCall);

    // @name value sets an attribute in a module's body; @name reads it.
    [[gnu::noinline]] NodePtr parseAttribute(Ctx ctx);
    [[gnu::noinline]] std::vector<NodePtr> parseNoParenArgs();
    std::vector<NodePtr> parseArgsUntil(std::string_view closer, std::string_view opener, SourcePos openPos);

    // key: value, key: value — as a list of {key, value} tuples.
    [[gnu::noinline]] NodePtr parseKeywordList(Ctx ctx, const std::string_view *closer);
    [[gnu::noinline]] NodePtr parseAlias();
    NodePtr parsePostfix(NodePtr node, Ctx ctx);
    [[gnu::noinline]] NodePtr parseRemote(NodePtr target, const Token &fun, Ctx ctx);
    [[gnu::noinline]] NodePtr parseParens();

    // A list of constants becomes one constant: large literal lists then cost nothing to
    // evaluate.
    [[gnu::noinline]] static NodePtr foldLiteralList(std::shared_ptr<ListNode> list);
    [[gnu::noinline]] NodePtr parseList();
    [[gnu::noinline]] NodePtr parseTuple();

    // After `%{` (or `%Mod{`): entries, or `base | entries`, up to `}`. For structs,
    // `module` is the struct's atom.
    [[gnu::noinline]] NodePtr parseMapBody(SourcePos open, const Atom *module);
    [[gnu::noinline]] NodePtr parseStruct();
    [[gnu::noinline]] NodePtr parseFn();

    // Calls and special forms ------------------------------------------------

    [[noreturn]] void badKeys(const std::string &form, SourcePos pos, const std::string &allowed) const;

    // Sections from a do-block, or from a trailing `do: x, else: y` keyword argument.
    [[gnu::noinline]] std::optional<std::vector<Section>> takeSections(
        std::vector<NodePtr> &args, std::optional<std::vector<Section>> block);
    [[gnu::noinline]] NodePtr sectionBlock(const Section &s, const std::string &form) const;
    [[gnu::noinline]] std::vector<Clause> sectionClauses(
        const Section &s, const std::string &form, bool allowEmpty = false) const;
    static const Section *findSection(const std::vector<Section> &sections, std::string_view name)
    {
        for (const auto &s : sections)
            if (s.name == name)
                return &s;
        return nullptr;
    }

    [[gnu::noinline]] void checkSections(const std::vector<Section> &sections, const std::string &form,
        std::initializer_list<std::string_view> allowed, const std::string &allowedText, SourcePos pos) const;
    [[gnu::noinline]] NodePtr buildCall(const std::string &name, SourcePos pos, std::vector<NodePtr> args,
        std::optional<std::vector<Section>> block, bool ambiguous);
    [[gnu::noinline]] NodePtr generatorOrFilter(const NodePtr &q);
    [[gnu::noinline]] NodePtr buildFor(
        SourcePos pos, std::vector<NodePtr> args, std::optional<std::vector<Section>> block);
    [[gnu::noinline]] NodePtr buildWith(
        SourcePos pos, std::vector<NodePtr> args, std::optional<std::vector<Section>> block);
};

} // namespace mailroom::script::parsing
