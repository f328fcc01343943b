// SPDX-License-Identifier: MIT
// Text helpers both term printers share (detail/term_text.h).

#include "detail/term_text.h"

#include "utf8.h"

#include <charconv>
#include <cmath>

namespace mailroom::detail {

namespace {

// Floats =======================================================================

/// The shortest digits that read back as `magnitude` (> 0, finite): 0.DIGITS × 10^point.
struct ShortestDecimal {
    std::string digits;
    int point = 0;
};

ShortestDecimal shortestDecimal(double magnitude)
{
    // std::to_chars without a precision gives the shortest round-trip digits, as
    // Erlang's float printing (Ryu) does: "d.ddde+XX".
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.begin(), buffer.end(), magnitude, std::chars_format::scientific);
    const std::string_view text(buffer.data(), static_cast<size_t>(result.ptr - buffer.data()));
    const size_t e = text.find('e');
    ShortestDecimal d;
    for (const char c : text.substr(0, e))
        if (c != '.')
            d.digits += c;
    const char *exponentStart = text.data() + e + 1;
    if (*exponentStart == '+')
        ++exponentStart;
    int exponent = 0;
    std::from_chars(exponentStart, text.data() + text.size(), exponent);
    d.point = exponent + 1;
    return d;
}

} // namespace

std::vector<uint32_t> codePoints(std::string_view s)
{
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        uint32_t cp = 0;
        const size_t used = utf8::decode(s, i, cp);
        out.push_back(used == 0 ? static_cast<unsigned char>(s[i]) : cp);
        i += used == 0 ? 1 : used;
    }
    return out;
}

std::string functionBody(const Term &t)
{
    std::string text = t.asFunction()->describe();
    constexpr std::string_view prefix = "#Function<";
    if (text.starts_with(prefix) && text.ends_with('>'))
        return text.substr(prefix.size(), text.size() - prefix.size() - 1);
    return text;
}

std::string refBody(const Term &t)
{
    return "<0.0.0." + std::to_string(t.asRef().value) + ">";
}

std::string erlangFloat(double v)
{
    if (std::isnan(v))
        return "nan"; // the BEAM has no NaN or infinities; never printed by real code
    if (std::isinf(v))
        return v < 0 ? "-inf" : "inf";
    if (v == 0)
        return std::signbit(v) ? "-0.0" : "0.0";
    const auto [digits, place] = shortestDecimal(std::fabs(v));
    const int length = static_cast<int>(digits.size());
    const std::string sign = v < 0 ? "-" : "";
    if (place == 0)
        return sign + "0." + digits;
    if (place > 0 && place < length)
        return sign + digits.substr(0, static_cast<size_t>(place)) + "."
            + digits.substr(static_cast<size_t>(place));
    const std::string exponent = std::to_string(place - 1);
    const int exponentCost = static_cast<int>(exponent.size()) + 1 + (length == 1 ? 2 : 1);
    if (place < 0 && 2 - place <= exponentCost)
        return sign + "0." + std::string(static_cast<size_t>(-place), '0') + digits;
    constexpr double twoPow53 = 9007199254740992.0;
    if (place > 0 && place - length + 2 <= exponentCost && std::fabs(v) < twoPow53)
        return sign + digits + std::string(static_cast<size_t>(place - length), '0') + ".0";
    const std::string fraction = length == 1 ? "0" : digits.substr(1);
    return sign + digits.substr(0, 1) + "." + fraction + "e" + exponent;
}

std::string elixirFloat(double v)
{
    const double magnitude = std::fabs(v);
    if (magnitude >= 1.0 && magnitude < 1.0e16 && std::trunc(v) == v)
        return std::to_string(static_cast<int64_t>(v)) + ".0";
    return erlangFloat(v);
}

std::string_view namedEscape(std::span<const NamedEscape> table, uint32_t cp)
{
    const auto it
        = std::find_if(table.begin(), table.end(), [cp](const auto &entry) { return entry.first == cp; });
    return it == table.end() ? std::string_view() : it->second;
}

} // namespace mailroom::detail
