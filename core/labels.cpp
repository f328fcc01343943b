// SPDX-License-Identifier: MIT
#include "labels.h"

#include <vector>

namespace mailroom {

namespace {

/// A firing's Send is recorded right after it; a match further away is a coincidence.
constexpr uint64_t kDeliveryWindow = 4096;
/// Inspect.Opts' limit: inspect shows no more items of a list, tuple or map.
constexpr size_t kInspectLimit = 50;
/// Terms up to this many items print whole; larger ones are cut first (see prune).
constexpr size_t kSmallTerm = 256;

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U; }

} // namespace

std::string pidText(Pid pid) { return "<0." + std::to_string(pid.number) + ".0>"; }

std::string moduleName(const Term &label)
{
    if (!label.isAtom())
        return {};
    std::string_view name = label.asAtom().name();
    if (name.starts_with("Elixir."))
        name.remove_prefix(7);
    return std::string(name);
}

Term messagePayload(const Term &message, MessageKind kind)
{
    switch (kind) {
    case MessageKind::Call:
    case MessageKind::System:
        // {:"$gen_call", from, request} / {:system, from, request} / a start's acknowledgement
        // {:"$ack", tag, result}; a system reply is {tag, value}
        if (message.isTuple(3) && message[0].isAtom())
            return message[2];
        if (message.isTuple(2))
            return message[1];
        return message;
    case MessageKind::Cast:
        if (message.isTuple(2) && message[0].isAtom("$gen_cast"))
            return message[1];
        return message;
    case MessageKind::Reply:
        if (message.isTuple(2))
            return message[1];
        return message;
    case MessageKind::Info:
        return message;
    }
    return message;
}

MessageSummary summarize(const Term &message, MessageKind kind)
{
    switch (kind) {
    case MessageKind::Call: return { "call ", messagePayload(message, kind) };
    case MessageKind::Cast: return { "cast ", messagePayload(message, kind) };
    case MessageKind::System:
        if (message.isTuple(3) && message[0].isAtom("$ack"))
            return { "init ack ", messagePayload(message, kind) };
        if (message.isTuple(3) && message[0].isAtom("system"))
            return { "sys ", message[2] };
        return { "", messagePayload(message, kind) };
    case MessageKind::Reply:
    case MessageKind::Info: return { "", messagePayload(message, kind) };
    }
    return { "", message };
}

std::string shorten(std::string text, size_t maxChars)
{
    if (maxChars == 0)
        maxChars = 1;
    size_t chars = 0;
    size_t cut = std::string::npos; // byte offset where the kept part ends, once known
    for (size_t i = 0; i < text.size(); ++i) {
        if (isContinuationByte(text[i]))
            continue;
        if (chars == maxChars - 1)
            cut = i;
        if (++chars > maxChars) {
            text.resize(cut);
            text += "…";
            return text;
        }
    }
    return text;
}

namespace {

/// Whether printing `t` takes more than `budget` terms (or bytes of binaries / 4). Stops
/// counting as soon as it does, so a huge state costs no more than a small one.
bool exceeds(const Term &t, size_t &budget)
{
    if (budget == 0)
        return true;
    --budget;
    switch (t.kind()) {
    case TermKind::Tuple:
        for (size_t i = 0; i < t.tupleSize(); ++i)
            if (exceeds(t[i], budget))
                return true;
        return false;
    case TermKind::Cons: {
        const Term *cell = &t;
        for (; cell->isCons(); cell = &cell->tail())
            if (exceeds(cell->head(), budget))
                return true;
        return !cell->isNil() && exceeds(*cell, budget);
    }
    case TermKind::Map:
        for (const auto &[key, value] : t.mapEntries())
            if (exceeds(key, budget) || exceeds(value, budget))
                return true;
        return false;
    case TermKind::Binary: {
        const size_t weight = t.asBinary().size() / 4;
        if (weight >= budget)
            return true;
        budget -= weight;
        return false;
    }
    default: return false;
    }
}

/// `t` cut to what its inspect can show in `maxChars` characters: containers to one item more
/// than inspect's limit (it prints "..." for the rest), binaries to `maxChars` characters,
/// nesting to `maxChars` levels (each level prints at least one character). The result
/// prints the same save the rare choice of how a list or binary prints that depends on the
/// elements cut (a charlist, a keyword list, a printable string).
Term prune(const Term &t, size_t maxChars, size_t depth)
{
    constexpr size_t keep = kInspectLimit + 1;
    if (depth == 0)
        return Term::atom("…");
    switch (t.kind()) {
    case TermKind::Tuple: {
        std::vector<Term> elements;
        for (size_t i = 0; i < t.tupleSize() && i < keep; ++i)
            elements.push_back(prune(t[i], maxChars, depth - 1));
        return Term::tuple(std::move(elements));
    }
    case TermKind::Cons: {
        std::vector<Term> elements;
        const Term *cell = &t;
        for (; cell->isCons() && elements.size() < keep; cell = &cell->tail())
            elements.push_back(prune(cell->head(), maxChars, depth - 1));
        return Term::list(elements, cell->isCons() ? Term() : prune(*cell, maxChars, depth - 1));
    }
    case TermKind::Map: {
        std::vector<std::pair<Term, Term>> entries;
        for (const auto &[key, value] : t.mapEntries()) {
            if (entries.size() == keep)
                break;
            entries.emplace_back(prune(key, maxChars, depth - 1), prune(value, maxChars, depth - 1));
        }
        return Term::map(std::move(entries));
    }
    case TermKind::Binary: {
        std::string_view bytes = t.asBinary();
        if (bytes.size() <= (maxChars + 1) * 4) // a character is at most 4 bytes
            return t;
        size_t cut = (maxChars + 1) * 4;
        while (cut > 0 && isContinuationByte(bytes[cut]))
            --cut;
        return Term::binary(std::string(bytes.substr(0, cut)));
    }
    default: return t;
    }
}

} // namespace

std::string inspectShort(const Term &term, size_t maxChars)
{
    size_t budget = kSmallTerm;
    if (!exceeds(term, budget))
        return shorten(term.inspect(), maxChars);
    return shorten(prune(term, maxChars, maxChars + 1).inspect(), maxChars);
}

std::string millisText(int64_t ns)
{
    const int64_t ms = ns / 1'000'000;
    const int64_t tenths = (ns % 1'000'000) / 100'000;
    return std::to_string(ms) + (tenths != 0 ? "." + std::to_string(tenths < 0 ? -tenths : tenths) : "") + " ms";
}

void TimerDeliveries::fired(const Event &fire)
{
    if ((fire.flags & EventDeliveryTagged) != 0)
        return; // its Send will say which timer it delivers
    m_bySetter[fire.pid.number] = Fired{ fire.ref, fire.seq, fire.term };
}

std::optional<uint64_t> TimerDeliveries::deliveryOf(const Event &send)
{
    if (const uint64_t timer = deliveringTimer(send); timer != 0)
        return timer;
    if (send.kind != MessageKind::Info || m_bySetter.empty())
        return std::nullopt;
    const auto it = m_bySetter.find(send.pid.number);
    if (it == m_bySetter.end())
        return std::nullopt;
    if (send.seq < it->second.seq || send.seq - it->second.seq > kDeliveryWindow) {
        m_bySetter.erase(it);
        return std::nullopt;
    }
    if (!(send.term == it->second.message))
        return std::nullopt;
    const uint64_t timer = it->second.timer;
    m_bySetter.erase(it);
    return timer;
}

} // namespace mailroom
