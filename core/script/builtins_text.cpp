// SPDX-License-Identifier: MIT
// String, Integer, Float and Atom.
#include "script/builtins.h"
#include "utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace mailroom::script {

namespace {

using A = std::vector<Term>;

Term atom(std::string_view name)
{
    return Term::atom(name);
}
Term text(std::string s)
{
    return Term::binary(std::move(s));
}

/// Code points of UTF-8 text (invalid bytes pass through as themselves).
std::vector<uint32_t> codePoints(std::string_view s)
{
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        utf8::Lenient c = utf8::decodeLenient(s, i);
        if (i + c.length > s.size()) // cut short: the lead byte as itself
            c = { static_cast<unsigned char>(s[i]), 1 };
        out.push_back(c.cp);
        i += c.length;
    }
    return out;
}

std::string fromCodePoints(const std::vector<uint32_t> &cps, size_t from = 0, size_t to = SIZE_MAX)
{
    std::string out;
    for (size_t i = from; i < std::min(to, cps.size()); ++i)
        utf8::append(out, cps[i]);
    return out;
}

// Case mapping for ASCII and Latin-1: enough for the lessons' text. (Elixir maps all of
// Unicode.)
uint32_t upper(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 0x20;
    return c;
}
uint32_t lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    return c;
}

std::string mapCase(std::string_view s, uint32_t (*fn)(uint32_t))
{
    std::vector<uint32_t> cps = codePoints(s);
    std::transform(cps.begin(), cps.end(), cps.begin(), fn);
    return fromCodePoints(cps);
}

bool isWhitespace(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string trim(std::string_view s, bool leading, bool trailing)
{
    size_t b = 0;
    size_t e = s.size();
    while (leading && b < e && isWhitespace(static_cast<unsigned char>(s[b])))
        ++b;
    while (trailing && e > b && isWhitespace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return std::string(s.substr(b, e - b));
}

std::string_view str(const Term &t, std::string_view fun, int arity)
{
    return expectBinary(t, "String", fun, arity);
}

std::vector<std::string> patternsOf(const Term &pattern, std::string_view fun, int arity)
{
    std::vector<std::string> out;
    if (pattern.isBinary()) {
        out.emplace_back(pattern.asBinary());
    } else if (pattern.isProperList()) {
        for (const auto &p : pattern.listElements())
            out.emplace_back(expectBinary(p, "String", fun, arity));
    } else {
        raiseFunctionClause("String", fun, arity);
    }
    return out;
}

// The earliest occurrence of any pattern at or after `from`: {position, length}.
std::pair<size_t, size_t> findAny(std::string_view s, const std::vector<std::string> &patterns, size_t from)
{
    size_t best = std::string_view::npos;
    size_t length = 0;
    for (const auto &p : patterns) {
        if (p.empty())
            continue;
        const size_t at = s.find(p, from);
        if (at < best || (at == best && p.size() > length)) {
            best = at;
            length = p.size();
        }
    }
    return { best, length };
}

Term split(std::string_view s, const Term &pattern, const Term &options, int arity)
{
    const Term *trimOpt = keywordGet(options, "trim");
    const Term *partsOpt = keywordGet(options, "parts");
    const bool trimEmpty = trimOpt != nullptr && trimOpt->isAtom("true");
    const int64_t parts = partsOpt != nullptr && partsOpt->isInteger() ? partsOpt->asInteger() : -1;
    std::vector<Term> out;
    const auto add = [&](std::string piece) {
        if (!(trimEmpty && piece.empty()))
            out.push_back(text(std::move(piece)));
    };
    if (pattern.isBinary() && pattern.asBinary().empty()) {
        // Splitting on "" yields each code point between empty strings, as Elixir does.
        const std::vector<uint32_t> cps = codePoints(s);
        add("");
        for (size_t i = 0; i < cps.size(); ++i) {
            if (parts > 0 && static_cast<int64_t>(out.size()) == parts - 1) {
                add(fromCodePoints(cps, i));
                return Term::list(out);
            }
            add(fromCodePoints(cps, i, i + 1));
        }
        add("");
        return Term::list(out);
    }
    const std::vector<std::string> patterns = patternsOf(pattern, "split", arity);
    size_t from = 0;
    for (;;) {
        if (parts > 0 && static_cast<int64_t>(out.size()) == parts - 1) {
            add(std::string(s.substr(from)));
            break;
        }
        const auto [at, length] = findAny(s, patterns, from);
        if (at == std::string_view::npos) {
            add(std::string(s.substr(from)));
            break;
        }
        add(std::string(s.substr(from, at - from)));
        from = at + length;
    }
    return Term::list(out);
}

Term slice(std::string_view s, int64_t start, int64_t length)
{
    const std::vector<uint32_t> cps = codePoints(s);
    const auto n = static_cast<int64_t>(cps.size());
    if (start < 0)
        start += n;
    if (start < 0 || start > n || length < 0)
        return text("");
    const int64_t end = std::min(n, start + length);
    return text(fromCodePoints(cps, static_cast<size_t>(start), static_cast<size_t>(end)));
}

Term pad(std::string_view s, const Term &countTerm, const Term &padding, bool leading, std::string_view fun,
    int arity)
{
    const int64_t count = expectInteger(countTerm, "String", fun, arity);
    const std::vector<uint32_t> fill = codePoints(padding.isBinary() ? padding.asBinary() : " ");
    if (fill.empty())
        raiseFunctionClause("String", fun, arity);
    const auto length = static_cast<int64_t>(utf8::length(s));
    if (count > length) // each padding code point is at most 4 bytes
        checkBinarySize(double(s.size()) + double(count - length) * 4.0);
    std::string padText;
    for (int64_t i = 0; i < count - length; ++i)
        utf8::append(padText, fill[static_cast<size_t>(i) % fill.size()]);
    return text(leading ? padText + std::string(s) : std::string(s) + padText);
}

/// The integer at the start of `s` (an optional sign, then digits of `base`) and where it ends.
/// Raises SystemLimitError when it does not fit in 64 bits (Elixir's would be a bignum).
std::optional<std::pair<int64_t, size_t>> parseInteger(std::string_view s, int base)
{
    size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
        negative = s[i] == '-';
        ++i;
    }
    uint64_t magnitude = 0;
    const auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + s.size(), magnitude, base);
    if (ec == std::errc::result_out_of_range)
        raiseIntegerOverflow();
    if (ec != std::errc())
        return std::nullopt;
    const uint64_t limit = negative ? uint64_t(1) << 63 : (uint64_t(1) << 63) - 1;
    if (magnitude > limit)
        raiseIntegerOverflow();
    // Negating in unsigned arithmetic keeps -9223372036854775808 exact.
    const auto value = static_cast<int64_t>(negative ? uint64_t(0) - magnitude : magnitude);
    return std::make_pair(value, static_cast<size_t>(ptr - s.data()));
}

std::optional<std::pair<double, size_t>> parseFloat(std::string_view s)
{
    // Elixir's Float.parse: digits, an optional fraction and exponent.
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    const size_t digits = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0)
        ++i;
    if (i == digits)
        return std::nullopt;
    if (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1])) != 0) {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0)
            ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '-' || s[j] == '+'))
            ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0) {
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0)
                ++j;
            i = j;
        }
    }
    double value = 0;
    const std::string number(s.substr(s[0] == '+' ? 1 : 0, i - (s[0] == '+' ? 1 : 0)));
    if (std::from_chars(number.data(), number.data() + number.size(), value).ec != std::errc())
        return std::nullopt;
    return std::make_pair(value, i);
}

/// String.replace/3,4: every occurrence (or only the first with `global: false`); an empty
/// pattern matches between every two characters and at both ends, as Elixir's.
Term replace(const A &a, const Term &options, int arity)
{
    const std::string_view s = str(a[0], "replace", arity);
    const std::string_view with = str(a[2], "replace", arity);
    const Term *globalOpt = keywordGet(options, "global");
    const bool global = globalOpt == nullptr || globalOpt->isTruthy();
    std::string out;
    if (a[1].isBinary() && a[1].asBinary().empty()) {
        const std::vector<uint32_t> cps = codePoints(s);
        out += with;
        for (size_t i = 0; i < cps.size(); ++i) {
            if (!global) {
                out += fromCodePoints(cps, i);
                break;
            }
            utf8::append(out, cps[i]);
            out += with;
            checkBinarySize(double(out.size()));
        }
        return text(std::move(out));
    }
    const std::vector<std::string> patterns = patternsOf(a[1], "replace", arity);
    if (std::any_of(patterns.begin(), patterns.end(), [](const std::string &p) { return p.empty(); }))
        raiseBadArgument(2, "not a valid pattern");
    size_t from = 0;
    for (;;) {
        const auto [at, length] = findAny(s, patterns, from);
        if (at == std::string_view::npos)
            break;
        out += s.substr(from, at - from);
        out += with;
        checkBinarySize(double(out.size()));
        from = at + length;
        if (!global)
            break;
    }
    out += s.substr(from);
    return text(std::move(out));
}

enum class Rounding { HalfUp,
    Floor,
    Ceil };

/// Float.round/floor/ceil as Elixir 1.14 computes them: on the exact binary value of the
/// float (2.675 is 2.67499999999999982236431605997495353221893310546875, so it rounds to
/// 2.67), the decimal result then read back as the nearest float.
Term roundFloat(const Term &t, const Term *digitsTerm, Rounding mode, std::string_view fun, int arity)
{
    if (!t.isFloat())
        raiseFunctionClause("Float", fun, arity);
    const int64_t digits = digitsTerm != nullptr ? expectInteger(*digitsTerm, "Float", fun, arity) : 0;
    if (digits < 0 || digits > 15)
        raiseArgumentError("precision " + std::to_string(digits) + " is out of valid range of 0..15");
    const double x = t.asFloat();
    if (digits == 0) { // Elixir: :erlang.round (an integer, so never -0.0), :math.floor, :math.ceil
        if (mode == Rounding::HalfUp) {
            const double r = std::round(x);
            return Term::floating(r == 0.0 ? 0.0 : r);
        }
        return Term::floating(mode == Rounding::Floor ? std::floor(x) : std::ceil(x));
    }
    if (x == 0.0)
        return t;
    // Every double's exact decimal expansion has at most 1074 digits after the point, and
    // glibc's printf writes it exactly.
    char buf[1500];
    const int n = std::snprintf(buf, sizeof buf, "%.*f", 1100, std::fabs(x));
    const std::string_view exact(buf, static_cast<size_t>(std::max(n, 0)));
    const size_t point = exact.find('.');
    std::string kept(exact.substr(0, point + 1 + static_cast<size_t>(digits)));
    const std::string_view dropped = exact.substr(point + 1 + static_cast<size_t>(digits));
    const bool negative = std::signbit(x);
    const bool inexact = dropped.find_first_not_of('0') != std::string_view::npos;
    const bool up = mode == Rounding::HalfUp ? dropped[0] >= '5'
                                             : inexact && (mode == Rounding::Floor) == negative;
    if (up) { // add one unit in the last kept place
        size_t i = kept.size();
        while (i-- > 0) {
            if (kept[i] == '.')
                continue;
            if (kept[i] != '9') {
                ++kept[i];
                break;
            }
            kept[i] = '0';
            if (i == 0)
                kept.insert(kept.begin(), '1');
        }
    }
    if (kept.find_first_not_of("0.") == std::string::npos)
        return Term::floating(0.0);
    return Term::floating(std::strtod(((negative ? "-" : "") + kept).c_str(), nullptr));
}

} // namespace

void addTextBuiltins(BuiltinTable &t)
{
    const auto string = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "String", name, arity, fn });
    };
    string("upcase", 1, [](Interpreter &, A &a) { return text(mapCase(str(a[0], "upcase", 1), upper)); });
    string("downcase", 1, [](Interpreter &, A &a) { return text(mapCase(str(a[0], "downcase", 1), lower)); });
    string("capitalize", 1, [](Interpreter &, A &a) {
        std::vector<uint32_t> cps = codePoints(str(a[0], "capitalize", 1));
        for (size_t i = 0; i < cps.size(); ++i)
            cps[i] = i == 0 ? upper(cps[i]) : lower(cps[i]);
        return text(fromCodePoints(cps));
    });
    string("length", 1, [](Interpreter &, A &a) {
        return Term::integer(static_cast<int64_t>(utf8::length(str(a[0], "length", 1))));
    });
    string("split", 1, [](Interpreter &, A &a) {
        std::vector<Term> out;
        const std::string_view s = str(a[0], "split", 1);
        size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && isWhitespace(static_cast<unsigned char>(s[i])))
                ++i;
            const size_t start = i;
            while (i < s.size() && !isWhitespace(static_cast<unsigned char>(s[i])))
                ++i;
            if (i > start)
                out.push_back(text(std::string(s.substr(start, i - start))));
        }
        return Term::list(out);
    });
    string("split", 2, [](Interpreter &, A &a) { return split(str(a[0], "split", 2), a[1], Term(), 2); });
    string("split", 3, [](Interpreter &, A &a) { return split(str(a[0], "split", 3), a[1], a[2], 3); });
    string("to_atom", 1, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a binary");
        return Term::atom(a[0].asBinary());
    });
    string("to_existing_atom", 1, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a binary");
        return Term::atom(a[0].asBinary());
    });
    string("to_integer", 1, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a binary");
        const auto parsed = parseInteger(a[0].asBinary(), 10);
        if (!parsed || parsed->second != a[0].asBinary().size())
            raiseBadArgument(1, "not a textual representation of an integer");
        return Term::integer(parsed->first);
    });
    string("to_integer", 2, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a binary");
        const int base = static_cast<int>(expectInteger(a[1], "String", "to_integer", 2));
        const auto parsed = parseInteger(a[0].asBinary(), base);
        if (!parsed || parsed->second != a[0].asBinary().size())
            raiseBadArgument(1, "not a textual representation of an integer");
        return Term::integer(parsed->first);
    });
    string("to_float", 1, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a binary");
        const auto parsed = parseFloat(a[0].asBinary());
        if (!parsed || parsed->second != a[0].asBinary().size()
            || a[0].asBinary().find('.') == std::string_view::npos)
            raiseBadArgument(1, "not a textual representation of a float");
        return Term::floating(parsed->first);
    });
    string("duplicate", 2, [](Interpreter &, A &a) {
        const std::string_view s = str(a[0], "duplicate", 2);
        const int64_t n = expectInteger(a[1], "String", "duplicate", 2);
        if (n < 0)
            raiseFunctionClause("String", "duplicate", 2);
        checkBinarySize(static_cast<double>(s.size()) * static_cast<double>(n));
        std::string out;
        out.reserve(s.size() * static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            out += s;
        return text(std::move(out));
    });
    string("reverse", 1, [](Interpreter &, A &a) {
        std::vector<uint32_t> cps = codePoints(str(a[0], "reverse", 1));
        std::reverse(cps.begin(), cps.end());
        return text(fromCodePoints(cps));
    });
    string("contains?", 2, [](Interpreter &, A &a) {
        const std::string_view s = str(a[0], "contains?", 2);
        for (const auto &p : patternsOf(a[1], "contains?", 2))
            if (s.find(p) != std::string_view::npos)
                return boolTerm(true);
        return boolTerm(false);
    });
    string("starts_with?", 2, [](Interpreter &, A &a) {
        const std::string_view s = str(a[0], "starts_with?", 2);
        for (const auto &p : patternsOf(a[1], "starts_with?", 2))
            if (s.starts_with(p))
                return boolTerm(true);
        return boolTerm(false);
    });
    string("ends_with?", 2, [](Interpreter &, A &a) {
        const std::string_view s = str(a[0], "ends_with?", 2);
        for (const auto &p : patternsOf(a[1], "ends_with?", 2))
            if (s.ends_with(p))
                return boolTerm(true);
        return boolTerm(false);
    });
    string("trim", 1, [](Interpreter &, A &a) { return text(trim(str(a[0], "trim", 1), true, true)); });
    string("trim_leading", 1,
        [](Interpreter &, A &a) { return text(trim(str(a[0], "trim_leading", 1), true, false)); });
    string("trim_trailing", 1,
        [](Interpreter &, A &a) { return text(trim(str(a[0], "trim_trailing", 1), false, true)); });
    string("replace", 3, [](Interpreter &, A &a) { return replace(a, Term(), 3); });
    string("replace", 4, [](Interpreter &, A &a) { return replace(a, a[3], 4); });
    string("slice", 3, [](Interpreter &, A &a) {
        return slice(str(a[0], "slice", 3), expectInteger(a[1], "String", "slice", 3),
            expectInteger(a[2], "String", "slice", 3));
    });
    string("slice", 2, [](Interpreter &, A &a) {
        const std::string_view s = str(a[0], "slice", 2);
        const Term *first = a[1].mapFind(atom("first"));
        const Term *last = a[1].mapFind(atom("last"));
        if (first == nullptr || last == nullptr || !first->isInteger() || !last->isInteger())
            raiseFunctionClause("String", "slice", 2);
        const auto n = static_cast<int64_t>(utf8::length(s));
        int64_t f = first->asInteger();
        int64_t l = last->asInteger();
        if (f < 0)
            f += n;
        if (l < 0)
            l += n;
        return slice(s, f, l - f + 1);
    });
    string("at", 2, [](Interpreter &, A &a) {
        const Term r = slice(str(a[0], "at", 2), expectInteger(a[1], "String", "at", 2), 1);
        return r.asBinary().empty() ? nilTerm() : r;
    });
    string("first", 1, [](Interpreter &, A &a) {
        const Term r = slice(str(a[0], "first", 1), 0, 1);
        return r.asBinary().empty() ? nilTerm() : r;
    });
    string("last", 1, [](Interpreter &, A &a) {
        const Term r = slice(str(a[0], "last", 1), -1, 1);
        return r.asBinary().empty() ? nilTerm() : r;
    });
    string("pad_leading", 2, [](Interpreter &, A &a) {
        return pad(str(a[0], "pad_leading", 2), a[1], text(" "), true, "pad_leading", 2);
    });
    string("pad_leading", 3, [](Interpreter &, A &a) {
        return pad(str(a[0], "pad_leading", 3), a[1], a[2], true, "pad_leading", 3);
    });
    string("pad_trailing", 2, [](Interpreter &, A &a) {
        return pad(str(a[0], "pad_trailing", 2), a[1], text(" "), false, "pad_trailing", 2);
    });
    string("pad_trailing", 3, [](Interpreter &, A &a) {
        return pad(str(a[0], "pad_trailing", 3), a[1], a[2], false, "pad_trailing", 3);
    });
    string("to_charlist", 1, [](Interpreter &, A &a) { return Term::charlist(str(a[0], "to_charlist", 1)); });
    string("graphemes", 1, [](Interpreter &, A &a) {
        std::vector<Term> out;
        for (const uint32_t cp : codePoints(str(a[0], "graphemes", 1)))
            out.push_back(text(fromCodePoints({ cp })));
        return Term::list(out);
    });
    string("codepoints", 1, [](Interpreter &, A &a) {
        std::vector<Term> out;
        for (const uint32_t cp : codePoints(str(a[0], "codepoints", 1)))
            out.push_back(text(fromCodePoints({ cp })));
        return Term::list(out);
    });

    const auto integer = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Integer", name, arity, fn });
    };
    integer("to_string", 1, [](Interpreter &, A &a) {
        if (!a[0].isInteger()) // :erlang.integer_to_binary
            raiseBadArgument(1, "not an integer");
        return text(std::to_string(a[0].asInteger()));
    });
    integer("to_string", 2, [](Interpreter &, A &a) {
        const int64_t v = expectInteger(a[0], "Integer", "to_string", 2);
        const int64_t base = expectInteger(a[1], "Integer", "to_string", 2);
        if (base < 2 || base > 36)
            raiseFunctionClause("Integer", "to_string", 2);
        char buf[80];
        const auto res = std::to_chars(buf, buf + sizeof buf, v, static_cast<int>(base));
        std::string s(buf, res.ptr);
        std::transform(
            s.begin(), s.end(), s.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
        return text(std::move(s));
    });
    integer("parse", 1, [](Interpreter &, A &a) {
        const auto parsed = parseInteger(expectBinary(a[0], "Integer", "parse", 1), 10);
        if (!parsed)
            return atom("error");
        return Term::tuple(
            { Term::integer(parsed->first), text(std::string(a[0].asBinary().substr(parsed->second))) });
    });
    integer("is_even", 1,
        [](Interpreter &, A &a) { return boolTerm(expectInteger(a[0], "Integer", "is_even", 1) % 2 == 0); });
    integer("is_odd", 1,
        [](Interpreter &, A &a) { return boolTerm(expectInteger(a[0], "Integer", "is_odd", 1) % 2 != 0); });
    integer("digits", 1, [](Interpreter &, A &a) {
        int64_t v = expectInteger(a[0], "Integer", "digits", 1);
        std::vector<Term> out;
        if (v == 0)
            out.push_back(Term::integer(0));
        for (; v != 0; v /= 10)
            out.insert(out.begin(), Term::integer(v % 10));
        return Term::list(out);
    });
    integer("pow", 2, [](Interpreter &, A &a) {
        int64_t base = expectInteger(a[0], "Integer", "pow", 2);
        int64_t exp = expectInteger(a[1], "Integer", "pow", 2);
        if (exp < 0) // Elixir 1.14: :erlang.error(:badarith)
            raise(atom("badarith"));
        // Square and multiply: a huge exponent of 0, 1 or -1 answers at once.
        int64_t result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0 && __builtin_mul_overflow(result, base, &result))
                raiseIntegerOverflow();
            exp >>= 1;
            if (exp > 0 && __builtin_mul_overflow(base, base, &base))
                raiseIntegerOverflow();
        }
        return Term::integer(result);
    });
    integer("mod", 2, [](Interpreter &, A &a) {
        const int64_t x = expectInteger(a[0], "Integer", "mod", 2);
        const int64_t y = expectInteger(a[1], "Integer", "mod", 2);
        if (y == 0)
            raiseBadArithmetic("rem(" + std::to_string(x) + ", 0)");
        if (y == -1)
            return Term::integer(0); // INT64_MIN % -1 traps on x86
        const int64_t r = x % y;
        return Term::integer(r != 0 && ((r < 0) != (y < 0)) ? r + y : r);
    });
    integer("floor_div", 2, [](Interpreter &, A &a) {
        const int64_t x = expectInteger(a[0], "Integer", "floor_div", 2);
        const int64_t y = expectInteger(a[1], "Integer", "floor_div", 2);
        if (y == 0)
            raiseBadArithmetic("div(" + std::to_string(x) + ", 0)");
        if (y == -1) {
            if (x == std::numeric_limits<int64_t>::min())
                raiseIntegerOverflow(); // Elixir: 9223372036854775808
            return Term::integer(-x);
        }
        const int64_t q = x / y;
        return Term::integer((x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q);
    });
    integer("gcd", 2, [](Interpreter &, A &a) {
        // On magnitudes in unsigned arithmetic: |-9223372036854775808| fits there.
        const auto magnitude = [](int64_t v) { return v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v); };
        uint64_t x = magnitude(expectInteger(a[0], "Integer", "gcd", 2));
        uint64_t y = magnitude(expectInteger(a[1], "Integer", "gcd", 2));
        while (y != 0)
            x = std::exchange(y, x % y);
        if (x > uint64_t(std::numeric_limits<int64_t>::max()))
            raiseIntegerOverflow(); // Elixir: 9223372036854775808
        return Term::integer(static_cast<int64_t>(x));
    });

    const auto floating = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Float", name, arity, fn });
    };
    floating("round", 1,
        [](Interpreter &, A &a) { return roundFloat(a[0], nullptr, Rounding::HalfUp, "round", 1); });
    floating("round", 2,
        [](Interpreter &, A &a) { return roundFloat(a[0], &a[1], Rounding::HalfUp, "round", 2); });
    floating("floor", 1,
        [](Interpreter &, A &a) { return roundFloat(a[0], nullptr, Rounding::Floor, "floor", 1); });
    floating("floor", 2,
        [](Interpreter &, A &a) { return roundFloat(a[0], &a[1], Rounding::Floor, "floor", 2); });
    floating("ceil", 1, [](Interpreter &, A &a) { return roundFloat(a[0], nullptr, Rounding::Ceil, "ceil", 1); });
    floating("ceil", 2, [](Interpreter &, A &a) { return roundFloat(a[0], &a[1], Rounding::Ceil, "ceil", 2); });
    floating("to_string", 1, [](Interpreter &, A &a) {
        if (!a[0].isFloat())
            raiseFunctionClause("Float", "to_string", 1);
        return text(a[0].toErlang()); // the shortest form, as to_string/1: 1.0e6
    });
    floating("parse", 1, [](Interpreter &, A &a) {
        const std::string_view s = expectBinary(a[0], "Float", "parse", 1);
        const auto parsed = parseFloat(s);
        if (!parsed)
            return atom("error");
        return Term::tuple({ Term::floating(parsed->first), text(std::string(s.substr(parsed->second))) });
    });

    t.push_back({ "Atom", "to_string", 1, [](Interpreter &, A &a) {
                     if (!a[0].isAtom()) // :erlang.atom_to_binary
                         raiseBadArgument(1, "not an atom");
                     return text(std::string(a[0].asAtom().name()));
                 } });
}

} // namespace mailroom::script
