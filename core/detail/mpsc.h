#pragma once

#include <atomic>

namespace mailroom::detail {

/// Intrusive multi-producer single-consumer queue (Vyukov's design). push() is
/// wait-free and takes no lock; only the owning consumer may call pop().
/// T must have a member `std::atomic<T*> next`.
template<typename T>
class MpscQueue {
public:
    MpscQueue() : m_head(&m_stub), m_tail(&m_stub) {}
    MpscQueue(const MpscQueue &) = delete;
    MpscQueue &operator=(const MpscQueue &) = delete;

    /// Any thread.
    void push(T *node) noexcept
    {
        node->next.store(nullptr, std::memory_order_relaxed);
        T *prev = m_head.exchange(node, std::memory_order_acq_rel);
        prev->next.store(node, std::memory_order_release);
    }

    /// Consumer only. nullptr when empty, or when a producer is midway through push()
    /// (the node becomes visible a moment later; the caller's wake-up protocol covers it).
    T *pop() noexcept
    {
        T *tail = m_tail;
        T *next = tail->next.load(std::memory_order_acquire);
        if (tail == &m_stub) {
            if (next == nullptr)
                return nullptr;
            m_tail = next;
            tail = next;
            next = next->next.load(std::memory_order_acquire);
        }
        if (next != nullptr) {
            m_tail = next;
            return tail;
        }
        if (tail != m_head.load(std::memory_order_acquire))
            return nullptr; // a push is in progress
        push(&m_stub);
        next = tail->next.load(std::memory_order_acquire);
        if (next != nullptr) {
            m_tail = next;
            return tail;
        }
        return nullptr;
    }

private:
    std::atomic<T *> m_head; // producers push here
    T *m_tail;               // consumer pops here
    T m_stub;
};

} // namespace mailroom::detail
