// SPDX-License-Identifier: MIT
#pragma once

// Internal: what the Elixir printer (term_format_elixir.cpp) and the Erlang ~tp layout
// (term_format_erlang.cpp) share: code points, the text of pids, refs and funs, floats,
// character classes, named escapes and the order of struct fields. Not for use outside core/.

#include "term.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailroom::detail {

/// The code points of a name; bytes that are not UTF-8 count as Latin-1 characters.
[[nodiscard]] std::vector<uint32_t> codePoints(std::string_view s);

inline char upperHexDigit(uint32_t v)
{
    return "0123456789ABCDEF"[v & 0xFU];
}

/// What goes between #Function< and > (describe() may include that wrapper or not).
[[nodiscard]] std::string functionBody(const Term &t);
/// What goes after #Reference or #Ref: our refs are one 64-bit counter; real ones are
/// 0.A.B.C, so the counter goes in C.
[[nodiscard]] std::string refBody(const Term &t);

/// io_lib_format:fwrite_g/1 of OTP 25: the shortest digits, in positional notation
/// unless the exponent form is shorter (and always with exponent from 2^53 up).
[[nodiscard]] std::string erlangFloat(double v);
/// Inspect.Float: whole numbers below 1.0e16 print in full, others as Erlang does.
[[nodiscard]] std::string elixirFloat(double v);

/// The order of each declared struct's fields (Term::declareStructFields).
class StructFields {
public:
    static StructFields &instance()
    {
        static StructFields registry;
        return registry;
    }
    void declare(std::string moduleAtom, std::vector<Atom> fields)
    {
        std::unique_lock lock(m_mutex);
        m_fields[std::move(moduleAtom)] = std::move(fields);
    }
    [[nodiscard]] std::optional<std::vector<Atom>> find(std::string_view moduleAtom) const
    {
        std::shared_lock lock(m_mutex);
        const auto it = m_fields.find(std::string(moduleAtom));
        if (it == m_fields.end())
            return std::nullopt;
        return it->second;
    }

private:
    mutable std::shared_mutex m_mutex; // protects m_fields
    std::unordered_map<std::string, std::vector<Atom>> m_fields; // by module atom ("Elixir.Mod")
};

inline bool isAsciiUpper(uint32_t c)
{
    return c >= 'A' && c <= 'Z';
}
inline bool isAsciiLower(uint32_t c)
{
    return c >= 'a' && c <= 'z';
}
inline bool isAsciiDigit(uint32_t c)
{
    return c >= '0' && c <= '9';
}
inline bool isAsciiIdentifierChar(uint32_t c)
{
    return isAsciiUpper(c) || isAsciiLower(c) || isAsciiDigit(c) || c == '_';
}
// Letters of Latin-1 (À-Þ, ß-ÿ without × and ÷): the only non-ASCII identifier
// characters we know without Unicode tables.
inline bool isLatin1Upper(uint32_t c)
{
    return c >= 0xC0 && c <= 0xDE && c != 0xD7;
}
inline bool isLatin1Lower(uint32_t c)
{
    return c >= 0xDF && c <= 0xFF && c != 0xF7;
}

using NamedEscape = std::pair<uint32_t, std::string_view>;

// io_lib's string_char/4 named escapes.
inline constexpr auto kErlangEscapes = std::to_array<NamedEscape>({ { '\n', "\\n" }, { '\r', "\\r" },
    { '\t', "\\t" }, { '\v', "\\v" }, { '\b', "\\b" }, { '\f', "\\f" }, { 27, "\\e" }, { 127, "\\d" } });

/// The named escape of `cp` in `table`, or empty.
[[nodiscard]] std::string_view namedEscape(std::span<const NamedEscape> table, uint32_t cp);

} // namespace mailroom::detail
