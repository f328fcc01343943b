// Printing terms in Elixir syntax as Elixir 1.14's inspect prints it, laid out by
// Inspect.Algebra's rules, reproduced rule for rule because users compare what Mailroom
// shows with what real Elixir prints; tests/core/tst_term_format.cpp holds strings recorded
// from real runs. The Erlang syntax is term_format_erlang.cpp.

#include "term.h"
#include "term_inspect.h"

#include "detail/term_text.h"
#include "labels.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

namespace mailroom {

using namespace detail;

namespace {

// Elixir: atoms and strings ====================================================

constexpr size_t kPrintableLimit = 4096; // Inspect.Opts printable_limit
constexpr int kLimit = 50; // Inspect.Opts limit

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

// Code.Identifier's escape_map/1 and escape_char/1 special cases.
constexpr auto kElixirEscapes = std::to_array<NamedEscape>(
    { { 7, "\\a" }, { 8, "\\b" }, { 9, "\\t" }, { 10, "\\n" }, { 11, "\\v" }, { 12, "\\f" }, { 13, "\\r" },
        { 27, "\\e" }, { 92, "\\\\" }, { 127, "\\d" }, { 0, "\\0" }, { 0xFEFF, "\\uFEFF" } });

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
            return m_docs.text("#PID" + pidText(t.asPid()));
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

std::string inspectWithWidth(const Term &term, size_t width, int limit = kLimit)
{
    Docs docs;
    ElixirInspector inspector(docs);
    return docs.format(docs.group(inspector.toDoc(term, limit)), width);
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

std::string inspectWithLimit(const Term &term, int limit, size_t width)
{
    return inspectWithWidth(term, width, limit);
}

void Term::declareStructFields(std::string_view elixirModule, std::vector<Atom> fields)
{
    StructFields::instance().declare("Elixir." + std::string(elixirModule), std::move(fields));
}


} // namespace mailroom
