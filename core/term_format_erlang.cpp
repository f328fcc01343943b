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
    for (;;) {
        Open &top = stack.back();
        if (top.next < top.parts.size()) {
            const Term &child = *top.parts[top.next++];
            if (auto id = leafOf(child)) {
                top.built.push_back(*id);
            } else {
                stack.push_back(open(child));
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
///
/// The Erlang recurses once per level; here a work stack holds what is left to do, so a
/// term nested a million levels costs no machine stack. That works because what follows a
/// nested element never depends on how the element was laid out: an element that does not
/// fit on one line counts as the whole line (?LL), whatever it printed. Each function
/// writes what it can and, at an element that needs a layout of its own, pushes the rest of
/// its work (Tail, MapTail, the closing bracket) and then the element, and returns.
class ErlangPretty {
public:
    ErlangPretty(const ErlangLayout &layout, long lineLength, long maxChars)
        : m_layout(layout)
        , m_ll(lineLength)
        , m_m(maxChars)
    {
    }

    /// The layout, or nullopt when it would take more than kMaxBytes (or kMaxWork pending
    /// steps): Erlang's layout of a deep term grows with the square of its depth.
    std::optional<std::string> print(ErlangLayout::Id root, long col)
    {
        // The indentation of tagged tuples' elements: under the tag when that stays in
        // the left half of the line, else 4, else 1.
        m_tind = -1;
        if (!cind(root, col, 0, 0)) {
            m_tind = 4;
            if (!cind(root, col, 0, 0))
                m_tind = 1;
        }
        if (!pp(root, col, col - 1, 0, 0))
            return std::nullopt;
        return std::move(m_out);
    }

    static constexpr size_t kMaxBytes = size_t(64) << 20U;
    static constexpr size_t kMaxWork = size_t(1) << 20U;

private:
    using Id = ErlangLayout::Id;
    using Kind = ErlangLayout::Kind;

    enum class Op : uint8_t {
        Text, // write `text`
        Newline, // a line break indented by `ind`
        Pp, // pp(id, col, ind, ld, w)
        Tail, // pp_tail: list or tuple `id` from element `from`
        MapTail, // pp_map's loop: map `id` from pair `from`
        Cind, // cind(id, col, ld, w)
        CindTail,
        CindMapTail,
    };
    struct Task {
        Op op = Op::Text;
        char sep = ',';
        Id id = 0;
        uint32_t from = 0;
        long col0 = 0;
        long col = 0;
        long ind = 0;
        long ld = 0;
        long w = 0;
        const char *text = nullptr;
    };

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

    void push(Op op, Id id, long col, long ind, long ld, long w)
    {
        Task t;
        t.op = op;
        t.id = id;
        t.col = col;
        t.ind = ind;
        t.ld = ld;
        t.w = w;
        m_work.push_back(t);
    }
    void pushTail(Op op, Id id, size_t from, long col0, long col, long ind, long ld, long w, char sep = ',')
    {
        Task t;
        t.op = op;
        t.id = id;
        t.from = static_cast<uint32_t>(from);
        t.col0 = col0;
        t.col = col;
        t.ind = ind;
        t.ld = ld;
        t.w = w;
        t.sep = sep;
        m_work.push_back(t);
    }
    void pushText(const char *text)
    {
        Task t;
        t.text = text;
        m_work.push_back(t);
    }

    /// Runs the work stack from `first`; false when a cind check fails or a bound is passed.
    bool run(Task first)
    {
        m_work.clear();
        m_work.push_back(first);
        while (!m_work.empty()) {
            if (m_work.size() > kMaxWork || m_out.size() > kMaxBytes)
                return false;
            const Task t = m_work.back();
            m_work.pop_back();
            bool ok = true;
            switch (t.op) {
            case Op::Text:
                m_out += t.text;
                break;
            case Op::Newline:
                newline(t.ind);
                break;
            case Op::Pp:
                ppStep(t.id, t.col, t.ind, t.ld, t.w);
                break;
            case Op::Tail:
                ppTail(t.id, t.from, t.col0, t.col, t.ind, t.ld, t.sep, t.w);
                break;
            case Op::MapTail:
                ppMapTail(t.id, t.from, t.col0, t.col, t.ind, t.ld, t.w);
                break;
            case Op::Cind:
                ok = cindStep(t.id, t.col, t.ld, t.w);
                break;
            case Op::CindTail:
                ok = cindTail(t.id, t.from, t.col0, t.col, t.ld, t.w);
                break;
            case Op::CindMapTail:
                ok = cindMapTail(t.id, t.from, t.col0, t.col, t.ld, t.w);
                break;
            }
            if (!ok) {
                m_work.clear();
                return false;
            }
        }
        return true;
    }

    bool pp(Id id, long col, long ind, long ld, long w)
    {
        Task t;
        t.op = Op::Pp;
        t.id = id;
        t.col = col;
        t.ind = ind;
        t.ld = ld;
        t.w = w;
        return run(t);
    }

    void ppStep(Id id, long col, long ind, long ld, long w)
    {
        if (fitsAt(id, col, ld, w)) {
            write(id);
            return;
        }
        const auto &n = node(id);
        switch (n.kind) {
        case Kind::List:
            m_out += '[';
            pushText("]");
            ppList(id, 0, col + 1, ind + 1, ld, '|', w + 1);
            break;
        case Kind::Tuple:
            m_out += '{';
            pushText("}");
            if (n.tagged)
                ppTagTuple(id, col, ind, ld, w + 1);
            else
                ppList(id, 0, col + 1, ind + 1, ld, ',', w + 1);
            break;
        case Kind::Map:
            m_out += "#{";
            pushText("}");
            ppMap(id, col + 2, ind + 2, ld, w + 1);
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

    void ppTagTuple(Id id, long col, long ind, long ld, long w)
    {
        const auto &n = node(id);
        const long tlen = len(n.children[0]);
        const long tagInd = tlen + 2;
        const long tcol = col + tagInd;
        write(n.children[0]);
        if (m_tind > 0 && tagInd > m_tind) {
            const long wrapCol = col + m_tind; // where elements after the first wrap to
            ppTail(id, 1, wrapCol, tcol, ind + m_tind, ld, ',', w + tlen);
        } else {
            m_out += ',';
            ppList(id, 1, tcol, ind + tagInd, ld, ',', w + tlen + 1);
        }
    }

    void ppList(Id id, size_t from, long col0, long ind, long ld, char sep, long w)
    {
        const auto &n = node(id);
        const Id e = n.children[from];
        const long ld1 = lastDepth(n, from, ld);
        if (fitsAt(e, col0, ld1, w) && atomic(e)) {
            write(e);
            ppTail(id, from + 1, col0, col0 + len(e), ind, ld, sep, w + len(e));
            return;
        }
        // The element takes the rest of the line (m_ll): the next one starts a new line.
        pushTail(Op::Tail, id, from + 1, col0, col0 + m_ll, ind, ld, w + m_ll, sep);
        push(Op::Pp, e, col0, ind, ld1, w);
    }

    void ppTail(Id id, size_t from, long col0, long col, long ind, long ld, char sep, long w)
    {
        const auto &n = node(id);
        for (size_t i = from; i < properCount(n); ++i) {
            const Id e = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(e);
            m_out += ',';
            if (fitsAfter(elen, col, ld1, w) && atomic(e)) {
                write(e);
                col += elen;
                w += elen;
                continue;
            }
            newline(ind);
            if (fitsAt(e, col0, ld1, 0) && atomic(e)) {
                write(e);
                col = col0 + len(e);
                w = len(e);
                continue;
            }
            pushTail(Op::Tail, id, i + 1, col0, col0 + m_ll, ind, ld, m_ll, sep);
            push(Op::Pp, e, col0, ind, ld1, 0);
            return;
        }
        if (!n.improper)
            return;
        const Id tail = n.children.back();
        m_out += sep;
        if (len(tail) + 1 < m_ll - col - (ld + 1) && len(tail) + 1 + w + (ld + 1) <= m_m && atomic(tail)) {
            write(tail);
        } else {
            newline(ind);
            push(Op::Pp, tail, col0, ind, ld + 1, 0);
        }
    }

    /// A pair that does not fit on its line: key on one line, value below it, indented.
    void pushPair(Id p, long col, long ind, long ld, long w)
    {
        const long valueIndent = m_tind > 0 ? m_tind : 4;
        push(Op::Pp, node(p).children[1], col + valueIndent, ind + valueIndent, ld, 0);
        push(Op::Newline, 0, 0, ind + valueIndent, 0, 0);
        pushText(" =>");
        push(Op::Pp, node(p).children[0], col, ind, ld, w);
    }

    void ppMap(Id id, long col, long ind, long ld, long w)
    {
        const auto &n = node(id);
        const Id p = n.children[0];
        const long ld1 = lastDepth(n, 0, ld);
        if (fitsAt(p, col, ld1, w)) {
            write(p);
            const long pw = atomicPair(p) ? len(p) : m_ll;
            ppMapTail(id, 1, col, col + pw, ind, ld, pw);
            return;
        }
        pushTail(Op::MapTail, id, 1, col, col + m_ll, ind, ld, m_ll);
        pushPair(p, col, ind, ld1, w);
    }

    void ppMapTail(Id id, size_t from, long col0, long col, long ind, long ld, long w)
    {
        const auto &n = node(id);
        for (size_t i = from; i < n.children.size(); ++i) {
            const Id p = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(p);
            m_out += ',';
            if (fitsAfter(elen, col, ld1, w) && atomicPair(p)) {
                write(p);
                col += elen;
                w += elen;
                continue;
            }
            newline(ind);
            if (fitsAt(p, col0, ld1, 0)) {
                write(p);
                const long pw = atomicPair(p) ? len(p) : m_ll;
                col = col0 + pw;
                w = pw;
                continue;
            }
            pushTail(Op::MapTail, id, i + 1, col0, col0 + m_ll, ind, ld, m_ll);
            pushPair(p, col0, ind, ld1, 0);
            return;
        }
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
    // (The Erlang throws no_good where these return false.) Each step checks what it can
    // and pushes what is left, as pp's do; every pushed check must pass.

    bool cind(Id id, long col, long ld, long w)
    {
        Task t;
        t.op = Op::Cind;
        t.id = id;
        t.col = col;
        t.ld = ld;
        t.w = w;
        const bool ok = run(t);
        m_out.clear(); // run() checks the output's size, which cind leaves empty
        return ok;
    }

    bool cindStep(Id id, long col, long ld, long w)
    {
        if (fitsAt(id, col, ld, w))
            return true;
        const auto &n = node(id);
        switch (n.kind) {
        case Kind::List:
            return cindList(id, 0, col + 1, ld, w + 1);
        case Kind::Tuple:
            return n.tagged ? cindTagTuple(id, col, ld, w + 1) : cindList(id, 0, col + 1, ld, w + 1);
        case Kind::Map:
            return cindMap(id, col + 2, ld, w + 2);
        case Kind::Leaf:
        case Kind::Bytes:
        case Kind::Pair:
            break;
        }
        return true;
    }

    bool cindTagTuple(Id id, long col, long ld, long w)
    {
        const auto &n = node(id);
        const long tlen = len(n.children[0]);
        const long tagInd = tlen + 2;
        const long tcol = col + tagInd;
        if (m_tind > 0 && tagInd > m_tind) {
            const long wrapCol = col + m_tind; // where elements after the first wrap to
            if (m_m + wrapCol <= m_ll || wrapCol <= m_ll / 2)
                return cindTail(id, 1, wrapCol, tcol, ld, w + tlen);
            return false;
        }
        if (m_m + tcol < m_ll || tcol < m_ll / 2)
            return cindList(id, 1, tcol, ld, w + tlen + 1);
        return false;
    }

    bool cindList(Id id, size_t from, long col0, long ld, long w)
    {
        const auto &n = node(id);
        const Id e = n.children[from];
        const long ld1 = lastDepth(n, from, ld);
        if (fitsAt(e, col0, ld1, w) && atomic(e))
            return cindTail(id, from + 1, col0, col0 + len(e), ld, w + len(e));
        pushTail(Op::CindTail, id, from + 1, col0, col0 + m_ll, 0, ld, w + m_ll);
        push(Op::Cind, e, col0, 0, ld1, w);
        return true;
    }

    bool cindTail(Id id, size_t from, long col0, long col, long ld, long w)
    {
        const auto &n = node(id);
        for (size_t i = from; i < properCount(n); ++i) {
            const Id e = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(e);
            if (fitsAfter(elen, col, ld1, w) && atomic(e)) {
                col += elen;
                w += elen;
            } else if (fitsAt(e, col0, ld1, 0) && atomic(e)) {
                col = col0 + len(e);
                w = len(e);
            } else {
                pushTail(Op::CindTail, id, i + 1, col0, col0 + m_ll, 0, ld, m_ll);
                push(Op::Cind, e, col0, 0, ld1, 0);
                return true;
            }
        }
        if (!n.improper)
            return true;
        const Id tail = n.children.back();
        if (len(tail) + 1 < m_ll - col - (ld + 1) && len(tail) + 1 + w + (ld + 1) <= m_m && atomic(tail))
            return true;
        push(Op::Cind, tail, col, 0, ld + 1, 0); // sic: col, where pp uses col0
        return true;
    }

    void pushCindPair(Id p, long col, long ld, long w)
    {
        const long valueIndent = m_tind > 0 ? m_tind : 4;
        push(Op::Cind, node(p).children[1], col + valueIndent, 0, ld, 0);
        push(Op::Cind, node(p).children[0], col, 0, ld, w);
    }

    bool cindMap(Id id, long col, long ld, long w)
    {
        const auto &n = node(id);
        const Id p = n.children[0];
        const long ld1 = lastDepth(n, 0, ld);
        if (fitsAt(p, col, ld1, w)) {
            const long first = atomicPair(p) ? len(p) : m_ll;
            return cindMapTail(id, 1, col, col + first, ld, w + first); // sic: pp_map restarts W
        }
        pushTail(Op::CindMapTail, id, 1, col, col + m_ll, 0, ld, w + m_ll);
        pushCindPair(p, col, ld1, w);
        return true;
    }

    bool cindMapTail(Id id, size_t from, long col0, long col, long ld, long w)
    {
        const auto &n = node(id);
        for (size_t i = from; i < n.children.size(); ++i) {
            const Id p = n.children[i];
            const long ld1 = lastDepth(n, i, ld);
            const long elen = 1 + len(p);
            if (fitsAfter(elen, col, ld1, w) && atomicPair(p)) {
                col += elen;
                w += elen;
            } else if (fitsAt(p, col0, ld1, 0)) {
                const long pw = atomicPair(p) ? len(p) : m_ll;
                col = col0 + pw;
                w = pw;
            } else {
                pushTail(Op::CindMapTail, id, i + 1, col0, col0 + m_ll, 0, ld, m_ll);
                pushCindPair(p, col0, ld1, 0);
                return true;
            }
        }
        return true;
    }

    const ErlangLayout &m_layout;
    const long m_ll; // line length
    const long m_m; // most characters per line: the whole term's length, as ~p passes none
    long m_tind = -1;
    std::string m_out;
    std::vector<Task> m_work; // what is left to do, the next step last
};

std::string ErlangLayout::print(long column, long lineLength) const
{
    const Node &root = m_nodes[m_root];
    // Single-line when it fits; leaves (atoms, numbers, strings) never break.
    if (root.kind == Kind::Leaf || root.length < lineLength - column)
        return oneLine();
    // A layout too large to keep (Erlang's grows with the square of the depth: a million
    // nested tuples would take terabytes) prints on one line.
    if (auto laidOut = ErlangPretty(*this, lineLength, root.length).print(m_root, column))
        return std::move(*laidOut);
    return oneLine();
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
