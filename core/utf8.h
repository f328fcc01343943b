// SPDX-License-Identifier: MIT
#pragma once

// UTF-8 for the term printers, the charlists and the script language: one decoder (strict
// or lenient), one encoder and one counter, so that every place reads text the same way.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailroom::utf8 {

/// Decodes the code point at s[i] as the BEAM's <<C/utf8>> does (no overlong forms, no
/// surrogates, nothing above U+10FFFF). Returns the bytes used, or 0 for invalid UTF-8.
/// Needs i < s.size().
[[nodiscard]] inline size_t decode(std::string_view s, size_t i, uint32_t &cp) noexcept
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    size_t length = 0;
    uint32_t smallest = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        cp = b0 & 0x1FU;
        smallest = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        cp = b0 & 0x0FU;
        smallest = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        cp = b0 & 0x07U;
        smallest = 0x10000;
    } else {
        return 0;
    }
    if (i + length > s.size())
        return 0;
    for (size_t k = 1; k < length; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0U) != 0x80U)
            return 0;
        cp = (cp << 6U) | (b & 0x3FU);
    }
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return length;
}

/// A code point read leniently, and the bytes its sequence spans.
struct Lenient {
    uint32_t cp = 0;
    size_t length = 1; ///< may run past the end of the text when the sequence is cut short
};

/// Decodes the code point at s[i] without validating, as the script language reads text:
/// the lead byte alone gives the length (0xC0 and up two bytes, 0xE0 three, 0xF0 four), the
/// next bytes give their low six bits whatever they are, and any other byte (ASCII, a stray
/// continuation byte) is a code point of its own. A sequence cut short by the end of `s`
/// gives the bits of the bytes there are. Needs i < s.size().
[[nodiscard]] inline Lenient decodeLenient(std::string_view s, size_t i) noexcept
{
    const auto c = static_cast<unsigned char>(s[i]);
    Lenient r{ c, 1 };
    if (c >= 0xF0) {
        r = { c & 0x07U, 4 };
    } else if (c >= 0xE0) {
        r = { c & 0x0FU, 3 };
    } else if (c >= 0xC0) {
        r = { c & 0x1FU, 2 };
    }
    for (size_t k = 1; k < r.length && i + k < s.size(); ++k)
        r.cp = (r.cp << 6U) | (static_cast<unsigned char>(s[i + k]) & 0x3FU);
    return r;
}

/// Appends code point `cp` as UTF-8 (up to four bytes; not checked for being valid).
inline void append(std::string &out, uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0U | (cp >> 6U));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0U | (cp >> 12U));
        out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    } else {
        out += static_cast<char>(0xF0U | (cp >> 18U));
        out += static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU));
        out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
        out += static_cast<char>(0x80U | (cp & 0x3FU));
    }
}

/// Whether `s` is valid UTF-8 all through, as decode reads it.
[[nodiscard]] inline bool valid(std::string_view s) noexcept
{
    uint32_t cp = 0;
    for (size_t i = 0; i < s.size();) {
        const size_t len = decode(s, i, cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

/// Characters in UTF-8 text, counted as the bytes that are not continuation bytes.
[[nodiscard]] inline size_t length(std::string_view s) noexcept
{
    size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    return n;
}

} // namespace mailroom::utf8
