// SPDX-License-Identifier: MIT
// The event record written as JSON Lines (docs/events.md): terms, events, whole logs.

#include "eventjson.h"

#include "jsontext.h"

#include "utf8.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace mailroom {

namespace {

std::string base64(std::string_view bytes)
{
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16U) | (uint32_t(uint8_t(bytes[i + 1])) << 8U)
            | uint8_t(bytes[i + 2]);
        for (int k = 3; k >= 0; --k)
            out += kAlphabet[(v >> (6U * unsigned(k))) & 63U];
    }
    if (i < bytes.size()) {
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16U;
        if (i + 1 < bytes.size())
            v |= uint32_t(uint8_t(bytes[i + 1])) << 8U;
        out += kAlphabet[(v >> 18U) & 63U];
        out += kAlphabet[(v >> 12U) & 63U];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6U) & 63U] : '=';
        out += '=';
    }
    return out;
}

// A leaf: everything but tuples, maps and non-empty lists.
void appendLeaf(std::string &out, const Term &t)
{
    switch (t.kind()) {
    case TermKind::Integer: {
        const int64_t v = t.asInteger();
        if (v > -(int64_t(1) << 53) && v < (int64_t(1) << 53))
            out += std::to_string(v);
        else
            out += "{\"i\":\"" + std::to_string(v) + "\"}";
        return;
    }
    case TermKind::Float: {
        char buf[40];
        const double d = t.asFloat();
        if (std::isfinite(d))
            std::snprintf(buf, sizeof buf, "%.17g", d);
        else
            std::snprintf(buf, sizeof buf, "null");
        out += "{\"f\":";
        out += buf;
        out += '}';
        return;
    }
    case TermKind::Atom:
        out += "{\"a\":";
        json::appendString(out, t.asAtom().name());
        out += '}';
        return;
    case TermKind::Reference:
        out += "{\"ref\":" + std::to_string(t.asRef().value) + "}";
        return;
    case TermKind::Function:
        out += "{\"fun\":";
        json::appendString(out, t.asFunction()->describe());
        out += '}';
        return;
    case TermKind::Pid:
        out += "{\"pid\":" + std::to_string(t.asPid().number) + "}";
        return;
    case TermKind::Nil:
        out += "[]";
        return;
    case TermKind::Binary: {
        const std::string_view bytes = t.asBinary();
        if (utf8::valid(bytes)) {
            out += "{\"s\":";
            json::appendString(out, bytes);
        } else {
            out += "{\"b\":\"" + base64(bytes) + "\"";
        }
        out += '}';
        return;
    }
    case TermKind::Tuple:
    case TermKind::Map:
    case TermKind::Cons:
        break;
    }
}

/// Appends `root` (found `rootDepth` levels down its line's term). A loop over a work list,
/// not a recursion: a term nested a million levels deep must not overflow the stack of the
/// thread that records it. Containers at kMaxJsonTermDepth are written as the atom
/// :"mailroom:cut", so that the reader, which refuses deeper terms, reads every line back.
void appendTerm(std::string &out, const Term &root, int rootDepth = 0)
{
    struct Work {
        const Term *term; ///< to write; null for `text`
        const char *text;
        int depth;
        bool listRest = false; ///< `term` is a list cell: write its elements from here on
        bool first = false; ///< with listRest: no comma before the first element
    };
    std::vector<Work> work{ { &root, nullptr, rootDepth } }; // next item at the back
    std::vector<Work> children; // one container's items, in order, before they are pushed
    const auto pushReversed = [&] {
        for (auto it = children.rbegin(); it != children.rend(); ++it)
            work.push_back(*it);
        children.clear();
    };
    while (!work.empty()) {
        const Work item = work.back();
        work.pop_back();
        if (item.term == nullptr) {
            out += item.text;
            continue;
        }
        if (item.listRest) { // one element at a time, so a long list costs no work list
            const Term &cell = *item.term;
            if (cell.isCons()) {
                if (!item.first)
                    out += ',';
                work.push_back({ &cell.tail(), nullptr, item.depth, true, false });
                work.push_back({ &cell.head(), nullptr, item.depth });
            } else if (cell.isNil()) {
                out += ']';
            } else { // an improper list's tail
                out += "],\"tail\":";
                work.push_back({ nullptr, "}", 0 });
                work.push_back({ &cell, nullptr, item.depth });
            }
            continue;
        }
        const Term &t = *item.term;
        const int inner = item.depth + 1;
        const bool container = t.kind() == TermKind::Tuple || t.kind() == TermKind::Map || t.kind() == TermKind::Cons;
        if (!container) {
            appendLeaf(out, t);
            continue;
        }
        if (item.depth >= kMaxJsonTermDepth) {
            out += "{\"a\":\"mailroom:cut\"}";
            continue;
        }
        switch (t.kind()) {
        case TermKind::Tuple:
            out += "{\"t\":[";
            for (size_t i = 0; i < t.tupleSize(); ++i) {
                if (i > 0)
                    children.push_back({ nullptr, ",", 0 });
                children.push_back({ &t[i], nullptr, inner });
            }
            children.push_back({ nullptr, "]}", 0 });
            break;
        case TermKind::Map: {
            out += "{\"m\":[";
            bool first = true;
            for (const auto &[k, v] : t.mapEntries()) {
                children.push_back({ nullptr, first ? "[" : ",[", 0 });
                first = false;
                children.push_back({ &k, nullptr, inner });
                children.push_back({ nullptr, ",", 0 });
                children.push_back({ &v, nullptr, inner });
                children.push_back({ nullptr, "]", 0 });
            }
            children.push_back({ nullptr, "]}", 0 });
            break;
        }
        default: // a non-empty list
            out += t.isProperList() ? "[" : "{\"l\":[";
            work.push_back({ &t, nullptr, inner, true, true });
            continue;
        }
        pushReversed();
    }
}

} // namespace

std::string termToJson(const Term &term)
{
    std::string out;
    appendTerm(out, term);
    return out;
}

namespace {

/// Whether `a` and `b` write the same JSON (and so read back as one another): exact equality,
/// with floats compared bit for bit and functions by identity, and shared parts not looked into.
bool sameInJson(const Term &a, const Term &b)
{
    std::vector<std::pair<const Term *, const Term *>> pending{ { &a, &b } }; // no recursion
    while (!pending.empty()) {
        const auto [x, y] = pending.back();
        pending.pop_back();
        if (x->isSameObject(*y))
            continue;
        if (x->kind() != y->kind())
            return false;
        switch (x->kind()) {
        case TermKind::Binary:
            if (x->asBinary() != y->asBinary())
                return false;
            break;
        case TermKind::Tuple:
            if (x->tupleSize() != y->tupleSize())
                return false;
            for (size_t i = x->tupleSize(); i-- > 0;)
                pending.emplace_back(&(*x)[i], &(*y)[i]);
            break;
        case TermKind::Map: {
            const auto &ex = x->mapEntries();
            const auto &ey = y->mapEntries();
            if (ex.size() != ey.size())
                return false;
            for (size_t i = ex.size(); i-- > 0;) {
                pending.emplace_back(&ex[i].second, &ey[i].second);
                pending.emplace_back(&ex[i].first, &ey[i].first);
            }
            break;
        }
        case TermKind::Cons:
            pending.emplace_back(&x->tail(), &y->tail());
            pending.emplace_back(&x->head(), &y->head());
            break;
        default:
            return false; // immediates and functions: isSameObject said it all
        }
    }
    return true;
}

/// Appends a state as a marker against `previous` when one applies, else in full.
void appendState(std::string &out, const Term &state, const Term &previous)
{
    if (sameInJson(state, previous)) {
        out += "{\"same\":true}";
        return;
    }
    // [e1, ..., ek | previous]: a list grown at the front shares the old list as its tail.
    if (previous.isCons()) {
        size_t count = 0;
        const Term *cell = &state;
        for (; cell->isCons(); cell = &cell->tail()) {
            ++count;
            if (cell->tail().isSameObject(previous))
                break;
        }
        if (cell->isCons()) {
            out += "{\"prepend\":[";
            const Term *item = &state;
            for (size_t i = 0; i < count; ++i, item = &item->tail()) {
                if (i > 0)
                    out += ',';
                appendTerm(out, item->head(), 1);
            }
            out += "]}";
            return;
        }
    }
    appendTerm(out, state);
}

/// Appends `e` as one JSON object; its term as a marker against `previousState` when given.
void appendEvent(std::string &out, const Event &e, const Term *previousState)
{
    out += "{\"seq\":" + std::to_string(e.seq) + ",\"time\":" + std::to_string(e.time) + ",\"type\":\"";
    out += toString(e.type);
    out += "\",\"kind\":\"";
    out += toString(e.kind);
    out += "\",\"flags\":" + std::to_string(e.flags);
    out += ",\"pid\":" + std::to_string(e.pid.number);
    out += ",\"other\":" + std::to_string(e.other.number);
    out += ",\"ref\":" + std::to_string(e.ref);
    if (e.line != 0) // only a source-defined server's handlers have one: other lines stay as they were
        out += ",\"line\":" + std::to_string(e.line);
    out += ",\"term\":";
    if (previousState != nullptr)
        appendState(out, e.term, *previousState);
    else
        appendTerm(out, e.term);
    out += ",\"extra\":";
    appendTerm(out, e.extra);
    out += '}';
}

} // namespace

std::string eventToJson(const Event &e)
{
    std::string out;
    appendEvent(out, e, nullptr);
    return out;
}

JsonlWriter::JsonlWriter(std::ostream &out)
    : m_out(&out)
{
}

void JsonlWriter::write(const Event &e)
{
    m_line.clear();
    if (carriesState(e.type)) {
        auto [it, fresh] = m_states.try_emplace(e.pid.number);
        appendEvent(m_line, e, fresh ? nullptr : &it->second);
        it->second = e.term;
    } else {
        appendEvent(m_line, e, nullptr);
        if (e.type == EventType::Exit)
            m_states.erase(e.pid.number);
    }
    m_line += '\n';
    m_out->write(m_line.data(), static_cast<std::streamsize>(m_line.size()));
    ++m_count;
}

size_t JsonlWriter::count() const
{
    return m_count;
}

size_t writeEventsJsonl(const EventLog &log, std::ostream &out)
{
    JsonlWriter writer(out);
    log.forEach([&](const Event &e) { writer.write(e); });
    return writer.count();
}

size_t writeEventsJsonl(const std::vector<Event> &events, std::ostream &out)
{
    JsonlWriter writer(out);
    for (const Event &e : events)
        writer.write(e);
    return writer.count();
}

} // namespace mailroom
