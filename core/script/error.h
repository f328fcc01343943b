// SPDX-License-Identifier: MIT
#pragma once

// Errors of the script language. Two families, as in Elixir:
//  - ScriptError: found before anything runs (syntax errors, missing terminators,
//    undefined functions, unsupported constructs). Printed like Elixir's compiler does:
//    `** (SyntaxError) FILE:LINE:COL: message`.
//  - ScriptException (exceptions.h): a raise, throw or exit while the script runs; what
//    `try` catches.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace mailroom::script {

/// A position in a script: 1-based line and column (columns count code points).
struct SourcePos {
    uint32_t line = 0;
    uint32_t col = 0;
    constexpr bool operator==(const SourcePos &) const = default;
};

/// A problem found while reading a script, before any of it runs. Thread-safe value.
class ScriptError : public std::runtime_error {
public:
    /// The Elixir exception name shown in the banner.
    enum class Kind : uint8_t {
        SyntaxError, ///< malformed code
        TokenMissingError, ///< the file ends before a terminator (`end`, `"`, `)`...)
        CompileError, ///< well-formed but invalid: undefined function, unsupported construct
    };

    ScriptError(Kind kind, std::string file, SourcePos pos, std::string message);

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] const std::string &file() const { return m_file; }
    [[nodiscard]] SourcePos pos() const { return m_pos; }
    /// The message alone, without file and position.
    [[nodiscard]] const std::string &message() const { return m_message; }
    /// `** (SyntaxError) FILE:LINE:COL: message`, as `elixir FILE.exs` prints it.
    [[nodiscard]] std::string banner() const;
    [[nodiscard]] static const char *kindName(Kind kind);

private:
    Kind m_kind;
    std::string m_file;
    SourcePos m_pos;
    std::string m_message;
};

/// How deeply expressions may nest (brackets, calls, blocks, operator chains). Deeper
/// input is refused with a ScriptError instead of overflowing the parser's or the
/// evaluator's stack.
inline constexpr int kMaxNesting = 1000;

} // namespace mailroom::script
