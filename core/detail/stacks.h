// SPDX-License-Identifier: MIT
#pragma once

#include "detail/switch.h"

#include <boost/context/stack_context.hpp>

#include <cstddef>
#include <mutex>
#include <vector>

namespace mailroom::detail {

/// Process stacks: mmap'd with a guard page below, recycled through a free list so
/// that spawning does not cost a system call. Thread-safe.
class StackPool {
public:
    StackPool() = default;
    ~StackPool();
    StackPool(const StackPool &) = delete;
    StackPool &operator=(const StackPool &) = delete;

    boost::context::stack_context allocate(size_t size);
    void deallocate(boost::context::stack_context &sc);
    /// The calling thread keeps a few freed stacks of `size` at hand for this pool, until
    /// releaseThreadCache (a scheduler thread calls both, at its start and its end).
    void attachThreadCache(size_t size);
    void releaseThreadCache();

private:
    /// A hibernating server gives its stack back and takes one again for each message: a
    /// few stacks per thread go back and forth without the mutex.
    static constexpr size_t kThreadCache = 8;
    struct ThreadCache {
        StackPool *pool = nullptr;
        size_t size = 0;
        size_t count = 0;
        void *stacks[kThreadCache] = {};
    };
    static thread_local ThreadCache tl_cache;
    void keep(void *sp, size_t size);

    // Enough for waves of spawns to reuse stacks instead of munmap/mmap and fresh page
    // faults; pooled stacks keep their touched pages (RSS) but cost no new mapping.
    static constexpr size_t kKeepPerSize = 65536;
    struct Bucket {
        size_t size;
        std::vector<void *> free; // stack tops (sp)
    };
    std::mutex m_mutex; // protects m_buckets
    std::vector<Bucket> m_buckets;
};

/// The StackAllocator concept Boost.Context expects, backed by a StackPool.
class PooledStack {
public:
    /// `record`, when given, learns the stack's extent (for the sanitizers).
    PooledStack(StackPool &pool, size_t size, SwitchSide *record = nullptr)
        : m_pool(&pool), m_size(size), m_record(record)
    {
    }
    boost::context::stack_context allocate()
    {
        boost::context::stack_context sc = m_pool->allocate(m_size);
        if (m_record != nullptr) {
            m_record->stackBottom = static_cast<char *>(sc.sp) - sc.size;
            m_record->stackSize = sc.size;
        }
        return sc;
    }
    void deallocate(boost::context::stack_context &sc) noexcept { m_pool->deallocate(sc); }

private:
    StackPool *m_pool;
    size_t m_size;
    SwitchSide *m_record;
};

} // namespace mailroom::detail
