// SPDX-License-Identifier: MIT
// Printing terms in Erlang syntax as OTP 25's "~tp" prints it, laid out by io_lib_pretty's
// rules, reproduced rule for rule; tests/core/tst_term_format.cpp holds strings recorded from
// real runs. The Elixir syntax is term_format_elixir.cpp.

#include "term.h"

#include "detail/term_text.h"
#include "labels.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mailroom {

using namespace detail;

namespace {

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

/// The deepest nesting laid out over several lines; ~p's layout of a deeper term is one line.
constexpr size_t kMaxPrettyDepth = 100;

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

    /// A term that prints as one piece of text (a leaf), or nullopt for a container.
    std::optional<Id> leafOf(const Term &t);
    Id build(const Term &root);
    void write(Id root, std::string &out) const;

    friend class ErlangPretty;
    std::vector<Node> m_nodes;
    Id m_root = 0;
    size_t m_depth = 0; ///< how many containers nest at most
};

std::optional<ErlangLayout::Id> ErlangLayout::leafOf(const Term &t)
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
        return leaf(pidText(t.asPid()));
    case TermKind::Nil:
        return leaf("[]");
    case TermKind::Tuple:
        if (t.tupleSize() == 0)
            return leaf("{}");
        return std::nullopt;
    case TermKind::Map:
        if (t.mapSize() == 0)
            return leaf("#{}");
        return std::nullopt;
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
        return std::nullopt;
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

// A loop over the open containers, not a recursion: a term may nest a million levels.
ErlangLayout::Id ErlangLayout::build(const Term &root)
{
    struct Open {
        const Term *term;
        std::vector<const Term *> parts; // the elements; a map's keys and values alternate
        size_t next = 0;
        std::vector<Id> built;
        bool improper = false;
    };
    const auto open = [](const Term &t) {
        Open o{ &t, {}, 0, {}, false };
        if (t.isTuple()) {
            for (size_t i = 0; i < t.tupleSize(); ++i)
                o.parts.push_back(&t[i]);
        } else if (t.isMap()) {
            for (const auto &[key, value] : t.mapEntries()) {
                o.parts.push_back(&key);
                o.parts.push_back(&value);
            }
        } else {
            const Term *cell = &t;
            for (; cell->isCons(); cell = &cell->tail())
                o.parts.push_back(&cell->head());
            o.improper = !cell->isNil();
            if (o.improper)
                o.parts.push_back(cell);
        }
        return o;
    };
    const auto close = [this](Open &o) {
        const Term &t = *o.term;
        if (t.isTuple())
            return container(Kind::Tuple, std::move(o.built), 2, t[0].isAtom() && t.tupleSize() > 1);
        if (t.isMap()) {
            std::vector<Id> pairs;
            for (size_t i = 0; i + 1 < o.built.size(); i += 2) {
                const Id k = o.built[i];
                const Id v = o.built[i + 1];
                const long length = m_nodes[k].length + 4 + m_nodes[v].length; // " => "
                pairs.push_back(add({ Kind::Pair, false, false, length, {}, { k, v } }));
            }
            return container(Kind::Map, std::move(pairs), 3);
        }
        return container(Kind::List, std::move(o.built), 2, false, o.improper);
    };
    if (auto id = leafOf(root))
        return *id;
    std::vector<Open> stack;
    stack.push_back(open(root));
    m_depth = 1;
    for (;;) {
        Open &top = stack.back();
        if (top.next < top.parts.size()) {
            const Term &child = *top.parts[top.next++];
            if (auto id = leafOf(child)) {
                top.built.push_back(*id);
            } else {
                stack.push_back(open(child));
                m_depth = std::max(m_depth, stack.size());
            }
            continue;
        }
        const Id done = close(top);
        stack.pop_back();
        if (stack.empty())
            return done;
        stack.back().built.push_back(done);
    }
}

void ErlangLayout::write(Id root, std::string &out) const
{
    // Without recursing: the work list holds nodes to write and the punctuation between them.
    struct Work {
        Id id;
        const char *text; ///< to append instead, when not null
    };
    std::vector<Work> work{ { root, nullptr } };
    while (!work.empty()) {
        const Work item = work.back();
        work.pop_back();
        if (item.text != nullptr) {
            out += item.text;
            continue;
        }
        const Node &node = m_nodes[item.id];
        const auto items = [&](const char *open, const char *lastSeparator, const char *close) {
            out += open;
            work.push_back({ 0, close });
            for (size_t i = node.children.size(); i-- > 0;) {
                work.push_back({ node.children[i], nullptr });
                if (i > 0)
                    work.push_back({ 0, node.improper && i + 1 == node.children.size() ? lastSeparator : "," });
            }
        };
        switch (node.kind) {
        case Kind::Leaf:
        case Kind::Bytes:
            out += node.text;
            break;
        case Kind::List:
            items("[", "|", "]");
            break;
        case Kind::Tuple:
            items("{", ",", "}");
            break;
        case Kind::Map:
            items("#{", ",", "}");
            break;
        case Kind::Pair:
            work.push_back({ node.children[1], nullptr });
            work.push_back({ 0, " => " });
            work.push_back({ node.children[0], nullptr });
            break;
        }
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
    // io_lib_pretty's layout recurses once per level (as its pp and cind do in Erlang): a term
    // nested deeper than this prints on one line instead of overflowing the stack it runs on.
    if (m_depth > kMaxPrettyDepth)
        return oneLine();
    return ErlangPretty(*this, lineLength, root.length).print(m_root, column);
}

} // namespace

std::string Term::toErlang() const
{
    return ErlangLayout(*this).oneLine();
}

std::string Term::toErlangWrapped(size_t startColumn) const
{
    constexpr long kLineLength = 80; // ~p's default field width
    return ErlangLayout(*this).print(static_cast<long>(startColumn) + 1, kLineLength);
}

} // namespace mailroom
