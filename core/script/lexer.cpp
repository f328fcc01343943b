// SPDX-License-Identifier: MIT
#include "script/lexer.h"

#include "utf8.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace mailroom::script {

namespace {

using namespace std::string_view_literals;

constexpr std::array kReserved = { "do", "end", "fn", "else", "after", "catch", "rescue", "true", "false",
    "nil", "when", "and", "or", "not", "in" };

// Longest first, so that `===` wins over `==` and `..` over `.`.
constexpr std::array kOperators = {
    "==="sv,
    "!=="sv,
    "..."sv,
    "**"sv,
    ".."sv,
    "//"sv,
    "=="sv,
    "!="sv,
    "=~"sv,
    "<="sv,
    ">="sv,
    "<>"sv,
    "<-"sv,
    "->"sv,
    "=>"sv,
    "|>"sv,
    "||"sv,
    "&&"sv,
    "++"sv,
    "--"sv,
    "::"sv,
    "<<"sv,
    ">>"sv,
    "\\\\"sv,
    "%{"sv,
    "+"sv,
    "-"sv,
    "*"sv,
    "/"sv,
    "="sv,
    "<"sv,
    ">"sv,
    "|"sv,
    "!"sv,
    "^"sv,
    "&"sv,
    "."sv,
    ","sv,
    "("sv,
    ")"sv,
    "["sv,
    "]"sv,
    "{"sv,
    "}"sv,
    "%"sv,
    "@"sv,
};

// Operators that can only join two operands: a newline before one of them continues the
// previous line (`list\n|> Enum.map(...)`), as in Elixir. `+` and `-` are not here: at the
// start of a line they are unary.
constexpr std::array kBinaryOnly = { "|>", "++", "--", "<>", "==", "!=", "===", "!==", "<", ">",
    "<=", ">=", "&&", "||", "=", "*", "/", ".", "..", "|", "->", "<-", "=>", "=~", "**", "//", "::" };

bool contains(const auto &table, std::string_view s)
{
    return std::find(table.begin(), table.end(), s) != table.end();
}

bool isIdentStart(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_';
}
bool isAliasStart(char c)
{
    return c >= 'A' && c <= 'Z';
}
bool isIdentChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}
bool isHex(char c)
{
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
uint32_t hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return static_cast<uint32_t>(c - '0');
    return static_cast<uint32_t>(std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
}

class Lexer {
public:
    Lexer(std::string_view source, const std::string &file, size_t stackBudget)
        : m_src(source)
        , m_file(file)
        , m_stack(stackBudget)
    {
    }

    std::vector<Token> run()
    {
        std::vector<Token> out;
        lexInto(out, false, 0);
        return out;
    }

private:
    std::string_view m_src;
    const std::string &m_file;
    StackLimit m_stack;
    size_t m_i = 0;
    SourcePos m_pos{ 1, 1 };

    [[nodiscard]] char peek(size_t ahead = 0) const
    {
        return m_i + ahead < m_src.size() ? m_src[m_i + ahead] : '\0';
    }
    [[nodiscard]] bool atEnd() const { return m_i >= m_src.size(); }
    [[nodiscard]] bool startsWith(std::string_view s) const { return m_src.substr(m_i, s.size()) == s; }

    void advance()
    {
        const char c = m_src[m_i++];
        if (c == '\n') {
            ++m_pos.line;
            m_pos.col = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++m_pos.col; // continuation bytes belong to the code point already counted
        }
    }
    void advance(size_t n)
    {
        for (size_t k = 0; k < n; ++k)
            advance();
    }

    [[noreturn]] void fail(SourcePos pos, const std::string &message,
        ScriptError::Kind kind = ScriptError::Kind::SyntaxError) const
    {
        throw ScriptError(kind, m_file, pos, message);
    }

    static void dropTrailingEols(std::vector<Token> &out)
    {
        while (!out.empty() && out.back().kind == TokenKind::Eol)
            out.pop_back();
    }

    // A newline ends an expression unless the previous token clearly wants more.
    static bool continuesAfter(const Token &t)
    {
        if (t.kind == TokenKind::Keyword)
            return true;
        if (t.kind == TokenKind::Operator)
            return t.text != ")" && t.text != "]" && t.text != "}";
        if (t.kind == TokenKind::Reserved)
            return t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in" || t.text == "when"
                || t.text == "do" || t.text == "fn" || t.text == "else" || t.text == "after"
                || t.text == "catch" || t.text == "rescue";
        return false;
    }

    static void push(std::vector<Token> &out, Token t)
    {
        const bool binaryOnly
            = (t.kind == TokenKind::Operator && t.text != "," && contains(kBinaryOnly, t.text))
            || (t.kind == TokenKind::Reserved
                && (t.text == "and" || t.text == "or" || t.text == "when" || t.text == "in"));
        if (binaryOnly)
            dropTrailingEols(out);
        out.push_back(std::move(t));
    }

    // Lexes until the end of input, or (inside `#{...}`) until the `}` that closes it.
    void lexInto(std::vector<Token> &out, bool inInterpolation, int depth)
    {
        if (depth > kMaxNesting || m_stack.exceeded())
            fail(m_pos,
                "string interpolation is nested too deeply (more than " + std::to_string(kMaxNesting)
                    + " levels, or more than the stack allows)");
        int braces = 0;
        bool space = true;
        for (;;) {
            // Whitespace and comments.
            while (!atEnd()) {
                const char c = peek();
                if (isSpace(c)) {
                    advance();
                    space = true;
                } else if (c == '\\' && peek(1) == '\n') {
                    advance(2); // line continuation
                    space = true;
                } else if (c == '#') {
                    while (!atEnd() && peek() != '\n')
                        advance();
                } else {
                    break;
                }
            }
            if (atEnd()) {
                if (inInterpolation)
                    return; // the caller reports the missing terminator of its string
                Token eof;
                eof.kind = TokenKind::Eof;
                eof.pos = m_pos;
                eof.spaceBefore = true;
                out.push_back(std::move(eof));
                return;
            }
            const char c = peek();
            const SourcePos start = m_pos;
            if (c == '\n' || c == ';') {
                advance();
                if (!out.empty() && out.back().kind != TokenKind::Eol && !continuesAfter(out.back())) {
                    Token eol;
                    eol.kind = TokenKind::Eol;
                    eol.pos = start;
                    eol.spaceBefore = space;
                    eol.text = std::string(1, c);
                    out.push_back(std::move(eol));
                }
                space = true;
                continue;
            }
            if (inInterpolation) {
                if (c == '{') {
                    ++braces;
                } else if (c == '}') {
                    if (braces == 0) {
                        Token eof;
                        eof.kind = TokenKind::Eof;
                        eof.pos = m_pos;
                        out.push_back(std::move(eof));
                        advance();
                        return;
                    }
                    --braces;
                }
            }
            Token t = lexToken(depth);
            t.pos = start;
            t.spaceBefore = space;
            if (t.kind == TokenKind::Operator && t.text == "%{" && inInterpolation)
                ++braces;
            space = false;
            push(out, std::move(t));
        }
    }

    Token lexToken(int depth)
    {
        const char c = peek();
        Token t;
        if (isDigit(c)) {
            const size_t begin = m_i;
            t = lexNumber();
            t.text = std::string(m_src.substr(begin, m_i - begin));
            return t;
        }
        if (c == '"' || c == '\'') {
            const bool heredoc = startsWith(c == '"' ? "\"\"\"" : "'''");
            t.kind = c == '"' ? TokenKind::String : TokenKind::Charlist;
            // Elixir names both a "string" in its missing-terminator message.
            t.parts = heredoc ? lexHeredoc(c, depth) : lexQuoted(c, depth, "string");
            // "quoted": is a keyword key
            if (!heredoc && peek() == ':' && peek(1) != ':' && t.kind == TokenKind::String) {
                if (t.parts.size() > 1 || (t.parts.size() == 1 && t.parts[0].isCode))
                    fail(m_pos, "interpolated keyword keys are not supported by Mailroom's script language");
                advance();
                t.kind = TokenKind::Keyword;
                t.text = t.parts.empty() ? std::string() : t.parts[0].text;
                t.parts.clear();
            }
            return t;
        }
        if (c == ':' && peek(1) != ':')
            return lexAtom(depth);
        if (c == '?' && m_i + 1 < m_src.size())
            return lexCharLiteral();
        if (c == '&' && isDigit(peek(1))) {
            advance();
            t.kind = TokenKind::CaptureArg;
            t.integer = readDigits(10);
            return t;
        }
        if (isIdentStart(c) || isAliasStart(c)) {
            const size_t begin = m_i;
            while (isIdentChar(peek()))
                advance();
            if (isIdentStart(c) && (peek() == '?' || peek() == '!') && peek(1) != '=')
                advance();
            t.text = std::string(m_src.substr(begin, m_i - begin));
            if (peek() == ':' && peek(1) != ':') {
                advance();
                t.kind = TokenKind::Keyword;
                return t;
            }
            if (isAliasStart(c))
                t.kind = TokenKind::Alias;
            else
                t.kind = contains(kReserved, t.text) ? TokenKind::Reserved : TokenKind::Identifier;
            return t;
        }
        if (c == '~' && std::isalpha(static_cast<unsigned char>(peek(1))) != 0)
            fail(m_pos,
                std::string("sigils such as ~") + peek(1)
                    + "\"...\" are not supported by Mailroom's script language; write a string or a list "
                      "instead",
                ScriptError::Kind::CompileError);
        for (const std::string_view op : kOperators) {
            if (startsWith(op)) {
                t.kind = TokenKind::Operator;
                t.text = op;
                advance(t.text.size());
                return t;
            }
        }
        const auto ch = static_cast<unsigned char>(c);
        if (ch >= 0x80)
            fail(m_pos,
                "unexpected character in source (Mailroom's script language accepts ASCII names only)");
        if (c == '\0') // as Elixir names it: a NUL inside the quotes would end the message there
            fail(m_pos,
                "unexpected token: null byte (column " + std::to_string(m_pos.col) + ", code point U+0000)");
        fail(
            m_pos, std::string("unexpected token: \"") + c + "\" (column " + std::to_string(m_pos.col) + ")");
    }

    int64_t readDigits(int base)
    {
        // Reads digits and underscores; rejects values beyond 64 bits.
        const SourcePos start = m_pos;
        uint64_t value = 0;
        bool overflow = false;
        bool any = false;
        for (;;) {
            const char c = peek();
            int d = -1;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (base == 16 && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (base == 16 && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            if (c == '_' && any && m_i + 1 < m_src.size()) {
                const char n = peek(1);
                if (isDigit(n) || (base == 16 && isHex(n))) {
                    advance();
                    continue;
                }
            }
            if (d < 0 || d >= base)
                break;
            any = true;
            if (value > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d))
                    / static_cast<uint64_t>(base))
                overflow = true;
            value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
            advance();
        }
        if (!any)
            fail(start, "invalid number: digits expected");
        if (overflow || value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(start, "integer literal is too large: Mailroom's integers are 64-bit");
        return static_cast<int64_t>(value);
    }

    Token lexNumber()
    {
        Token t;
        t.kind = TokenKind::Integer;
        const SourcePos start = m_pos;
        if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'b' || peek(1) == 'o')) {
            const int base = peek(1) == 'x' ? 16 : (peek(1) == 'b' ? 2 : 8);
            advance(2);
            t.integer = readDigits(base);
            checkNumberEnd(start);
            return t;
        }
        const size_t begin = m_i;
        t.integer = -1;
        // Collect the literal's characters, then convert (floats need the whole text).
        std::string digits;
        auto takeDigits = [&] {
            bool any = false;
            while (isDigit(peek()) || (peek() == '_' && any && isDigit(peek(1)))) {
                if (peek() != '_')
                    digits += peek();
                any = true;
                advance();
            }
        };
        takeDigits();
        bool isFloat = false;
        if (peek() == '.' && isDigit(peek(1))) {
            isFloat = true;
            digits += '.';
            advance();
            takeDigits();
            if ((peek() == 'e' || peek() == 'E')
                && (isDigit(peek(1)) || ((peek(1) == '-' || peek(1) == '+') && isDigit(peek(2))))) {
                digits += 'e';
                advance();
                if (peek() == '-' || peek() == '+') {
                    digits += peek();
                    advance();
                }
                takeDigits();
            }
        }
        checkNumberEnd(start);
        if (isFloat) {
            t.kind = TokenKind::Float;
            const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t.floating);
            if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(t.floating))
                fail(start, "invalid float literal: " + std::string(m_src.substr(begin, m_i - begin)));
            return t;
        }
        uint64_t value = 0;
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc() || ptr != digits.data() + digits.size()
            || value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(start, "integer literal is too large: Mailroom's integers are 64-bit");
        t.integer = static_cast<int64_t>(value);
        return t;
    }

    void checkNumberEnd(SourcePos start)
    {
        const char c = peek();
        if (isIdentChar(c)) {
            std::string seen(m_src.substr(m_i, 1));
            fail(start,
                "invalid character \"" + seen
                    + "\" after number: identifiers cannot start with digits; separate the number from it");
        }
    }

    Token lexAtom(int depth)
    {
        Token t;
        t.kind = TokenKind::Atom;
        const SourcePos start = m_pos;
        advance(); // ':'
        const char c = peek();
        if (c == '"' || c == '\'') {
            auto parts = lexQuoted(c, depth, "atom");
            for (const auto &p : parts) {
                if (p.isCode)
                    fail(p.pos, "interpolation in atoms is not supported by Mailroom's script language");
                t.text += p.text;
            }
            return t;
        }
        if (isIdentStart(c) || isAliasStart(c)) {
            const size_t begin = m_i;
            while (isIdentChar(peek()) || (peek() == '@'))
                advance();
            if (peek() == '?' || peek() == '!')
                advance();
            t.text = std::string(m_src.substr(begin, m_i - begin));
            return t;
        }
        // Operator atoms such as :+ or :==.
        for (const char *op : { "===", "!==", "==", "!=", "<=", ">=", "<>", "++", "--", "&&", "||", "|>",
                 "..", "+", "-", "*", "/", "<", ">", "!", "=" }) {
            if (startsWith(op)) {
                t.text = op;
                advance(t.text.size());
                return t;
            }
        }
        fail(start, "unexpected token: \":\"; an atom such as :ok must follow the colon directly");
    }

    Token lexCharLiteral()
    {
        Token t;
        t.kind = TokenKind::Integer;
        advance(); // '?'
        if (peek() == '\\') {
            advance();
            std::string out;
            readEscape(out);
            t.integer = decodeFirst(out);
            return t;
        }
        const size_t begin = m_i;
        advance();
        while (!atEnd() && (static_cast<unsigned char>(peek()) & 0xC0U) == 0x80U)
            advance();
        t.integer = decodeFirst(m_src.substr(begin, m_i - begin));
        return t;
    }

    static int64_t decodeFirst(std::string_view s) { return s.empty() ? 0 : utf8::decodeLenient(s, 0).cp; }

    // After a backslash: appends the escaped character(s).
    void readEscape(std::string &out)
    {
        if (atEnd())
            return;
        const char c = peek();
        const SourcePos at = m_pos;
        advance();
        switch (c) {
        case 'n':
            out += '\n';
            return;
        case 't':
            out += '\t';
            return;
        case 'r':
            out += '\r';
            return;
        case 's':
            out += ' ';
            return;
        case '0':
            out += '\0';
            return;
        case 'a':
            out += '\a';
            return;
        case 'b':
            out += '\b';
            return;
        case 'e':
            out += '\x1b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'v':
            out += '\v';
            return;
        case '\n':
            return; // an escaped newline joins the lines
        case 'x': {
            uint32_t cp = 0;
            if (peek() == '{') {
                advance();
                int n = 0;
                while (isHex(peek()) && n < 6) {
                    cp = cp * 16 + hexValue(peek());
                    advance();
                    ++n;
                }
                if (peek() != '}' || n == 0)
                    fail(at, "invalid hex escape in string: expected \\x{HEX}");
                advance();
                utf8::append(out, cp);
                return;
            }
            int n = 0;
            while (isHex(peek()) && n < 2) {
                cp = cp * 16 + hexValue(peek());
                advance();
                ++n;
            }
            if (n == 0)
                fail(at, "invalid hex escape in string: expected \\xHH");
            out += static_cast<char>(cp); // \xHH is a raw byte
            return;
        }
        case 'u': {
            uint32_t cp = 0;
            int n = 0;
            const bool braced = peek() == '{';
            if (braced)
                advance();
            while (isHex(peek()) && n < (braced ? 6 : 4)) {
                cp = cp * 16 + hexValue(peek());
                advance();
                ++n;
            }
            if (braced) {
                if (peek() != '}')
                    fail(at, "invalid Unicode escape in string: expected \\u{HEX}");
                advance();
            }
            if (n == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                fail(at, "invalid Unicode escape in string");
            utf8::append(out, cp);
            return;
        }
        default:
            out += c; // \" \' \\ \# and unknown escapes stand for the character itself
            while (!atEnd() && (static_cast<unsigned char>(peek()) & 0xC0U) == 0x80U) {
                out += peek();
                advance();
            }
            return;
        }
    }

    // Reads string content after the opening quote up to the closing one; `what` names
    // the literal in the missing-terminator message.
    std::vector<StringPart> lexQuoted(char quote, int depth, const char *what)
    {
        const SourcePos start = m_pos;
        advance(); // opening quote
        return lexStringBody(start, quote, false, 0, depth, what);
    }

    std::vector<StringPart> lexHeredoc(char quote, int depth)
    {
        const SourcePos start = m_pos;
        advance(3);
        while (isSpace(peek()))
            advance();
        if (peek() != '\n')
            fail(m_pos,
                std::string("heredoc allows only whitespace after the opening ") + quote + quote + quote);
        advance();
        // The closing delimiter's indentation is stripped from every line.
        size_t indent = 0;
        {
            size_t k = m_i;
            const std::string delim(3, quote);
            while (k < m_src.size()) {
                size_t lineStart = k;
                size_t j = k;
                while (j < m_src.size() && (m_src[j] == ' ' || m_src[j] == '\t'))
                    ++j;
                if (m_src.substr(j, 3) == delim) {
                    indent = j - lineStart;
                    break;
                }
                const size_t nl = m_src.find('\n', k);
                if (nl == std::string_view::npos)
                    break;
                k = nl + 1;
            }
        }
        return lexStringBody(start, quote, true, indent, depth, "heredoc");
    }

    std::vector<StringPart> lexStringBody(
        SourcePos start, char quote, bool heredoc, size_t indent, int depth, const char *what)
    {
        std::vector<StringPart> parts;
        StringPart text;
        text.pos = m_pos;
        bool lineStart = heredoc;
        auto missing = [&] {
            const std::string q = heredoc ? std::string(3, quote) : std::string(1, quote);
            fail(m_pos,
                "missing terminator: " + q + " (for " + what + " starting at line "
                    + std::to_string(start.line) + ")",
                ScriptError::Kind::TokenMissingError);
        };
        for (;;) {
            if (lineStart) {
                lineStart = false;
                size_t skipped = 0;
                while (skipped < indent && (peek() == ' ' || peek() == '\t')) {
                    advance();
                    ++skipped;
                }
                size_t j = m_i;
                while (j < m_src.size() && (m_src[j] == ' ' || m_src[j] == '\t'))
                    ++j;
                if (m_src.substr(j, 3) == std::string(3, quote)) {
                    advance(j - m_i + 3);
                    break;
                }
            }
            if (atEnd())
                missing();
            const char c = peek();
            if (!heredoc && c == quote) {
                advance();
                break;
            }
            if (c == '\\') {
                advance();
                readEscape(text.text);
                continue;
            }
            if (c == '#' && peek(1) == '{') {
                if (!text.text.empty())
                    parts.push_back(std::move(text));
                text = StringPart{};
                StringPart code;
                code.isCode = true;
                code.pos = m_pos;
                advance(2);
                lexInto(code.tokens, true, depth + 1);
                if (code.tokens.empty() || code.tokens.back().kind != TokenKind::Eof)
                    missing();
                parts.push_back(std::move(code));
                text.pos = m_pos;
                continue;
            }
            text.text += c;
            advance();
            if (c == '\n' && heredoc)
                lineStart = true;
        }
        if (!text.text.empty() || parts.empty())
            parts.push_back(std::move(text));
        return parts;
    }
};

} // namespace

std::vector<Token> tokenize(std::string_view source, const std::string &file, size_t stackBudget)
{
    return Lexer(source, file, stackBudget).run();
}

std::string describeToken(const Token &token)
{
    switch (token.kind) {
    case TokenKind::Integer:
    case TokenKind::Float:
        return "\"" + (token.text.empty() ? std::to_string(token.integer) : token.text) + "\"";
    case TokenKind::String:
    case TokenKind::Charlist: {
        std::string s;
        for (const auto &p : token.parts)
            s += p.isCode ? "#{...}" : p.text;
        return "\"" + s + "\"";
    }
    case TokenKind::Atom:
    case TokenKind::Identifier:
    case TokenKind::Reserved:
        return token.text;
    case TokenKind::Keyword:
        return "'" + token.text + ":'";
    case TokenKind::CaptureArg:
        return "'&" + std::to_string(token.integer) + "'";
    case TokenKind::Alias:
    case TokenKind::Operator:
        return "'" + token.text + "'";
    case TokenKind::Eol:
        return "end of line";
    case TokenKind::Eof:
        return "end of file";
    }
    return token.text;
}

} // namespace mailroom::script
