// Printing terms: Elixir syntax as Elixir 1.14's inspect prints it (laid out by
// Inspect.Algebra) and Erlang syntax as OTP 25's "~tp" prints it (laid out by
// io_lib_pretty). Both are reproduced rule for rule, because users compare what
// Mailroom shows with what real Elixir prints; tests/core/tst_term_format.cpp
// holds strings recorded from real runs.
#include "term.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <unordered_map>

namespace mailroom {

namespace {

// Text helpers =================================================================

/// The code points of a name; bytes that are not UTF-8 count as Latin-1 characters.
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

char upperHexDigit(uint32_t v)
{
    return "0123456789ABCDEF"[v & 0xFU];
}

/// What goes between #Function< and > (describe() may include that wrapper or not).
std::string functionBody(const Term &t)
{
    std::string text = t.asFunction()->describe();
    constexpr std::string_view prefix = "#Function<";
    if (text.starts_with(prefix) && text.ends_with('>'))
        return text.substr(prefix.size(), text.size() - prefix.size() - 1);
    return text;
}

std::string pidText(const Term &t)
{
    return "<0." + std::to_string(t.asPid().number) + ".0>";
}

// Our refs are one 64-bit counter; real ones are 0.A.B.C, so the counter goes in C.
std::string refBody(const Term &t)
{
    return "<0.0.0." + std::to_string(t.asRef().value) + ">";
}

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
    std::array<char, 64> buffer {};
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

/// io_lib_format:fwrite_g/1 of OTP 25: the shortest digits, in positional notation
/// unless the exponent form is shorter (and always with exponent from 2^53 up).
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

/// Inspect.Float: whole numbers below 1.0e16 print in full, others as Erlang does.
std::string elixirFloat(double v)
{
    const double magnitude = std::fabs(v);
    if (magnitude >= 1.0 && magnitude < 1.0e16 && std::trunc(v) == v)
        return std::to_string(static_cast<int64_t>(v)) + ".0";
    return erlangFloat(v);
}

// Struct field order ===========================================================

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

// Elixir: atoms and strings ====================================================

constexpr size_t kPrintableLimit = 4096; // Inspect.Opts printable_limit
constexpr int kLimit = 50; // Inspect.Opts limit

bool isAsciiUpper(uint32_t c)
{
    return c >= 'A' && c <= 'Z';
}
bool isAsciiLower(uint32_t c)
{
    return c >= 'a' && c <= 'z';
}
bool isAsciiDigit(uint32_t c)
{
    return c >= '0' && c <= '9';
}
bool isAsciiIdentifierChar(uint32_t c)
{
    return isAsciiUpper(c) || isAsciiLower(c) || isAsciiDigit(c) || c == '_';
}
// Letters of Latin-1 (À-Þ, ß-ÿ without × and ÷): the only non-ASCII identifier
// characters we know without Unicode tables.
bool isLatin1Upper(uint32_t c)
{
    return c >= 0xC0 && c <= 0xDE && c != 0xD7;
}
bool isLatin1Lower(uint32_t c)
{
    return c >= 0xDF && c <= 0xFF && c != 0xF7;
}

/// "Elixir" followed by zero or more ".Alias" pieces (Macro.classify_atom's :alias).
bool isElixirAlias(std::string_view name)
{
    if (!name.starts_with("Elixir"))
        return false;
    std::string_view rest = name.substr(6);
    while (!rest.empty()) {
        if (rest.size() < 2 || rest[0] != '.' || !isAsciiUpper(static_cast<unsigned char>(rest[1])))
            return false;
        size_t i = 2;
        while (i < rest.size() && isAsciiIdentifierChar(static_cast<unsigned char>(rest[i])))
            ++i;
        rest.remove_prefix(i);
    }
    return true;
}

enum class AtomSyntax {
    Alias, // Foo.Bar
    Plain, // :foo, :Foo, :+, :foo@bar
    Quoted, // :"foo bar"
};

/// Macro.classify_atom/1 of Elixir 1.14.
AtomSyntax classifyElixirAtom(std::string_view name)
{
    static constexpr auto notCallable
        = std::to_array<std::string_view>({ "%", "%{}", "{}", "<<>>", "...", "..", ".", "..//", "->" });
    static constexpr auto quotedOperators = std::to_array<std::string_view>({ "::", "^^^", "~~~", "<|>" });
    // Code.Identifier's unary and binary operators ("//" is not one: it needs quotes).
    static constexpr auto operators = std::to_array<std::string_view>(
        { "&", "!", "^", "not", "+", "-", "@", "<-", "\\\\", "when", "|", "=", "||", "|||", "or", "&&", "&&&",
            "and", "==", "!=", "=~", "===", "!==", "<", "<=", ">=", ">", "|>", "<<<", ">>>", "<~", "~>",
            "<<~", "~>>", "<~>", "in", "++", "--", "<>", "+++", "---", "*", "/", "**" });
    const auto contains
        = [name](const auto &list) { return std::find(list.begin(), list.end(), name) != list.end(); };
    if (contains(notCallable))
        return AtomSyntax::Plain;
    if (contains(quotedOperators))
        return AtomSyntax::Quoted;
    if (contains(operators))
        return AtomSyntax::Plain;
    if (isElixirAlias(name))
        return AtomSyntax::Alias;

    // String.Tokenizer: an identifier, an alias-like word or a non-ASCII capitalised word,
    // with @ anywhere and one final ? or !.
    const std::vector<uint32_t> cps = codePoints(name);
    if (cps.empty())
        return AtomSyntax::Quoted;
    const uint32_t first = cps[0];
    if (!(isAsciiUpper(first) || isAsciiLower(first) || first == '_' || isLatin1Upper(first)
            || isLatin1Lower(first)))
        return AtomSyntax::Quoted;
    size_t i = 1;
    while (i < cps.size()) {
        const uint32_t c = cps[i];
        if (c == '?' || c == '!') {
            ++i;
            break;
        }
        if (c == '@' || isAsciiIdentifierChar(c) || isLatin1Upper(c) || isLatin1Lower(c)) {
            ++i;
            continue;
        }
        break;
    }
    return i == cps.size() ? AtomSyntax::Plain : AtomSyntax::Quoted;
}

using NamedEscape = std::pair<uint32_t, std::string_view>;

// Code.Identifier's escape_map/1 and escape_char/1 special cases.
constexpr auto kElixirEscapes = std::to_array<NamedEscape>(
    { { 7, "\\a" }, { 8, "\\b" }, { 9, "\\t" }, { 10, "\\n" }, { 11, "\\v" }, { 12, "\\f" }, { 13, "\\r" },
        { 27, "\\e" }, { 92, "\\\\" }, { 127, "\\d" }, { 0, "\\0" }, { 0xFEFF, "\\uFEFF" } });

// io_lib's string_char/4 named escapes.
constexpr auto kErlangEscapes = std::to_array<NamedEscape>({ { '\n', "\\n" }, { '\r', "\\r" },
    { '\t', "\\t" }, { '\v', "\\v" }, { '\b', "\\b" }, { '\f', "\\f" }, { 27, "\\e" }, { 127, "\\d" } });

/// The named escape of `cp` in `table`, or empty.
std::string_view namedEscape(std::span<const NamedEscape> table, uint32_t cp)
{
    const auto it
        = std::find_if(table.begin(), table.end(), [cp](const auto &entry) { return entry.first == cp; });
    return it == table.end() ? std::string_view() : it->second;
}

/// Code.Identifier.escape/3: writes `bytes` escaped for a `quote`-delimited literal, at most
/// `limit` characters. Returns false when it stopped at the limit.
bool appendElixirEscaped(std::string &out, std::string_view bytes, char quote, size_t limit)
{
    size_t count = 0;
    for (size_t i = 0; i < bytes.size();) {
        if (count == limit)
            return false;
        ++count;
        const char b = bytes[i];
        if (b == quote) {
            out += '\\';
            out += quote;
            ++i;
            continue;
        }
        if (b == '#' && i + 1 < bytes.size() && bytes[i + 1] == '{') {
            out += "\\#{";
            i += 2;
            continue;
        }
        uint32_t cp = 0;
        const size_t used = utf8::decode(bytes, i, cp);
        if (used == 0) { // a byte that is not UTF-8
            const auto byte = static_cast<unsigned char>(b);
            out += "\\x";
            out += upperHexDigit(byte >> 4U);
            out += upperHexDigit(byte);
            ++i;
            continue;
        }
        i += used;
        if (const std::string_view named = namedEscape(kElixirEscapes, cp); !named.empty()) {
            out += named;
            continue;
        }
        const bool printable = (cp >= 32 && cp <= 126) || (cp >= 160 && cp <= 0xD7FF)
            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
        if (printable) {
            utf8::append(out, cp);
        } else if (cp < 0x100) {
            out += "\\x";
            out += upperHexDigit(cp >> 4U);
            out += upperHexDigit(cp);
        } else {
            out += "\\x{";
            for (int shift = cp < 0x10000 ? 12 : 20; shift >= 0; shift -= 4)
                out += upperHexDigit(cp >> static_cast<unsigned>(shift));
            out += '}';
        }
    }
    return true;
}

std::string elixirQuoted(std::string_view bytes)
{
    std::string out = "\"";
    appendElixirEscaped(out, bytes, '"', SIZE_MAX);
    return out + '"';
}

/// Macro.inspect_atom(:literal, atom).
std::string elixirAtom(std::string_view name)
{
    if (name == "nil" || name == "true" || name == "false")
        return std::string(name);
    switch (classifyElixirAtom(name)) {
    case AtomSyntax::Alias:
        if (name == "Elixir" || name == "Elixir.Elixir" || name.starts_with("Elixir.Elixir."))
            return std::string(name);
        return std::string(name.substr(7));
    case AtomSyntax::Quoted:
        return ":" + elixirQuoted(name);
    case AtomSyntax::Plain:
        break;
    }
    return ":" + std::string(name);
}

/// Macro.inspect_atom(:key, atom): the "key:" of keyword lists and atom-keyed maps.
std::string elixirKey(std::string_view name)
{
    switch (classifyElixirAtom(name)) {
    case AtomSyntax::Alias:
        return "\"" + std::string(name) + "\":";
    case AtomSyntax::Quoted:
        return elixirQuoted(name) + ":";
    case AtomSyntax::Plain:
        break;
    }
    return std::string(name) + ":";
}

/// String.printable?(bytes, 4096).
bool isPrintableString(std::string_view bytes)
{
    size_t count = 0;
    for (size_t i = 0; i < bytes.size() && count < kPrintableLimit; ++count) {
        uint32_t cp = 0;
        const size_t used = utf8::decode(bytes, i, cp);
        if (used == 0)
            return false;
        const bool ok = (cp >= 32 && cp <= 127) || (cp >= 7 && cp <= 13) || cp == 27
            || (cp >= 160 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
        if (!ok)
            return false;
        i += used;
    }
    return true;
}

/// List.ascii_printable?(list, 4096): Elixir 1.14 prints such lists as 'chars'.
bool isPrintableCharlist(const Term &list)
{
    size_t count = 0;
    const Term *cell = &list;
    for (; cell->isCons() && count < kPrintableLimit; cell = &cell->tail(), ++count) {
        const Term &c = cell->head();
        if (!c.isInteger())
            return false;
        const int64_t v = c.asInteger();
        if (!((v >= 7 && v <= 13) || v == 27 || (v >= 32 && v <= 126)))
            return false;
    }
    return count == kPrintableLimit || cell->isNil();
}

/// Inspect.List.keyword?/1: atom keys, none of them a module alias.
bool isKeywordList(const Term &list)
{
    const Term *cell = &list;
    for (; cell->isCons(); cell = &cell->tail()) {
        const Term &pair = cell->head();
        if (!pair.isTuple(2) || !pair[0].isAtom() || pair[0].asAtom().name().starts_with("Elixir."))
            return false;
    }
    return cell->isNil();
}

// Elixir: documents ============================================================

/// Inspect.Algebra's documents (the part inspect uses), in one arena per printing.
class Docs {
public:
    using Id = uint32_t;
    static constexpr size_t kUnlimited = SIZE_MAX;

    Docs() { m_nodes.push_back({ Kind::Nil, true, 0, 0, 0, {} }); }

    [[nodiscard]] static Id empty() { return 0; }
    Id text(std::string s) { return add({ Kind::Text, true, 0, 0, 0, std::move(s) }); }
    Id concat(Id left, Id right)
    {
        return add({ Kind::Cons, isSimple(left) && isSimple(right), left, right, 0, {} });
    }
    Id concat(std::initializer_list<Id> docs)
    {
        Id result = empty();
        for (auto it = std::rbegin(docs); it != std::rend(docs); ++it)
            result = result == empty() ? *it : concat(*it, result);
        return result;
    }
    /// A space (or `s`) when its group fits on the line, else a newline.
    Id strictBreak(std::string s) { return add({ Kind::StrictBreak, false, 0, 0, 0, std::move(s) }); }
    /// Like strictBreak, but decided one break at a time: fills lines.
    Id flexBreak(std::string s) { return add({ Kind::FlexBreak, false, 0, 0, 0, std::move(s) }); }
    Id nest(Id doc, size_t indent) { return add({ Kind::Nest, false, doc, 0, indent, {} }); }
    Id group(Id doc) { return add({ Kind::Group, false, doc, 0, 0, {} }); }
    /// Made of text only (Inspect.Algebra's simple?/1): lists of these fill lines.
    [[nodiscard]] bool isSimple(Id doc) const { return m_nodes[doc].simple; }

    /// Inspect.Algebra.format/2 for `width` columns (kUnlimited: one line).
    [[nodiscard]] std::string format(Id root, size_t width) const;

private:
    enum class Kind : uint8_t { Nil, Text, Cons, StrictBreak, FlexBreak, Nest, Group };
    struct Node {
        Kind kind;
        bool simple;
        Id first; // Cons: left; Nest, Group: the inner document
        Id second; // Cons: right
        size_t indent;
        std::string text; // Text; the breaks' flat text
    };
    enum class Mode : uint8_t { Flat, Break };
    struct Entry {
        size_t indent;
        Mode mode;
        Id doc;
    };

    Id add(Node node)
    {
        m_nodes.push_back(std::move(node));
        return static_cast<Id>(m_nodes.size() - 1);
    }
    [[nodiscard]] bool fits(size_t width, size_t column, bool sawBreak, std::vector<Entry> own,
        const std::vector<Entry> *rest) const;

    std::vector<Node> m_nodes;
};

std::string Docs::format(Id root, size_t width) const
{
    const bool unlimited = width == kUnlimited;
    std::string out;
    size_t column = 0;
    std::vector<Entry> stack { { 0, Mode::Flat, root } }; // work list, next item at the back
    const auto newline = [&](size_t indent) {
        out += '\n';
        out.append(indent, ' ');
        column = indent;
    };
    while (!stack.empty()) {
        const Entry entry = stack.back();
        stack.pop_back();
        const Node &node = m_nodes[entry.doc];
        switch (node.kind) {
        case Kind::Nil:
            break;
        case Kind::Text:
            // Elixir measures text in bytes (byte_size), not characters.
            out += node.text;
            column += node.text.size();
            break;
        case Kind::Cons:
            stack.push_back({ entry.indent, entry.mode, node.second });
            stack.push_back({ entry.indent, entry.mode, node.first });
            break;
        case Kind::Nest:
            stack.push_back({ entry.indent + node.indent, entry.mode, node.first });
            break;
        case Kind::StrictBreak:
            if (entry.mode == Mode::Break) {
                newline(entry.indent);
            } else {
                out += node.text;
                column += node.text.size();
            }
            break;
        case Kind::FlexBreak: {
            // Stays flat when what follows, up to the next possible break, still fits.
            const size_t after = column + node.text.size();
            if (unlimited || entry.mode == Mode::Flat || fits(width, after, true, {}, &stack)) {
                out += node.text;
                column = after;
            } else {
                newline(entry.indent);
            }
            break;
        }
        case Kind::Group: {
            const bool flat = unlimited
                || fits(width, column, false, { { entry.indent, Mode::Flat, node.first } }, nullptr);
            stack.push_back({ entry.indent, flat ? Mode::Flat : Mode::Break, node.first });
            break;
        }
        }
    }
    return out;
}

// Inspect.Algebra's fits?/4: walks `own` items, then `rest` from its back, without
// changing either. `sawBreak` is false until a break was met: text that cannot be
// broken anyway does not make a document "not fit".
bool Docs::fits(
    size_t width, size_t column, bool sawBreak, std::vector<Entry> own, const std::vector<Entry> *rest) const
{
    constexpr Id kRestoreTrue = UINT32_MAX; // marker entries restoring sawBreak after a group
    constexpr Id kRestoreFalse = UINT32_MAX - 1;
    size_t restLeft = rest == nullptr ? 0 : rest->size();
    for (;;) {
        if (column > width && sawBreak)
            return false;
        Entry entry {};
        if (!own.empty()) {
            entry = own.back();
            own.pop_back();
        } else if (restLeft > 0) {
            entry = (*rest)[--restLeft];
        } else {
            return true;
        }
        if (entry.doc == kRestoreTrue || entry.doc == kRestoreFalse) {
            sawBreak = entry.doc == kRestoreTrue;
            continue;
        }
        const Node &node = m_nodes[entry.doc];
        switch (node.kind) {
        case Kind::Nil:
            break;
        case Kind::Text:
            column += node.text.size();
            break;
        case Kind::Cons:
            own.push_back({ entry.indent, entry.mode, node.second });
            own.push_back({ entry.indent, entry.mode, node.first });
            break;
        case Kind::Nest:
            own.push_back({ entry.indent + node.indent, entry.mode, node.first });
            break;
        case Kind::StrictBreak:
        case Kind::FlexBreak:
            if (entry.mode == Mode::Break)
                return true; // the line ends here
            column += node.text.size();
            sawBreak = true;
            break;
        case Kind::Group:
            own.push_back({ 0, Mode::Flat, sawBreak ? kRestoreTrue : kRestoreFalse });
            own.push_back({ entry.indent, Mode::Flat, node.first });
            break;
        }
    }
}

// Elixir: the Inspect protocol =================================================

/// Builds the document Elixir's Inspect implementations build for a term. `limit` is
/// Inspect.Opts' limit as it reaches the term: each container element gets what is
/// left of its container's limit minus one, so nested containers show fewer items.
class ElixirInspector {
public:
    explicit ElixirInspector(Docs &docs)
        : m_docs(docs)
    {
    }

    Docs::Id toDoc(const Term &t, int limit)
    {
        switch (t.kind()) {
        case TermKind::Integer:
            return m_docs.text(std::to_string(t.asInteger()));
        case TermKind::Float:
            return m_docs.text(elixirFloat(t.asFloat()));
        case TermKind::Atom:
            return m_docs.text(elixirAtom(t.asAtom().name()));
        case TermKind::Reference:
            return m_docs.text("#Reference" + refBody(t));
        case TermKind::Function:
        {
            // A capture of a named function prints as Elixir writes it: &Enum.map/2.
            const std::string body = functionBody(t);
            return m_docs.text(body.starts_with("&") ? body : "#Function<" + body + ">");
        }
        case TermKind::Pid:
            return m_docs.text("#PID" + pidText(t));
        case TermKind::Tuple:
            return tupleDoc(t, limit);
        case TermKind::Map:
            return mapDoc(t, limit);
        case TermKind::Nil:
            return m_docs.text("[]");
        case TermKind::Cons:
            return listDoc(t, limit);
        case TermKind::Binary:
            return binaryDoc(t.asBinary(), limit);
        }
        return Docs::empty();
    }

private:
    enum class Breaks {
        Maybe, // flex (filling lines) when every element is simple, else strict
        Strict, // one element per line once the container does not fit
        Flex, // always fill lines
    };

    /// Inspect.Algebra.container_doc/6 once the element documents are made.
    Docs::Id containerDoc(std::string open, const std::vector<Docs::Id> &items, bool allSimple,
        std::string close, Breaks breaks)
    {
        if (items.empty())
            return m_docs.concat(m_docs.text(std::move(open)), m_docs.text(std::move(close)));
        const bool flex = (breaks == Breaks::Maybe && allSimple) || breaks == Breaks::Flex;
        Docs::Id body = items.back();
        for (size_t i = items.size() - 1; i-- > 0;)
            body = join(items[i], body, flex, ",");
        if (flex)
            return m_docs.group(m_docs.concat(
                { m_docs.text(std::move(open)), m_docs.nest(body, 1), m_docs.text(std::move(close)) }));
        const Docs::Id opened = m_docs.concat({ m_docs.text(std::move(open)), m_docs.strictBreak(""), body });
        return m_docs.group(
            m_docs.concat({ m_docs.nest(opened, 2), m_docs.strictBreak(""), m_docs.text(std::move(close)) }));
    }

    Docs::Id join(Docs::Id left, Docs::Id right, bool flex, std::string separator)
    {
        const Docs::Id gap = flex ? m_docs.flexBreak(" ") : m_docs.strictBreak(" ");
        return m_docs.concat({ left, m_docs.text(std::move(separator)), gap, right });
    }

    Docs::Id keywordDoc(std::string_view key, const Term &value, int limit)
    {
        return m_docs.concat({ m_docs.text(elixirKey(key) + " "), toDoc(value, limit) });
    }

    Docs::Id tupleDoc(const Term &tuple, int limit)
    {
        std::vector<Docs::Id> items;
        for (size_t i = 0; i < tuple.tupleSize(); ++i) {
            if (limit == 0) {
                items.push_back(m_docs.text("..."));
                break;
            }
            items.push_back(toDoc(tuple[i], --limit));
        }
        return containerDoc("{", items, false, "}", Breaks::Flex);
    }

    Docs::Id listDoc(const Term &list, int limit)
    {
        if (isPrintableCharlist(list)) {
            std::string bytes;
            for (const Term *cell = &list; cell->isCons(); cell = &cell->tail())
                if (cell->head().isInteger() && cell->head().asInteger() >= 0
                    && cell->head().asInteger() <= 0x10FFFF)
                    utf8::append(bytes, static_cast<uint32_t>(cell->head().asInteger()));
            std::string out = "'";
            const bool complete = appendElixirEscaped(out, bytes, '\'', kPrintableLimit);
            return m_docs.text(out + (complete ? "'" : "' ++ ..."));
        }
        std::vector<Docs::Id> items;
        if (isKeywordList(list)) {
            for (const Term *cell = &list; cell->isCons(); cell = &cell->tail()) {
                if (limit == 0) {
                    items.push_back(m_docs.text("..."));
                    break;
                }
                const Term &pair = cell->head();
                items.push_back(keywordDoc(pair[0].asAtom().name(), pair[1], --limit));
            }
            return containerDoc("[", items, false, "]", Breaks::Strict);
        }
        bool allSimple = true;
        for (const Term *cell = &list; cell->isCons(); cell = &cell->tail()) {
            if (limit == 0) {
                items.push_back(m_docs.text("..."));
                break;
            }
            --limit;
            const Docs::Id head = toDoc(cell->head(), limit);
            allSimple = allSimple && m_docs.isSimple(head);
            if (cell->tail().isList()) {
                items.push_back(head);
                continue;
            }
            // An improper tail joins its last element as "head | tail".
            const Docs::Id tail = toDoc(cell->tail(), limit);
            allSimple = allSimple && m_docs.isSimple(tail);
            items.push_back(join(head, tail, allSimple, " |"));
        }
        return containerDoc("[", items, allSimple, "]", Breaks::Maybe);
    }

    Docs::Id mapDoc(const Term &map, int limit)
    {
        if (auto range = rangeText(map))
            return m_docs.text(*range);
        if (const auto fields = structFields(map))
            return structDoc(map, *fields, limit);
        const auto &entries = map.mapEntries();
        const bool keyword = std::all_of(entries.begin(), entries.end(), [](const auto &entry) {
            return entry.first.isAtom() && !entry.first.asAtom().name().starts_with("Elixir.");
        });
        std::vector<Docs::Id> items;
        for (const auto &[key, value] : entries) {
            if (limit == 0) {
                items.push_back(m_docs.text("..."));
                break;
            }
            --limit;
            if (keyword)
                items.push_back(keywordDoc(key.asAtom().name(), value, limit));
            else
                items.push_back(
                    m_docs.concat({ toDoc(key, limit), m_docs.text(" => "), toDoc(value, limit) }));
        }
        return containerDoc("%{", items, false, "}", Breaks::Strict);
    }

    /// Range has its own Inspect implementation: `1..3`, or `1..9//2` with a step other than 1.
    static std::optional<std::string> rangeText(const Term &map)
    {
        const Term *module = map.structModule();
        if (module == nullptr || module->asAtom().name() != "Elixir.Range" || map.mapSize() != 4)
            return std::nullopt;
        const Term *first = map.mapFind(Term::atom("first"));
        const Term *last = map.mapFind(Term::atom("last"));
        const Term *step = map.mapFind(Term::atom("step"));
        if (first == nullptr || last == nullptr || step == nullptr || !first->isInteger() || !last->isInteger()
            || !step->isInteger())
            return std::nullopt;
        std::string text = std::to_string(first->asInteger()) + ".." + std::to_string(last->asInteger());
        if (step->asInteger() != 1)
            text += "//" + std::to_string(step->asInteger());
        return text;
    }

    /// The fields a struct prints, in order; nullopt when Elixir would print a plain map.
    static std::optional<std::vector<Atom>> structFields(const Term &map)
    {
        const Term *module = map.structModule();
        if (module == nullptr || !module->asAtom().name().starts_with("Elixir."))
            return std::nullopt;
        const auto &entries = map.mapEntries();
        if (auto declared = StructFields::instance().find(module->asAtom().name())) {
            // Elixir prints a struct as a map when its keys are not the struct's keys.
            if (declared->size() + 1 != entries.size())
                return std::nullopt;
            for (const Atom field : *declared)
                if (field == atoms::structKey() || map.mapFind(Term(field)) == nullptr)
                    return std::nullopt;
            return declared;
        }
        std::vector<Atom> sorted;
        for (const auto &entry : entries) {
            if (!entry.first.isAtom())
                return std::nullopt;
            if (entry.first.asAtom() != atoms::structKey())
                sorted.push_back(entry.first.asAtom());
        }
        return sorted;
    }

    Docs::Id structDoc(const Term &map, const std::vector<Atom> &fields, int limit)
    {
        std::vector<Docs::Id> items;
        for (const Atom field : fields) {
            if (limit == 0) {
                items.push_back(m_docs.text("..."));
                break;
            }
            items.push_back(keywordDoc(field.name(), *map.mapFind(Term(field)), --limit));
        }
        const std::string name = elixirAtom(map.structModule()->asAtom().name());
        return containerDoc("%" + name + "{", items, false, "}", Breaks::Strict);
    }

    Docs::Id binaryDoc(std::string_view bytes, int limit)
    {
        if (isPrintableString(bytes)) {
            std::string out = "\"";
            const bool complete = appendElixirEscaped(out, bytes, '"', kPrintableLimit);
            return m_docs.text(out + (complete ? "\"" : "\" <> ..."));
        }
        // <<1, 2, ...>>: bytes fill lines; past the limit comes "...".
        const auto limitBytes = static_cast<size_t>(limit);
        const bool truncated = bytes.size() > limitBytes;
        const auto byteText = [&](size_t i) { return std::to_string(static_cast<unsigned char>(bytes[i])); };
        Docs::Id inner = truncated ? m_docs.text("...") : m_docs.text(byteText(bytes.size() - 1));
        for (size_t i = truncated ? limitBytes : bytes.size() - 1; i-- > 0;)
            inner = m_docs.concat({ m_docs.text(byteText(i) + ","), m_docs.flexBreak(" "), inner });
        return m_docs.group(m_docs.concat({ m_docs.text("<<"), m_docs.nest(inner, 2), m_docs.text(">>") }));
    }

    Docs &m_docs;
};

std::string inspectWithWidth(const Term &term, size_t width)
{
    Docs docs;
    ElixirInspector inspector(docs);
    return docs.format(docs.group(inspector.toDoc(term, kLimit)), width);
}

// Erlang: atoms and strings ====================================================

/// erl_scan:reserved_word/1 of OTP 25 (without the experimental `maybe`).
bool isErlangReservedWord(std::string_view name)
{
    static constexpr auto words = std::to_array<std::string_view>({ "after", "and", "andalso", "band",
        "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "end", "fun", "if",
        "let", "not", "of", "or", "orelse", "receive", "rem", "try", "when", "xor" });
    return std::find(words.begin(), words.end(), name) != words.end();
}

/// io_lib's string_char/4 for "~t": escapes quotes, backslashes and control characters.
void appendErlangChar(std::string &out, uint32_t c, char quote)
{
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
    } else if ((c >= 32 && c <= 126) || c >= 160) {
        utf8::append(out, c);
    } else if (const std::string_view named = namedEscape(kErlangEscapes, c); !named.empty()) {
        out += named;
    } else { // other control characters in octal
        out += '\\';
        out += static_cast<char>('0' + ((c >> 6U) & 7U));
        out += static_cast<char>('0' + ((c >> 3U) & 7U));
        out += static_cast<char>('0' + (c & 7U));
    }
}

std::string erlangQuoted(const std::vector<uint32_t> &chars, char quote)
{
    std::string out(1, quote);
    for (const uint32_t c : chars)
        appendErlangChar(out, c, quote);
    return out + quote;
}

/// io_lib:write_atom/1: bare when it reads back as the same atom, else in single quotes.
std::string erlangAtom(std::string_view name)
{
    const std::vector<uint32_t> chars = codePoints(name);
    const auto lower = [](uint32_t c) { return isAsciiLower(c) || isLatin1Lower(c); };
    const auto nameChar = [&](uint32_t c) {
        return lower(c) || isAsciiUpper(c) || isLatin1Upper(c) || isAsciiDigit(c) || c == '_' || c == '@';
    };
    const bool bare = !chars.empty() && lower(chars[0])
        && std::all_of(chars.begin() + 1, chars.end(), nameChar) && !isErlangReservedWord(name);
    return bare ? std::string(name) : erlangQuoted(chars, '\'');
}

/// Printable as a string in Erlang's default (Latin-1) printable range.
bool isErlangPrintableChar(uint32_t c)
{
    return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
}

/// The string form "~tp" gives a binary: <<"ascii">>, <<"héllo"/utf8>>, or (for bytes
/// that are not UTF-8 but Latin-1 text) <<"é">>; nullopt when it prints as bytes.
std::optional<std::string> erlangBinaryString(std::string_view bytes)
{
    std::vector<uint32_t> chars;
    bool isUtf8 = true;
    for (size_t i = 0; i < bytes.size();) {
        uint32_t cp = 0;
        const size_t used = utf8::decode(bytes, i, cp);
        if (used == 0) {
            isUtf8 = false;
            break;
        }
        chars.push_back(cp);
        i += used;
    }
    if (!isUtf8) { // io_lib_pretty then tries the bytes as Latin-1
        chars.clear();
        for (const char b : bytes)
            chars.push_back(static_cast<unsigned char>(b));
    }
    if (!std::all_of(chars.begin(), chars.end(), isErlangPrintableChar))
        return std::nullopt;
    const bool ascii = !isUtf8 || chars.size() == bytes.size();
    return "<<" + erlangQuoted(chars, '"') + (ascii ? ">>" : "/utf8>>");
}

// Erlang: io_lib_pretty ========================================================

/// io_lib_pretty's intermediate form of a term: each subterm with the length of its
/// one-line text, from which the layout decides where to break lines.
class ErlangLayout {
public:
    explicit ErlangLayout(const Term &term) { m_root = build(term); }

    [[nodiscard]] std::string oneLine() const
    {
        std::string out;
        write(m_root, out);
        return out;
    }

    /// io_lib_pretty:print/4 with the term starting at 1-based `column`.
    [[nodiscard]] std::string print(long column, long lineLength) const;

private:
    using Id = uint32_t;
    enum class Kind : uint8_t {
        Leaf, // text printed as is: atoms, numbers, strings, empty containers
        Bytes, // <<1,2,3>>, which may break between bytes
        List,
        Tuple,
        Map,
        Pair, // Key => Value inside a map
    };
    struct Node {
        Kind kind = Kind::Leaf;
        bool tagged = false; // a tuple whose first element is an atom, size >= 2
        bool improper = false; // a list whose last child is its non-list tail
        long length = 0; // characters on one line
        std::string text; // Leaf, Bytes
        std::vector<Id> children;
    };

    Id add(Node node)
    {
        m_nodes.push_back(std::move(node));
        return static_cast<Id>(m_nodes.size() - 1);
    }
    Id leaf(std::string text)
    {
        const auto length
            = static_cast<long>(utf8::length(text)); // io_lib_pretty counts characters, not bytes
        return add({ Kind::Leaf, false, false, length, std::move(text), {} });
    }
    /// A container: its children's lengths, one separator between each, and its brackets.
    Id container(
        Kind kind, std::vector<Id> children, long brackets, bool tagged = false, bool improper = false)
    {
        long length = brackets + static_cast<long>(children.size()) - 1;
        for (const Id child : children)
            length += m_nodes[child].length;
        return add({ kind, tagged, improper, length, {}, std::move(children) });
    }

    Id build(const Term &t);
    void write(Id id, std::string &out) const;

    friend class ErlangPretty;
    std::vector<Node> m_nodes;
    Id m_root = 0;
};

ErlangLayout::Id ErlangLayout::build(const Term &t)
{
    switch (t.kind()) {
    case TermKind::Integer:
        return leaf(std::to_string(t.asInteger()));
    case TermKind::Float:
        return leaf(erlangFloat(t.asFloat()));
    case TermKind::Atom:
        return leaf(erlangAtom(t.asAtom().name()));
    case TermKind::Reference:
        return leaf("#Ref" + refBody(t));
    case TermKind::Function:
        return leaf("#Fun<" + functionBody(t) + ">");
    case TermKind::Pid:
        return leaf(pidText(t));
    case TermKind::Nil:
        return leaf("[]");
    case TermKind::Tuple: {
        if (t.tupleSize() == 0)
            return leaf("{}");
        std::vector<Id> children;
        for (size_t i = 0; i < t.tupleSize(); ++i)
            children.push_back(build(t[i]));
        return container(Kind::Tuple, std::move(children), 2, t[0].isAtom() && t.tupleSize() > 1);
    }
    case TermKind::Map: {
        if (t.mapSize() == 0)
            return leaf("#{}");
        std::vector<Id> pairs;
        for (const auto &[key, value] : t.mapEntries()) {
            const Id k = build(key);
            const Id v = build(value);
            const long length = m_nodes[k].length + 4 + m_nodes[v].length; // " => "
            pairs.push_back(add({ Kind::Pair, false, false, length, {}, { k, v } }));
        }
        return container(Kind::Map, std::move(pairs), 3);
    }
    case TermKind::Cons: {
        // Proper lists of Latin-1 text print as "strings" (the default printable range).
        std::vector<uint32_t> chars;
        const Term *cell = &t;
        for (; cell->isCons(); cell = &cell->tail()) {
            const Term &c = cell->head();
            if (!c.isInteger() || c.asInteger() < 0 || c.asInteger() > 255
                || !isErlangPrintableChar(static_cast<uint32_t>(c.asInteger())))
                break;
            chars.push_back(static_cast<uint32_t>(c.asInteger()));
        }
        if (cell->isNil())
            return leaf(erlangQuoted(chars, '"'));
        std::vector<Id> children;
        for (cell = &t; cell->isCons(); cell = &cell->tail())
            children.push_back(build(cell->head()));
        const bool improper = !cell->isNil();
        if (improper)
            children.push_back(build(*cell));
        return container(Kind::List, std::move(children), 2, false, improper);
    }
    case TermKind::Binary: {
        const std::string_view bytes = t.asBinary();
        if (bytes.empty())
            return leaf("<<>>");
        if (auto text = erlangBinaryString(bytes))
            return leaf(std::move(*text));
        std::string text = "<<";
        for (size_t i = 0; i < bytes.size(); ++i)
            text += (i == 0 ? "" : ",") + std::to_string(static_cast<unsigned char>(bytes[i]));
        text += ">>";
        const long length = static_cast<long>(text.size());
        return add({ Kind::Bytes, false, false, length, std::move(text), {} });
    }
    }
    return leaf("[]");
}

void ErlangLayout::write(Id id, std::string &out) const
{
    const Node &node = m_nodes[id];
    const auto items = [&](const char *open, char lastSeparator, const char *close) {
        out += open;
        for (size_t i = 0; i < node.children.size(); ++i) {
            if (i > 0)
                out += node.improper && i + 1 == node.children.size() ? lastSeparator : ',';
            write(node.children[i], out);
        }
        out += close;
    };
    switch (node.kind) {
    case Kind::Leaf:
    case Kind::Bytes:
        out += node.text;
        break;
    case Kind::List:
        items("[", '|', "]");
        break;
    case Kind::Tuple:
        items("{", ',', "}");
        break;
    case Kind::Map:
        items("#{", ',', "}");
        break;
    case Kind::Pair:
        write(node.children[0], out);
        out += " => ";
        write(node.children[1], out);
        break;
    }
}

/// io_lib_pretty's pp and cind functions. Names follow the Erlang source so that the two
/// can be read side by side: Col is a 1-based column, Ind the indentation of continuation
/// lines (in spaces), LD the closing brackets that will follow the last element, W the
/// characters written on the current line since the last break.
class ErlangPretty {
public:
    ErlangPretty(const ErlangLayout &layout, long lineLength, long maxChars)
        : m_layout(layout)
        , m_ll(lineLength)
        , m_m(maxChars)
    {
    }

    std::string print(ErlangLayout::Id root, long col)
    {
        // The indentation of tagged tuples' elements: under the tag when that stays in
        // the left half of the line, else 4, else 1.
        m_tind = -1;
        if (!cind(root, col, 0, 0)) {
            m_tind = 4;
            if (!cind(root, col, 0, 0))
                m_tind = 1;
        }
        pp(root, col, col - 1, 0, 0);
        return std::move(m_out);
    }

private:
    using Id = ErlangLayout::Id;
    using Kind = ErlangLayout::Kind;

    [[nodiscard]] const ErlangLayout::Node &node(Id id) const { return m_layout.m_nodes[id]; }
    [[nodiscard]] long len(Id id) const { return node(id).length; }
    /// ?ATM: a leaf, which may share a line with its neighbours.
    [[nodiscard]] bool atomic(Id id) const { return node(id).kind == Kind::Leaf; }
    [[nodiscard]] bool atomicPair(Id id) const
    {
        return atomic(node(id).children[0]) && atomic(node(id).children[1]);
    }
    /// Whether `id` fits in one piece at col.
    [[nodiscard]] bool fitsAt(Id id, long col, long ld, long w) const
    {
        return len(id) < m_ll - col - ld && len(id) + w + ld <= m_m;
    }
    /// Whether an element `elen` long (its comma included) can follow the previous one on its line.
    [[nodiscard]] bool fitsAfter(long elen, long col, long ld1, long w) const
    {
        if (ld1 == 0)
            return elen + 1 < m_ll - col && w + elen + 1 <= m_m;
        return elen < m_ll - col - ld1 && w + elen + ld1 <= m_m;
    }
    /// Number of proper elements (an improper list's tail is the last child).
    [[nodiscard]] static size_t properCount(const ErlangLayout::Node &n)
    {
        return n.improper ? n.children.size() - 1 : n.children.size();
    }
    /// last_depth/2: closing brackets after element i, which count only for the last one.
    [[nodiscard]] static long lastDepth(const ErlangLayout::Node &n, size_t i, long ld)
    {
        return i + 1 < properCount(n) ? 0 : ld + 1;
    }

    void write(Id id) { m_layout.write(id, m_out); }
    void newline(long ind)
    {
        m_out += '\n';
        m_out.append(static_cast<size_t>(ind), ' ');
    }

    void pp(Id id, long col, long ind, long ld, long w)
    {
        if (fitsAt(id, col, ld, w)) {
            write(id);
            return;
        }
        const auto &n = node(id);
        switch (n.kind) {
        case Kind::List:
            m_out += '[';
            ppList(n, 0, col + 1, ind + 1, ld, '|', w + 1);
            m_out += ']';
            break;
        case Kind::Tuple:
            m_out += '{';
            if (n.tagged)
                ppTagTuple(n, col, ind, ld, w + 1);
            else
                ppList(n, 0, col + 1, ind + 1, ld, ',', w + 1);
            m_out += '}';
            break;
        case Kind::Map:
            m_out += "#{";
            ppMap(n, col + 2, ind + 2, ld, w + 1);
            m_out += '}';
            break;
        case Kind::Bytes:
            ppBinary(n, col + 2, ind + 2, ld, w);
            break;
        case Kind::Leaf:
        case Kind::Pair:
            write(id);
            break;
        }
    }

    void ppTagTuple(const ErlangLayout::Node &n, long col, long ind, long ld, long w)
    {
        const long tlen = len(n.children[0]);
        const long tagInd = tlen + 2;
        const long tcol = col + tagInd;
        write(n.children[0]);
        if (m_tind > 0 && tagInd > m_tind) {
            const long wrapCol = col + m_tind; // where elements after the first wrap to
            ppTail(n, 1, wrapCol, tcol, ind + m_tind, ld, ',', w + tlen);
        } else {
            m_out += ',';
            ppList(n, 1, tcol, ind + tagInd, ld, ',', w + tlen + 1);
        }
    }

    void ppList(const ErlangLayout::Node &n, size_t from, long col0, long ind, long ld, char sep, long w)
    {
        const long we = ppElement(n.children[from], col0, ind, lastDepth(n, from, ld), w);
        ppTail(n, from + 1, col0, col0 + we, ind, ld, sep, w + we);
    }

    void ppTail(
        const ErlangLayout::Node &n, size_t from, long col0, long col, long ind, long ld, char sep, long w)
    {
        for (size_t i = from; i < properCount(n); ++i) {
            const Id e = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(e);
            if (fitsAfter(elen, col, ld1, w) && atomic(e)) {
                m_out += ',';
                write(e);
                col += elen;
                w += elen;
            } else {
                m_out += ',';
                newline(ind);
                const long we = ppElement(e, col0, ind, ld1, 0);
                col = col0 + we;
                w = we;
            }
        }
        if (!n.improper)
            return;
        const Id tail = n.children.back();
        m_out += sep;
        if (len(tail) + 1 < m_ll - col - (ld + 1) && len(tail) + 1 + w + (ld + 1) <= m_m && atomic(tail)) {
            write(tail);
        } else {
            newline(ind);
            pp(tail, col0, ind, ld + 1, 0);
        }
    }

    long ppElement(Id e, long col, long ind, long ld, long w)
    {
        if (fitsAt(e, col, ld, w) && atomic(e)) {
            write(e);
            return len(e);
        }
        pp(e, col, ind, ld, w);
        return m_ll; // forces the next element onto a new line
    }

    void ppMap(const ErlangLayout::Node &n, long col, long ind, long ld, long w)
    {
        long pw = ppPair(n.children[0], col, ind, lastDepth(n, 0, ld), w);
        const long col0 = col;
        col = col0 + pw;
        w = pw;
        for (size_t i = 1; i < n.children.size(); ++i) {
            const Id p = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(p);
            if (fitsAfter(elen, col, ld1, w) && atomicPair(p)) {
                m_out += ',';
                write(p);
                col += elen;
                w += elen;
            } else {
                m_out += ',';
                newline(ind);
                pw = ppPair(p, col0, ind, ld1, 0);
                col = col0 + pw;
                w = pw;
            }
        }
    }

    long ppPair(Id p, long col, long ind, long ld, long w)
    {
        if (fitsAt(p, col, ld, w)) {
            write(p);
            return atomicPair(p) ? len(p) : m_ll;
        }
        // Key on one line, value below it, indented.
        const long valueIndent = m_tind > 0 ? m_tind : 4;
        pp(node(p).children[0], col, ind, ld, w);
        m_out += " =>";
        newline(ind + valueIndent);
        pp(node(p).children[1], col + valueIndent, ind + valueIndent, ld, 0);
        return m_ll;
    }

    /// pp_binary: bytes fill lines of at least 8 characters.
    void ppBinary(const ErlangLayout::Node &n, long col, long ind, long ld, long w)
    {
        const long width = std::max(8L, std::min(m_ll - col, m_m - 4 - w) - ld);
        const std::string_view bytes = std::string_view(n.text).substr(2, n.text.size() - 4);
        m_out += "<<";
        long room = width;
        size_t start = 0;
        for (size_t comma = bytes.find(','); comma != std::string_view::npos;
             comma = bytes.find(',', start)) {
            const std::string_view piece = bytes.substr(start, comma - start + 1); // "123,"
            const long pieceLength = static_cast<long>(piece.size());
            if (room - pieceLength < 0) {
                newline(ind);
                room = width - pieceLength;
            } else {
                room -= pieceLength;
            }
            m_out += piece;
            start = comma + 1;
        }
        const std::string_view last = bytes.substr(start);
        if (static_cast<long>(last.size()) > room)
            newline(ind);
        m_out += last;
        m_out += ">>";
    }

    // cind: does the layout keep within bounds with the tagged-tuple indentation m_tind?
    // (The Erlang throws no_good where these return false.)

    bool cind(Id id, long col, long ld, long w)
    {
        if (fitsAt(id, col, ld, w))
            return true;
        const auto &n = node(id);
        switch (n.kind) {
        case Kind::List:
            return cindList(n, 0, col + 1, ld, w + 1);
        case Kind::Tuple:
            return n.tagged ? cindTagTuple(n, col, ld, w + 1) : cindList(n, 0, col + 1, ld, w + 1);
        case Kind::Map:
            return cindMap(n, col + 2, ld, w + 2);
        case Kind::Leaf:
        case Kind::Bytes:
        case Kind::Pair:
            break;
        }
        return true;
    }

    bool cindTagTuple(const ErlangLayout::Node &n, long col, long ld, long w)
    {
        const long tlen = len(n.children[0]);
        const long tagInd = tlen + 2;
        const long tcol = col + tagInd;
        if (m_tind > 0 && tagInd > m_tind) {
            const long wrapCol = col + m_tind; // where elements after the first wrap to
            if (m_m + wrapCol <= m_ll || wrapCol <= m_ll / 2)
                return cindTail(n, 1, wrapCol, tcol, ld, w + tlen);
            return false;
        }
        if (m_m + tcol < m_ll || tcol < m_ll / 2)
            return cindList(n, 1, tcol, ld, w + tlen + 1);
        return false;
    }

    bool cindList(const ErlangLayout::Node &n, size_t from, long col0, long ld, long w)
    {
        const auto we = cindElement(n.children[from], col0, lastDepth(n, from, ld), w);
        return we && cindTail(n, from + 1, col0, col0 + *we, ld, w + *we);
    }

    bool cindTail(const ErlangLayout::Node &n, size_t from, long col0, long col, long ld, long w)
    {
        for (size_t i = from; i < properCount(n); ++i) {
            const Id e = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(e);
            if (fitsAfter(elen, col, ld1, w) && atomic(e)) {
                col += elen;
                w += elen;
            } else {
                const auto we = cindElement(e, col0, ld1, 0);
                if (!we)
                    return false;
                col = col0 + *we;
                w = *we;
            }
        }
        if (!n.improper)
            return true;
        const Id tail = n.children.back();
        if (len(tail) + 1 < m_ll - col - (ld + 1) && len(tail) + 1 + w + (ld + 1) <= m_m && atomic(tail))
            return true;
        return cind(tail, col, ld + 1, 0); // sic: col, where pp uses col0
    }

    std::optional<long> cindElement(Id e, long col, long ld, long w)
    {
        if (fitsAt(e, col, ld, w) && atomic(e))
            return len(e);
        if (!cind(e, col, ld, w))
            return std::nullopt;
        return m_ll;
    }

    bool cindMap(const ErlangLayout::Node &n, long col, long ld, long w)
    {
        const auto first = cindPair(n.children[0], col, lastDepth(n, 0, ld), w);
        if (!first)
            return false;
        const long col0 = col;
        col = col0 + *first;
        w += *first; // sic: pp_map restarts W at the pair's width
        for (size_t i = 1; i < n.children.size(); ++i) {
            const Id p = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(p);
            if (fitsAfter(elen, col, ld1, w) && atomicPair(p)) {
                col += elen;
                w += elen;
            } else {
                const auto pw = cindPair(p, col0, ld1, 0);
                if (!pw)
                    return false;
                col = col0 + *pw;
                w = *pw;
            }
        }
        return true;
    }

    std::optional<long> cindPair(Id p, long col, long ld, long w)
    {
        if (fitsAt(p, col, ld, w))
            return atomicPair(p) ? len(p) : m_ll;
        const long valueIndent = m_tind > 0 ? m_tind : 4;
        if (!cind(node(p).children[0], col, ld, w) || !cind(node(p).children[1], col + valueIndent, ld, 0))
            return std::nullopt;
        return m_ll;
    }

    const ErlangLayout &m_layout;
    const long m_ll; // line length
    const long m_m; // most characters per line: the whole term's length, as ~p passes none
    long m_tind = -1;
    std::string m_out;
};

std::string ErlangLayout::print(long column, long lineLength) const
{
    const Node &root = m_nodes[m_root];
    // Single-line when it fits; leaves (atoms, numbers, strings) never break.
    if (root.kind == Kind::Leaf || root.length < lineLength - column)
        return oneLine();
    return ErlangPretty(*this, lineLength, root.length).print(m_root, column);
}

} // namespace

std::string Term::inspect() const
{
    return inspectWithWidth(*this, Docs::kUnlimited);
}

std::string Term::inspectPretty(size_t width) const
{
    return inspectWithWidth(*this, width);
}

std::string Term::toErlang() const
{
    return ErlangLayout(*this).oneLine();
}

std::string Term::toErlangWrapped(size_t startColumn) const
{
    constexpr long kLineLength = 80; // ~p's default field width
    return ErlangLayout(*this).print(static_cast<long>(startColumn) + 1, kLineLength);
}

void Term::declareStructFields(std::string_view elixirModule, std::vector<Atom> fields)
{
    StructFields::instance().declare("Elixir." + std::string(elixirModule), std::move(fields));
}

} // namespace mailroom
