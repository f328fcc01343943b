// SPDX-License-Identifier: MIT
// The event record read back from JSON Lines (docs/events.md), refusing what is not in it
// with the line and column.

#include "eventjson.h"

#include "stacklimit.h"
#include "utf8.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace mailroom {

namespace {

/// A function read back from a recording: it prints as it did, but cannot run.
class RecordedFunction final : public FunctionValue {
public:
    explicit RecordedFunction(std::string description)
        : m_description(std::move(description)) {}
    [[nodiscard]] int arity() const override { return 0; }
    [[nodiscard]] std::string describe() const override { return m_description; }
    [[nodiscard]] Term call(const std::vector<Term> & /*args*/) const override
    {
        throw std::runtime_error("a function read back from a recording cannot be called");
    }

private:
    std::string m_description;
};

/// A state written as a marker, resolved once the whole line (its pid, its type) is read.
struct StateMarker {
    enum Kind { None,
        Same,
        Prepend } kind
        = None;
    size_t column = 0; // 1-based, where the marker starts
    Term items; // Prepend: the elements in front of the previous state
};

/// A small strict JSON reader for the record's own format: objects, arrays, strings,
/// integers and doubles, `null`. Errors name the column (1-based) where reading stopped.
class JsonReader {
public:
    explicit JsonReader(std::string_view text)
        : m_text(text), m_stack(kStackBudget) {}

    bool fail(const std::string &what)
    {
        if (m_error.empty())
            m_error = what + " at column " + std::to_string(m_pos + 1);
        return false;
    }
    /// Fails naming `column` (1-based) instead of the current one.
    bool failAt(size_t column, const std::string &what)
    {
        if (m_error.empty())
            m_error = what + " at column " + std::to_string(column);
        return false;
    }
    [[nodiscard]] const std::string &error() const { return m_error; }
    /// Where reading stands (1-based).
    [[nodiscard]] size_t column() const { return m_pos + 1; }
    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\r'))
            ++m_pos;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_pos < m_text.size() && m_text[m_pos] == c;
    }
    bool expect(char c)
    {
        if (!peek(c))
            return fail(std::string("expected '") + c + "'");
        ++m_pos;
        return true;
    }
    [[nodiscard]] bool atEnd()
    {
        skipSpace();
        return m_pos >= m_text.size();
    }

    bool string(std::string &out)
    {
        if (!expect('"'))
            return false;
        out.clear();
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return true;
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size())
                break;
            const char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'u': {
                if (m_pos + 4 > m_text.size())
                    return fail("truncated \\u escape");
                uint32_t cp = 0;
                for (int k = 0; k < 4; ++k) {
                    const char h = m_text[m_pos++];
                    cp <<= 4U;
                    if (h >= '0' && h <= '9')
                        cp |= uint32_t(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        cp |= uint32_t(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        cp |= uint32_t(h - 'A' + 10);
                    else
                        return fail("bad \\u escape");
                }
                utf8::append(out, cp); // cp < 0x10000: three bytes at most
                break;
            }
            default:
                return fail("bad escape in string");
            }
        }
        return fail("unterminated string");
    }

    /// An integer (no fraction or exponent) that fits in int64.
    bool integer(int64_t &out)
    {
        skipSpace();
        const size_t start = m_pos;
        if (m_pos < m_text.size() && m_text[m_pos] == '-')
            ++m_pos;
        const size_t digits = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9')
            ++m_pos;
        if (m_pos == digits || m_pos - digits > 19)
            return fail("expected an integer");
        if (m_pos < m_text.size() && (m_text[m_pos] == '.' || m_text[m_pos] == 'e' || m_text[m_pos] == 'E'))
            return fail("expected an integer");
        const std::string text(m_text.substr(start, m_pos - start));
        errno = 0;
        char *end = nullptr;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (errno != 0)
            return fail("integer out of range");
        out = v;
        return true;
    }

    bool number(double &out)
    {
        skipSpace();
        if (m_text.substr(m_pos).starts_with("null")) {
            m_pos += 4;
            out = std::numeric_limits<double>::quiet_NaN();
            return true;
        }
        const size_t start = m_pos;
        while (m_pos < m_text.size() && std::strchr("+-0123456789.eE", m_text[m_pos]) != nullptr)
            ++m_pos;
        if (m_pos == start)
            return fail("expected a number");
        const std::string text(m_text.substr(start, m_pos - start));
        char *end = nullptr;
        out = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size())
            return fail("bad number");
        return true;
    }

    bool term(Term &out, int depth = 0)
    {
        // Each level of nesting is a level of recursion here: a file nested deeper than the
        // limit, or than the stack this runs on allows, is refused rather than let overflow it.
        if (depth > kMaxDepth || m_stack.exceeded())
            return fail("term nested too deeply (more than " + std::to_string(kMaxDepth) + " levels, or than the stack allows)");
        skipSpace();
        if (m_pos >= m_text.size())
            return fail("expected a term");
        const char c = m_text[m_pos];
        if (c == '[')
            return list(out, depth);
        if (c == '-' || (c >= '0' && c <= '9')) {
            int64_t v = 0;
            if (!integer(v))
                return false;
            out = Term::integer(v);
            return true;
        }
        if (c != '{')
            return fail("expected a term");
        ++m_pos;
        std::string key;
        if (!string(key) || !expect(':'))
            return false;
        if (key == "a" || key == "s" || key == "b" || key == "fun" || key == "i") {
            std::string text;
            if (!string(text))
                return false;
            if (key == "a")
                out = Term::atom(text);
            else if (key == "s")
                out = Term::binary(std::move(text));
            else if (key == "b") {
                std::string bytes;
                if (!unbase64(text, bytes))
                    return fail("bad base64");
                out = Term::binary(std::move(bytes));
            } else if (key == "i") {
                errno = 0;
                char *end = nullptr;
                const long long v = std::strtoll(text.c_str(), &end, 10);
                if (errno != 0 || end == text.c_str() || *end != '\0')
                    return fail("bad integer");
                out = Term::integer(v);
            } else {
                out = Term::function(new RecordedFunction(std::move(text)));
            }
        } else if (key == "f") {
            double v = 0;
            if (!number(v))
                return false;
            out = Term::floating(v);
        } else if (key == "pid" || key == "ref") {
            int64_t v = 0;
            if (!integer(v) || v < 0)
                return fail("bad " + key);
            out = key == "pid" ? Term(Pid{ static_cast<uint32_t>(v) }) : Term(Ref{ static_cast<uint64_t>(v) });
        } else if (key == "t") {
            Term items;
            if (!list(items, depth))
                return false;
            out = Term::tuple(items.listElements());
        } else if (key == "l") {
            Term items;
            Term tail;
            std::string tailKey;
            if (!list(items, depth) || !expect(',') || !string(tailKey) || tailKey != "tail" || !expect(':')
                || !term(tail, depth + 1))
                return fail("bad improper list");
            out = Term::list(items.listElements(), tail);
        } else if (key == "m") {
            if (!expect('['))
                return false;
            std::vector<std::pair<Term, Term>> entries;
            while (!peek(']')) {
                if (!entries.empty() && !expect(','))
                    return false;
                Term k;
                Term v;
                if (!expect('[') || !term(k, depth + 1) || !expect(',') || !term(v, depth + 1) || !expect(']'))
                    return false;
                entries.emplace_back(std::move(k), std::move(v));
            }
            ++m_pos;
            out = Term::map(std::move(entries));
        } else {
            return fail("unknown term tag \"" + key + "\"");
        }
        return expect('}');
    }

    /// The `term` field: a term, or a state marker (`{"same":true}`, `{"prepend":[...]}`),
    /// which `marker` then describes for the caller to resolve.
    bool stateTerm(Term &out, StateMarker &marker)
    {
        skipSpace();
        const size_t start = m_pos;
        if (peek('{')) {
            ++m_pos;
            std::string key;
            if (!string(key))
                return false;
            if (key == "same" || key == "prepend") {
                marker.column = start + 1;
                if (!expect(':'))
                    return false;
                if (key == "same") {
                    skipSpace();
                    if (!m_text.substr(m_pos).starts_with("true"))
                        return fail("expected true");
                    m_pos += 4;
                    marker.kind = StateMarker::Same;
                } else {
                    if (!list(marker.items, 0))
                        return false;
                    marker.kind = StateMarker::Prepend;
                }
                return expect('}');
            }
            m_pos = start;
        }
        return term(out);
    }

    bool list(Term &out, int depth)
    {
        if (!expect('['))
            return false;
        std::vector<Term> items;
        while (!peek(']')) {
            if (!items.empty() && !expect(','))
                return false;
            Term item;
            if (!term(item, depth + 1))
                return false;
            items.push_back(std::move(item));
        }
        ++m_pos;
        out = Term::list(items);
        return true;
    }

private:
    static bool unbase64(std::string_view in, std::string &out)
    {
        uint32_t buffer = 0;
        int bits = 0;
        for (const char c : in) {
            if (c == '=')
                break;
            const char *p = std::strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", c);
            if (p == nullptr || c == '\0')
                return false;
            buffer = (buffer << 6U) | uint32_t(p - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out += char((buffer >> unsigned(bits)) & 0xFFU);
            }
        }
        return true;
    }

    static constexpr int kMaxDepth = kMaxJsonTermDepth;
    /// Stack the reading of one line may use (less on a thread with less left).
    /// 4 MB: the kMaxJsonTermDepth levels the writer may write take about 3 KB each in an
    /// AddressSanitizer build (a few hundred bytes otherwise).
    static constexpr size_t kStackBudget = size_t(4) << 20U;

    std::string_view m_text;
    StackLimit m_stack;
    size_t m_pos = 0;
    std::string m_error;
};

} // namespace

std::optional<EventType> eventTypeFromString(std::string_view name)
{
    for (int t = 0; t <= static_cast<int>(EventType::StateInit); ++t)
        if (toString(static_cast<EventType>(t)) == name)
            return static_cast<EventType>(t);
    return std::nullopt;
}

std::optional<MessageKind> messageKindFromString(std::string_view name)
{
    for (int k = 0; k <= static_cast<int>(MessageKind::System); ++k)
        if (toString(static_cast<MessageKind>(k)) == name)
            return static_cast<MessageKind>(k);
    return std::nullopt;
}

bool termFromJson(std::string_view json, Term &out, std::string &error)
{
    JsonReader reader(json);
    if (!reader.term(out) || (!reader.atEnd() && !reader.fail("unexpected text after the term"))) {
        error = reader.error();
        return false;
    }
    return true;
}

bool readEventJsonLine(std::string_view line, Event &out, std::string &error)
{
    JsonlReader reader;
    return reader.read(line, out, error);
}

bool JsonlReader::read(std::string_view line, Event &out, std::string &error)
{
    JsonReader r(line);
    StateMarker marker;
    out = Event{};
    bool seen[11] = {};
    size_t seqColumn = 0;
    // Every field but the last is required; "line" is written only where it is not 0.
    static constexpr std::string_view kFields[] = { "seq", "time", "type", "kind", "flags",
        "pid", "other", "ref", "term", "extra", "line" };
    static constexpr size_t kRequired = 10;
    const auto ok = [&]() -> bool {
        if (!r.expect('{'))
            return false;
        bool first = true;
        while (!r.peek('}')) {
            if (!first && !r.expect(','))
                return false;
            first = false;
            std::string key;
            if (!r.string(key) || !r.expect(':'))
                return false;
            size_t index = 0;
            while (index < std::size(kFields) && kFields[index] != key)
                ++index;
            if (index == std::size(kFields))
                return r.fail("unknown field \"" + key + "\"");
            if (seen[index])
                return r.fail("field \"" + key + "\" given twice");
            seen[index] = true;
            int64_t v = 0;
            std::string text;
            switch (index) {
            case 0:
                r.skipSpace();
                seqColumn = r.column();
                if (!r.integer(v) || v < 1)
                    return r.fail("\"seq\" must be a positive integer");
                out.seq = static_cast<uint64_t>(v);
                break;
            case 1:
                if (!r.integer(v))
                    return false;
                out.time = v;
                break;
            case 2: {
                if (!r.string(text))
                    return false;
                const auto type = eventTypeFromString(text);
                if (!type)
                    return r.fail("unknown event type \"" + text + "\"");
                out.type = *type;
                break;
            }
            case 3: {
                if (!r.string(text))
                    return false;
                const auto kind = messageKindFromString(text);
                if (!kind)
                    return r.fail("unknown message kind \"" + text + "\"");
                out.kind = *kind;
                break;
            }
            case 4:
                if (!r.integer(v) || v < 0 || v > 255)
                    return r.fail("\"flags\" must be 0..255");
                out.flags = static_cast<uint8_t>(v);
                break;
            case 5:
            case 6:
                if (!r.integer(v) || v < 0 || v > UINT32_MAX)
                    return r.fail("a pid number must be 0..4294967295");
                (index == 5 ? out.pid : out.other) = Pid{ static_cast<uint32_t>(v) };
                break;
            case 7:
                if (!r.integer(v) || v < 0)
                    return r.fail("\"ref\" must be a non-negative integer");
                out.ref = static_cast<uint64_t>(v);
                break;
            case 8:
                if (!r.stateTerm(out.term, marker))
                    return false;
                break;
            case 9:
                if (!r.term(out.extra))
                    return false;
                break;
            case 10:
                if (!r.integer(v) || v < 0 || v > UINT32_MAX)
                    return r.fail("\"line\" must be 0..4294967295");
                out.line = static_cast<uint32_t>(v);
                break;
            default:
                break;
            }
        }
        if (!r.expect('}'))
            return false;
        if (!r.atEnd())
            return r.fail("unexpected text after the event");
        for (size_t i = 0; i < kRequired; ++i)
            if (!seen[i])
                return r.fail("missing field \"" + std::string(kFields[i]) + "\"");
        // Seqs are dense (docs/events.md): each event's is one more than the one before's. The
        // first may be any, as a record that no longer keeps its oldest events starts later.
        if (m_lastSeq != 0 && out.seq != m_lastSeq + 1)
            return r.failAt(seqColumn, "seq " + std::to_string(out.seq) + " does not follow seq " + std::to_string(m_lastSeq) + " (the next is " + std::to_string(m_lastSeq + 1) + ")");
        if (marker.kind != StateMarker::None) {
            const std::string name = marker.kind == StateMarker::Same ? "\"same\"" : "\"prepend\"";
            if (!carriesState(out.type))
                return r.failAt(marker.column,
                    "a " + name + " marker stands only for the state of a handler_end or state_init");
            const auto previous = m_states.find(out.pid.number);
            if (previous == m_states.end())
                return r.failAt(marker.column,
                    "a " + name + " marker but no earlier state for pid " + std::to_string(out.pid.number));
            out.term = marker.kind == StateMarker::Same
                ? previous->second
                : Term::list(marker.items.listElements(), previous->second);
        }
        if (carriesState(out.type))
            m_states[out.pid.number] = out.term;
        else if (out.type == EventType::Exit)
            m_states.erase(out.pid.number);
        m_lastSeq = out.seq;
        return true;
    }();
    if (!ok)
        error = r.error();
    return ok;
}

} // namespace mailroom
