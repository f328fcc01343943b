// SPDX-License-Identifier: MIT
// Weighing what a process holds: the walk over its terms and the frames that show it the
// terms kept in C++ locals.

#include "heap.h"

#include "detail/process.h"
#include "detail/runtime_impl.h"

#include <algorithm>
#include <functional>
#include <string>

namespace mailroom {

namespace {
/// The words of `term`'s own cells, without what it points to.
uint64_t ownWords(const Term &term)
{
    switch (term.kind()) {
    case TermKind::Cons:
        return 2;
    case TermKind::Tuple:
        return term.tupleSize() + 1;
    case TermKind::Map:
        return 2 * term.mapSize() + 4;
    case TermKind::Binary: {
        const size_t bytes = term.asBinary().size();
        return bytes <= 64 ? 2 + (bytes + 7) / 8 : 6; // a longer one is a ProcBin, its bytes off the heap
    }
    case TermKind::Function:
        return 4;
    case TermKind::Float:
        return 3;
    default:
        return 0;
    }
}
} // namespace

HeapWeigher::HeapWeigher()
    : m_seen(1024, nullptr)
{
}

bool HeapWeigher::firstVisit(const void *object)
{
    if ((m_seenCount + 1) * 2 > m_seen.size())
        grow();
    const size_t mask = m_seen.size() - 1;
    for (size_t i = std::hash<const void *>{}(object)*0x9E3779B97F4A7C15ULL >> 20U;; ++i) {
        const void *&slot = m_seen[i & mask];
        if (slot == object)
            return false;
        if (slot == nullptr) {
            slot = object;
            ++m_seenCount;
            return true;
        }
    }
}

void HeapWeigher::grow()
{
    std::vector<const void *> old(m_seen.size() * 2, nullptr);
    old.swap(m_seen);
    m_seenCount = 0;
    for (const void *object : old)
        if (object != nullptr)
            (void)firstVisit(object);
}

void HeapWeigher::hold(const Term &term)
{
    m_pending.push_back(&term);
    if (m_walking)
        return; // a function showing its terms: the walk below takes them
    m_walking = true;
    while (!m_pending.empty()) {
        const Term &t = *m_pending.back();
        m_pending.pop_back();
        // Only a shared object can be reached twice (a list cell held by one other cell is
        // reached through that cell alone): only those are remembered.
        if (t.heapShared() && !firstVisit(t.heapAddress()))
            continue; // counted where it was first seen
        m_words += ownWords(t);
        switch (t.kind()) {
        case TermKind::Cons:
            m_pending.push_back(&t.tail());
            m_pending.push_back(&t.head());
            break;
        case TermKind::Tuple:
            for (size_t i = 0; i < t.tupleSize(); ++i)
                m_pending.push_back(&t[i]);
            break;
        case TermKind::Map:
            for (const auto &[key, value] : t.mapEntries()) {
                m_pending.push_back(&key);
                m_pending.push_back(&value);
            }
            break;
        case TermKind::Function:
            t.asFunction()->holdTerms(*this);
            break;
        default:
            break;
        }
    }
    m_walking = false;
}

HeapFrame::HeapFrame() noexcept
{
    detail::Process *p = detail::currentProcess();
    if (p == nullptr)
        return;
    m_head = &p->heapFrames;
    m_next = *m_head;
    if (m_next != nullptr)
        m_next->m_prev = this;
    *m_head = this;
}

HeapFrame::~HeapFrame()
{
    if (m_head == nullptr)
        return;
    (m_prev != nullptr ? m_prev->m_next : *m_head) = m_next;
    if (m_next != nullptr)
        m_next->m_prev = m_prev;
}

void HeapFrame::holdAll(const HeapFrame *first, HeapWeigher &weigher)
{
    for (const HeapFrame *f = first; f != nullptr; f = f->m_next)
        f->holdTerms(weigher);
}

namespace detail {

namespace {
/// The fewest words allocated between two weighings (unless the budget is smaller): a
/// process that holds little is weighed about every 8 MiB of 8-byte words it allocates.
constexpr uint64_t kMinWeighingInterval = uint64_t(1) << 20U;
} // namespace

[[noreturn]] void heapLimitReached(Process &p, uint64_t words)
{
    // The BEAM's report of a process killed at its max_heap_size, as Elixir's Logger prints it
    // (without the GC Info, which Mailroom, having no garbage collector, does not have).
    const int64_t limit = p.maxHeapWords.load(std::memory_order_relaxed);
    Runtime &rt = p.rt.facade;
    rt.report("[error]      Process:            " + Term(p.pid).inspect()
        + " \n     Context:            maximum heap size reached\n     Max Heap Size:      "
        + std::to_string(limit) + "\n     Total Heap Size:    " + std::to_string(words)
        + "\n     Kill:               true\n     Error Logger:       true\n     Message Queue Len:  "
        + std::to_string(rt.messageQueueLen(p.pid).value_or(0)) + "\n");
    throw ExitSignal(Term(atoms::killed()), p.pid);
}

void countReceived(Process &p, const Term &message)
{
    if (message.heapAddress() == nullptr || p.allocatedWords >= p.nextWeighing)
        return;
    // Walked flat (a shared part counts each time it is reached, as the BEAM copies it), up
    // to what brings the next weighing: that bounds the walk of a message that shares much.
    const uint64_t room = p.nextWeighing - p.allocatedWords;
    thread_local std::vector<const Term *> pending; // the walk never switches fibers
    pending.clear();
    pending.push_back(&message);
    uint64_t words = 0;
    while (!pending.empty() && words < room) {
        const Term &t = *pending.back();
        pending.pop_back();
        words += ownWords(t);
        switch (t.kind()) {
        case TermKind::Cons:
            pending.push_back(&t.tail());
            pending.push_back(&t.head());
            break;
        case TermKind::Tuple:
            for (size_t i = 0; i < t.tupleSize(); ++i)
                pending.push_back(&t[i]);
            break;
        case TermKind::Map:
            for (const auto &[key, value] : t.mapEntries()) {
                pending.push_back(&key);
                pending.push_back(&value);
            }
            break;
        default:
            break;
        }
    }
    p.allocatedWords += words;
}

void checkHeap(Process &p, std::span<const Term> held)
{
    if (p.allocatedWords < p.nextWeighing)
        return;
    const int64_t limit = p.maxHeapWords.load(std::memory_order_relaxed);
    if (limit <= 0) {
        p.nextWeighing = UINT64_MAX; // no budget: nothing to weigh until one is set
        return;
    }
    drain(p); // what has arrived counts, as the messages the BEAM keeps on a process's heap
    HeapWeigher weigher;
    HeapFrame::holdAll(p.heapFrames, weigher);
    for (const Envelope *e = p.saved.after(nullptr); e != nullptr; e = p.saved.after(e))
        weigher.hold(e->term);
    for (const Term &term : held)
        weigher.hold(term);
    const uint64_t words = weigher.words();
    if (words > uint64_t(limit))
        heapLimitReached(p, words);
    // Weighed again once it has allocated as much as it holds, or what is left of its budget
    // when that is less, but at least an eighth of what it holds: a process growing without
    // end is caught by 1.125 times its budget, and one that holds much and makes garbage is
    // weighed after at least an eighth as much allocated (its weighing costs at most 8
    // visits per word allocated, 1 while it holds less than half its budget).
    const auto budget = uint64_t(limit);
    const uint64_t left = budget - words;
    p.nextWeighing = p.allocatedWords
        + std::max({ std::min(words, left), words / 8, std::min(kMinWeighingInterval, budget / 8) });
}

} // namespace detail

} // namespace mailroom
