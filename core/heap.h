// SPDX-License-Identifier: MIT
#pragma once

// What a process's terms weigh, for its max_heap_size.
//
// Terms are shared between processes and freed by reference counts, so no process has a
// heap of its own to measure, as the BEAM's garbage collector measures one. Instead the
// term allocator counts the words each process allocates (an add per allocation), and once
// a process has allocated about as much again as it held at its last weighing, the runtime
// weighs what it holds now: its mailbox, the frames below (a script's arguments and
// variables) and what its caller shows (a GenServer's state), each shared object once, in
// the words the BEAM would use for them. A process past its budget is killed as the BEAM
// kills one (proc::checkHeap). A weighing visits about as many words as were allocated
// since the last one (at most 8 times as many, close to the budget), and a process that
// allocates little is seldom weighed at all. What a process holds only in C++ locals of
// the runtime or of a builtin (a list Enum.map is building) is not seen: the weight is a
// lower bound, so no process is killed for more than it holds.

#include "term.h"

#include <cstdint>
#include <vector>

namespace mailroom {

namespace detail {
class Process;
}

/// Every process's max_heap_size unless it sets its own: 2^26 words (512 MiB of 8-byte
/// words). The BEAM's default is 0 (no limit); Mailroom keeps one so that a runaway script
/// ends its process instead of the program.
inline constexpr int64_t kDefaultMaxHeapWords = int64_t(1) << 26U;

/// Adds up the words of the terms it is shown, as a BEAM heap would hold them (a list cell
/// 2, a tuple its size + 1, a map 2 per entry + 4, a float 3, a binary of up to 64 bytes its
/// words + 2 and a longer one 6, its bytes being off the heap as the BEAM's are), counting
/// each shared object once. Walks without recursing (terms nest a million levels deep).
/// One weigher per weighing, on one thread.
class HeapWeigher {
public:
    HeapWeigher();
    /// Counts `term` and everything it reaches that was not counted yet. The term must stay
    /// alive until the weigher is done with it (the end of this call).
    void hold(const Term &term);
    /// The words counted so far.
    [[nodiscard]] uint64_t words() const { return m_words; }

private:
    /// Adds `object` to the seen set; false when it was there already.
    bool firstVisit(const void *object);
    void grow();

    uint64_t m_words = 0;
    std::vector<const Term *> m_pending;
    std::vector<const void *> m_seen; // open addressing, a power of two in size; null = empty
    size_t m_seenCount = 0;
    bool m_walking = false; // inside hold(): a nested call only adds to m_pending
};

/// Terms a process holds where the runtime cannot see them (a script evaluator's
/// variables, which live in C++ locals): while a frame lives it is linked into its
/// process's list, and weighing the process asks each frame for its terms. Owning process
/// only: constructed and destroyed on the process that holds it (outside a process it is
/// linked nowhere and costs nothing).
class HeapFrame {
public:
    HeapFrame() noexcept;
    virtual ~HeapFrame();
    HeapFrame(const HeapFrame &) = delete;
    HeapFrame &operator=(const HeapFrame &) = delete;
    HeapFrame(HeapFrame &&) = delete;
    HeapFrame &operator=(HeapFrame &&) = delete;

    /// Shows `weigher` each term the frame holds.
    virtual void holdTerms(HeapWeigher &weigher) const = 0;

    /// Shows `weigher` the terms of every frame in the list that starts at `first`.
    static void holdAll(const HeapFrame *first, HeapWeigher &weigher);

private:
    HeapFrame **m_head = nullptr; // the list's head in its process, or null when linked nowhere
    HeapFrame *m_prev = nullptr;
    HeapFrame *m_next = nullptr;
};

/// A frame showing the terms of one vector that lives at least as long (a call's arguments).
class TermsFrame final : public HeapFrame {
public:
    explicit TermsFrame(const std::vector<Term> &terms) noexcept
        : m_terms(terms)
    {
    }
    void holdTerms(HeapWeigher &weigher) const override
    {
        for (const Term &term : m_terms)
            weigher.hold(term);
    }

private:
    const std::vector<Term> &m_terms;
};

} // namespace mailroom
