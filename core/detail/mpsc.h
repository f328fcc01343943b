// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>

namespace mailroom::detail {

/// Intrusive multi-producer single-consumer queue (Vyukov's design). push() is
/// wait-free and takes no lock; only the owning consumer may call pop() and dispose().
/// T must have a member `std::atomic<T*> next`.
///
/// The node popped last stays in the queue as its dummy (the node the next push links
/// to) until the next pop moves past it, so that emptying the queue takes no atomic
/// exchange of the consumer's own: re-inserting a stub, as the textbook queue does, cost
/// a full barrier per message whenever the consumer kept up (every hop of a ring, both
/// halves of every call). So a popped node is given back with dispose(), never deleted
/// directly: the dummy is deleted when the queue moves past it. A consumer that has
/// gone quiet keeps one dead node (sizeof(T)) until its next message. The queue counts
/// the nodes pushed (pushes()).
template<typename T>
class MpscQueue {
public:
    MpscQueue()
        : m_head(&m_stub), m_tail(&m_stub) {}
    /// Deletes the dummy if it was disposed of; nodes still queued are the owner's to pop
    /// and dispose of first (a dummy not disposed of belongs to whatever holds it).
    ~MpscQueue()
    {
        if (m_disposeTail)
            delete m_tail;
    }
    MpscQueue(const MpscQueue &) = delete;
    MpscQueue &operator=(const MpscQueue &) = delete;

    /// Any thread.
    void push(T *node) noexcept
    {
        node->next.store(nullptr, std::memory_order_relaxed);
        T *prev = m_head.exchange(node, std::memory_order_acq_rel);
        prev->next.store(node, std::memory_order_release);
        m_pushes.fetch_add(1, std::memory_order_seq_cst);
    }

    /// Nodes pushed so far, counted once linked: when pop() finds nothing while this says
    /// more came than were popped, a push is midway. Any thread.
    [[nodiscard]] uint64_t pushes(std::memory_order order = std::memory_order_seq_cst) const
    {
        return m_pushes.load(order);
    }

    /// Consumer only. nullptr when empty, or when a producer is midway through push()
    /// (the node becomes visible a moment later; the caller's wake-up protocol covers it).
    /// The node is the caller's, to hand back with dispose().
    T *pop() noexcept
    {
        T *next = m_tail->next.load(std::memory_order_acquire);
        if (next == nullptr)
            return nullptr;
        // `next` is complete and nobody links to the old dummy any more.
        if (m_disposeTail)
            delete m_tail;
        m_tail = next;
        m_disposeTail = false;
        return next;
    }

    /// Consumer only: deletes a node pop() returned (now, or when the queue moves past it).
    void dispose(T *node) noexcept
    {
        if (node == m_tail)
            m_disposeTail = true;
        else
            delete node;
    }

private:
    // What producers write and what the consumer writes are a cache line apart: sharing one,
    // every push had to take the line back from a consumer on another core.
    alignas(64) std::atomic<T *> m_head; // producers push here
    std::atomic<uint64_t> m_pushes{ 0 };
    alignas(64) T *m_tail; // the dummy: the last node popped (the stub at first); consumer only
    bool m_disposeTail = false; // the dummy has been disposed of; consumer only
    T m_stub;
};

} // namespace mailroom::detail
