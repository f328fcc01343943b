// SPDX-License-Identifier: MIT
#pragma once

// The script language's tokenizer: Elixir source text to tokens with line:col.

#include "script/error.h"
#include "script/stack.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailroom::script {

enum class TokenKind : uint8_t {
    Integer, ///< 1_000, 0x1F, ?a; value in `integer`
    Float, ///< 1.5e3; value in `floating`
    Atom, ///< :ok, :"quoted", :+; the name in `text`
    String, ///< "text" or """heredoc"""; see `parts`
    Charlist, ///< 'text'; see `parts`
    Identifier, ///< lowercase name, may end in ? or !; in `text`
    Alias, ///< one capitalized segment (the parser joins `A.B`); in `text`
    Keyword, ///< a keyword-list key `name:` or `"quoted":`; the key in `text`
    CaptureArg, ///< &1; the number in `integer`
    Reserved, ///< do end fn else after catch rescue true false nil when and or not in
    Operator, ///< operators and punctuation, including `(` `%{` `,`; in `text`
    Eol, ///< a newline or `;` that ends an expression
    Eof,
};

struct Token;

/// A piece of a string literal: either literal text or the tokens of an `#{...}`.
struct StringPart {
    bool isCode = false;
    std::string text; ///< the literal text (escapes resolved)
    std::vector<Token> tokens; ///< the code's tokens, ending with Eof
    SourcePos pos; ///< where the code or text begins
};

struct Token {
    TokenKind kind = TokenKind::Eof;
    SourcePos pos;
    /// Whitespace, a comment or the line start comes right before the token. Decides
    /// `foo [1]` (call) against `foo[1]` (access) and `foo -1` against `foo - 1`.
    bool spaceBefore = false;
    std::string text;
    int64_t integer = 0;
    double floating = 0;
    /// String and Charlist: literal text and interpolations, in order.
    std::vector<StringPart> parts;

    [[nodiscard]] bool is(TokenKind k, std::string_view t) const { return kind == k && text == t; }
    [[nodiscard]] bool isOp(std::string_view t) const { return is(TokenKind::Operator, t); }
    [[nodiscard]] bool isReserved(std::string_view t) const { return is(TokenKind::Reserved, t); }
};

/// Splits `source` into tokens ending with Eof. Throws ScriptError (with `file` and the
/// position) on malformed input: unterminated strings, bad numbers, stray characters.
/// Newlines are kept as Eol tokens except where an expression obviously continues (after
/// an operator or comma, inside brackets, before a binary-only operator such as `|>`).
/// Nested interpolations deeper than `stackBudget` bytes of stack allow are refused.
[[nodiscard]] std::vector<Token> tokenize(
    std::string_view source, const std::string &file, size_t stackBudget = kDefaultStackBudget);

/// How a token is shown in "syntax error before: X" (as Elixir shows it).
[[nodiscard]] std::string describeToken(const Token &token);

} // namespace mailroom::script
