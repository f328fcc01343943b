// SPDX-License-Identifier: MIT
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

    Docs() { m_nodes.push_back({ Kind::Nil, true, 0, 0, 0, 0, 0 }); }

    [[nodiscard]] static Id empty() { return 0; }
    Id text(std::string_view s) { return add({ Kind::Text, true, 0, 0, 0, store(s), s.size() }); }
    Id concat(Id left, Id right)
    {
        return add({ Kind::Cons, isSimple(left) && isSimple(right), left, right, 0, 0, 0 });
    }
    Id concat(std::initializer_list<Id> docs)
    {
        Id result = empty();
        for (auto it = std::rbegin(docs); it != std::rend(docs); ++it)
            result = result == empty() ? *it : concat(*it, result);
        return result;
    }
    /// A space (or `s`) when its group fits on the line, else a newline.
    Id strictBreak(std::string_view s) { return add({ Kind::StrictBreak, false, 0, 0, 0, store(s), s.size() }); }
    /// Like strictBreak, but decided one break at a time: fills lines.
    Id flexBreak(std::string_view s) { return add({ Kind::FlexBreak, false, 0, 0, 0, store(s), s.size() }); }
    Id nest(Id doc, size_t indent) { return add({ Kind::Nest, false, doc, 0, static_cast<uint32_t>(indent), 0, 0 }); }
    Id group(Id doc) { return add({ Kind::Group, false, doc, 0, 0, 0, 0 }); }
    /// Made of text only (Inspect.Algebra's simple?/1): lists of these fill lines.
    [[nodiscard]] bool isSimple(Id doc) const { return m_nodes[doc].simple; }

    /// Inspect.Algebra.format/2 for `width` columns (kUnlimited: one line).
    [[nodiscard]] std::string format(Id root, size_t width) const;

private:
    enum class Kind : uint8_t { Nil,
        Text,
        Cons,
        StrictBreak,
        FlexBreak,
        Nest,
        Group };
    struct Node {
        Kind kind;
        bool simple;
        Id first; // Cons: left; Nest, Group: the inner document
        Id second; // Cons: right
        uint32_t indent;
        size_t textAt; // Text; the breaks' flat text: where in m_text, and how long
        size_t textSize;
    };
    enum class Mode : uint8_t { Flat,
        Break };
    struct Entry {
        size_t indent;
        Mode mode;
        Id doc;
    };

    Id add(Node node)
    {
        m_nodes.push_back(node);
        return static_cast<Id>(m_nodes.size() - 1);
    }
    /// Texts live in one buffer: a million-level term makes millions of small documents.
    size_t store(std::string_view s)
    {
        m_text += s;
        return m_text.size() - s.size();
    }
    [[nodiscard]] std::string_view textOf(const Node &node) const { return { m_text.data() + node.textAt, node.textSize }; }
    [[nodiscard]] bool fits(size_t width, size_t column, bool sawBreak, std::vector<Entry> own,
        const std::vector<Entry> *rest) const;

    std::vector<Node> m_nodes;
    std::string m_text;
};

std::string Docs::format(Id root, size_t width) const
{
    const bool unlimited = width == kUnlimited;
    std::string out;
    size_t column = 0;
    std::vector<Entry> stack{ { 0, Mode::Flat, root } }; // work list, next item at the back
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
            out += textOf(node);
            column += node.textSize;
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
                out += textOf(node);
                column += node.textSize;
            }
            break;
        case Kind::FlexBreak: {
            // Stays flat when what follows, up to the next possible break, still fits.
            const size_t after = column + node.textSize;
            if (unlimited || entry.mode == Mode::Flat || fits(width, after, true, {}, &stack)) {
                out += textOf(node);
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
        Entry entry{};
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
            column += node.textSize;
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
            column += node.textSize;
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

    /// The document of `root`. A loop over a stack of open containers, not a recursion: with
    /// limit: :infinity a term nested a million levels deep is a million open containers.
    Docs::Id toDoc(const Term &root, int limit)
    {
        std::vector<Frame> open;
        Docs::Id done = Docs::empty();
        if (!start(root, limit, open, done))
            return done;
        for (;;) {
            Frame &frame = open.back();
            if (const std::optional<Child> child = next(frame)) {
                Docs::Id doc = Docs::empty();
                if (start(*child->term, child->limit, open, doc))
                    continue; // a container: its frame is on top now
                give(open.back(), doc);
                continue;
            }
            const Docs::Id doc = finish(frame);
            open.pop_back();
            if (open.empty())
                return doc;
            give(open.back(), doc);
        }
    }

private:
    enum class Breaks {
        Maybe, // flex (filling lines) when every element is simple, else strict
        Strict, // one element per line once the container does not fit
        Flex, // always fill lines
    };

    /// Inspect.Algebra.container_doc/6 once the element documents are made.
    Docs::Id containerDoc(std::string_view open, const std::vector<Docs::Id> &items, bool allSimple,
        std::string_view close, Breaks breaks)
    {
        if (items.empty())
            return m_docs.concat(m_docs.text(open), m_docs.text(close));
        const bool flex = (breaks == Breaks::Maybe && allSimple) || breaks == Breaks::Flex;
        Docs::Id body = items.back();
        for (size_t i = items.size() - 1; i-- > 0;)
            body = join(items[i], body, flex, ",");
        if (flex)
            return m_docs.group(m_docs.concat(
                { m_docs.text(open), m_docs.nest(body, 1), m_docs.text(close) }));
        const Docs::Id opened = m_docs.concat({ m_docs.text(open), m_docs.strictBreak(""), body });
        return m_docs.group(
            m_docs.concat({ m_docs.nest(opened, 2), m_docs.strictBreak(""), m_docs.text(close) }));
    }

    Docs::Id join(Docs::Id left, Docs::Id right, bool flex, std::string_view separator)
    {
        const Docs::Id gap = flex ? m_docs.flexBreak(" ") : m_docs.strictBreak(" ");
        return m_docs.concat({ left, m_docs.text(separator), gap, right });
    }

    /// A container being printed: the documents of the elements done so far, and where the
    /// next one is.
    struct Frame {
        enum class Kind : uint8_t { Tuple,
            List,
            KeywordList,
            Map,
            KeywordMap,
            Struct };
        Frame(Kind k, const Term *t, int l)
            : kind(k)
            , term(t)
            , limit(l)
        {
        }
        Kind kind;
        const Term *term;
        int limit; ///< what is left of the container's limit
        size_t index = 0; ///< tuples, maps, structs: the next element
        const Term *cell = nullptr; ///< lists: the next cell
        std::vector<Docs::Id> items;
        bool allSimple = true;
        bool stopped = false; ///< "..." was added
        bool awaitingTail = false; ///< lists: the head is in `pending`, the improper tail comes
        bool awaitingValue = false; ///< maps: the key is in `pending`, the value comes
        Docs::Id pending = Docs::empty();
        std::string key; ///< keyword lists, keyword maps, structs: the key of the awaited value
        std::vector<Atom> fields; ///< structs
    };
    struct Child {
        const Term *term;
        int limit;
    };

    /// A leaf's document in `doc` (false), or a container's frame pushed on `open` (true).
    bool start(const Term &t, int limit, std::vector<Frame> &open, Docs::Id &doc)
    {
        switch (t.kind()) {
        case TermKind::Integer:
            doc = m_docs.text(std::to_string(t.asInteger()));
            return false;
        case TermKind::Float:
            doc = m_docs.text(elixirFloat(t.asFloat()));
            return false;
        case TermKind::Atom:
            doc = m_docs.text(elixirAtom(t.asAtom().name()));
            return false;
        case TermKind::Reference:
            doc = m_docs.text("#Reference" + refBody(t));
            return false;
        case TermKind::Function: {
            // A capture of a named function prints as Elixir writes it: &Enum.map/2.
            const std::string body = functionBody(t);
            doc = m_docs.text(body.starts_with("&") ? body : "#Function<" + body + ">");
            return false;
        }
        case TermKind::Pid:
            doc = m_docs.text("#PID" + pidText(t.asPid()));
            return false;
        case TermKind::Nil:
            doc = m_docs.text("[]");
            return false;
        case TermKind::Binary:
            doc = binaryDoc(t.asBinary(), limit);
            return false;
        case TermKind::Tuple:
            open.emplace_back(Frame::Kind::Tuple, &t, limit);
            return true;
        case TermKind::Cons:
            if (isPrintableCharlist(t)) {
                doc = charlistDoc(t);
                return false;
            }
            open.emplace_back(isKeywordList(t) ? Frame::Kind::KeywordList : Frame::Kind::List, &t, limit);
            open.back().cell = &t;
            return true;
        case TermKind::Map: {
            if (auto range = rangeText(t)) {
                doc = m_docs.text(*range);
                return false;
            }
            if (auto fields = structFields(t)) {
                open.emplace_back(Frame::Kind::Struct, &t, limit);
                open.back().fields = std::move(*fields);
                return true;
            }
            const auto &entries = t.mapEntries();
            const bool keyword = std::all_of(entries.begin(), entries.end(), [](const auto &entry) {
                return entry.first.isAtom() && !entry.first.asAtom().name().starts_with("Elixir.");
            });
            open.emplace_back(keyword ? Frame::Kind::KeywordMap : Frame::Kind::Map, &t, limit);
            return true;
        }
        }
        doc = Docs::empty();
        return false;
    }

    /// The next element `frame` needs, or nullopt when it has them all. Each element gets what
    /// is left of the limit after counting itself.
    std::optional<Child> next(Frame &f)
    {
        const auto stop = [&] {
            f.items.push_back(m_docs.text("..."));
            f.stopped = true;
        };
        if (f.stopped)
            return std::nullopt;
        switch (f.kind) {
        case Frame::Kind::Tuple:
            if (f.index == f.term->tupleSize())
                return std::nullopt;
            if (f.limit == 0) {
                stop();
                return std::nullopt;
            }
            return Child{ &(*f.term)[f.index++], --f.limit };
        case Frame::Kind::List:
            if (f.awaitingTail)
                return Child{ f.cell, f.limit }; // the improper tail
            if (!f.cell->isCons())
                return std::nullopt;
            if (f.limit == 0) {
                stop();
                return std::nullopt;
            }
            return Child{ &f.cell->head(), --f.limit };
        case Frame::Kind::KeywordList: {
            if (!f.cell->isCons())
                return std::nullopt;
            if (f.limit == 0) {
                stop();
                return std::nullopt;
            }
            const Term &pair = f.cell->head();
            f.key = std::string(pair[0].asAtom().name());
            f.cell = &f.cell->tail();
            return Child{ &pair[1], --f.limit };
        }
        case Frame::Kind::Map:
        case Frame::Kind::KeywordMap: {
            const auto &entries = f.term->mapEntries();
            if (f.awaitingValue)
                return Child{ &entries[f.index - 1].second, f.limit };
            if (f.index == entries.size())
                return std::nullopt;
            if (f.limit == 0) {
                stop();
                return std::nullopt;
            }
            const auto &[key, value] = entries[f.index++];
            --f.limit;
            if (f.kind == Frame::Kind::KeywordMap) {
                f.key = std::string(key.asAtom().name());
                return Child{ &value, f.limit };
            }
            return Child{ &key, f.limit };
        }
        case Frame::Kind::Struct: {
            if (f.index == f.fields.size())
                return std::nullopt;
            if (f.limit == 0) {
                stop();
                return std::nullopt;
            }
            const Atom field = f.fields[f.index++];
            f.key = std::string(field.name());
            return Child{ f.term->mapFind(Term(field)), --f.limit };
        }
        }
        return std::nullopt;
    }

    /// Takes the document of the element `next` asked for.
    void give(Frame &f, Docs::Id doc)
    {
        switch (f.kind) {
        case Frame::Kind::Tuple:
            f.items.push_back(doc);
            return;
        case Frame::Kind::List:
            f.allSimple = f.allSimple && m_docs.isSimple(doc);
            if (f.awaitingTail) {
                // An improper tail joins its last element as "head | tail".
                f.items.push_back(join(f.pending, doc, f.allSimple, " |"));
                f.awaitingTail = false;
                static const Term end; // [], an immediate: nothing shared between threads
                f.cell = &end; // the list ends here
                return;
            }
            if (f.cell->tail().isList()) {
                f.items.push_back(doc);
                f.cell = &f.cell->tail();
                return;
            }
            f.pending = doc;
            f.awaitingTail = true;
            f.cell = &f.cell->tail();
            return;
        case Frame::Kind::KeywordList:
        case Frame::Kind::KeywordMap:
        case Frame::Kind::Struct:
            f.items.push_back(m_docs.concat({ m_docs.text(elixirKey(f.key) + " "), doc }));
            return;
        case Frame::Kind::Map:
            if (!f.awaitingValue) {
                f.pending = doc;
                f.awaitingValue = true;
                return;
            }
            f.items.push_back(m_docs.concat({ f.pending, m_docs.text(" => "), doc }));
            f.awaitingValue = false;
            return;
        }
    }

    /// The container's document once its elements are done.
    Docs::Id finish(Frame &f)
    {
        switch (f.kind) {
        case Frame::Kind::Tuple:
            return containerDoc("{", f.items, false, "}", Breaks::Flex);
        case Frame::Kind::List:
            return containerDoc("[", f.items, f.allSimple, "]", Breaks::Maybe);
        case Frame::Kind::KeywordList:
            return containerDoc("[", f.items, false, "]", Breaks::Strict);
        case Frame::Kind::Map:
        case Frame::Kind::KeywordMap:
            return containerDoc("%{", f.items, false, "}", Breaks::Strict);
        case Frame::Kind::Struct:
            return containerDoc(
                "%" + elixirAtom(f.term->structModule()->asAtom().name()) + "{", f.items, false, "}", Breaks::Strict);
        }
        return Docs::empty();
    }

    Docs::Id charlistDoc(const Term &list)
    {
        std::string bytes;
        for (const Term *cell = &list; cell->isCons(); cell = &cell->tail())
            if (cell->head().isInteger() && cell->head().asInteger() >= 0 && cell->head().asInteger() <= 0x10FFFF)
                utf8::append(bytes, static_cast<uint32_t>(cell->head().asInteger()));
        std::string out = "'";
        const bool complete = appendElixirEscaped(out, bytes, '\'', kPrintableLimit);
        return m_docs.text(out + (complete ? "'" : "' ++ ..."));
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

std::string elixirStringLiteral(std::string_view text)
{
    return elixirQuoted(text);
}

void Term::declareStructFields(std::string_view elixirModule, std::vector<Atom> fields)
{
    StructFields::instance().declare("Elixir." + std::string(elixirModule), std::move(fields));
}

} // namespace mailroom
