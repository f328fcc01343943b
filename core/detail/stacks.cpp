// SPDX-License-Identifier: MIT
#include "detail/stacks.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <new>

#ifdef MAILROOM_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace mailroom::detail {

namespace {
size_t pageSize()
{
    static const auto size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}
size_t roundUp(size_t size)
{
    const size_t page = pageSize();
    return (size + page - 1) / page * page;
}
// Stacks are refused while the heap still has room: past that, it is the heap that runs
// out, in whichever process allocates next, and mimalloc aborts the whole program.

/// Mappings left to the heap, the threads and the libraries under vm.max_map_count.
constexpr size_t kMapsReserved = 4096;

/// Stacks mapped by every pool of the program (two mappings each: the stack, its guard).
std::atomic<size_t> g_stacksMapped{ 0 };

size_t maxMapCount()
{
    static const size_t count = [] {
        size_t n = 65530; // the kernel's default
        if (std::FILE *f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
            unsigned long value = 0;
            if (std::fscanf(f, "%lu", &value) == 1)
                n = value;
            std::fclose(f);
        }
        return n;
    }();
    return count;
}

/// The program's address space in use (VmSize), or 0 when unknown.
size_t addressSpaceInUse()
{
    size_t pages = 0;
    if (std::FILE *f = std::fopen("/proc/self/statm", "r")) {
        unsigned long value = 0;
        if (std::fscanf(f, "%lu", &value) == 1)
            pages = value;
        std::fclose(f);
    }
    return pages * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

/// Whether a new stack of `bytes` (guard included) leaves the heap its reserve: mappings
/// under vm.max_map_count, and under an address-space limit (RLIMIT_AS) an eighth of it,
/// at least 64 MB.
bool roomForStack(size_t bytes)
{
    if ((g_stacksMapped.load(std::memory_order_relaxed) + 1) * 2 + kMapsReserved > maxMapCount())
        return false;
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return true;
    const size_t cap = limit.rlim_cur;
    const size_t reserve = std::max(cap / 8, size_t(64) << 20U);
    return addressSpaceInUse() + bytes + reserve <= cap;
}

void unmapStack(void *sp, size_t size)
{
    g_stacksMapped.fetch_sub(1, std::memory_order_relaxed);
    char *top = static_cast<char *>(sp);
#ifdef MAILROOM_ASAN
    // A later mmap may return this range: leave no stale scope poison for its next owner.
    ASAN_UNPOISON_MEMORY_REGION(top - size, size);
#endif
    ::munmap(top - size - pageSize(), size + pageSize());
}
/// A pooled stack handed out again.
boost::context::stack_context reuse(void *sp, size_t size)
{
    boost::context::stack_context sc;
    sc.sp = sp;
    sc.size = size;
#ifdef MAILROOM_ASAN
    // Leave no scope poison from its previous owner.
    ASAN_UNPOISON_MEMORY_REGION(static_cast<char *>(sp) - size, size);
#endif
    return sc;
}
} // namespace

thread_local StackPool::ThreadCache StackPool::tl_cache;

StackPool::~StackPool()
{
    for (auto &bucket : m_buckets)
        for (void *sp : bucket.free)
            unmapStack(sp, bucket.size);
}

boost::context::stack_context StackPool::allocate(size_t size)
{
    size = roundUp(size);
    if (ThreadCache &cache = tl_cache; cache.pool == this && cache.size == size && cache.count > 0)
        return reuse(cache.stacks[--cache.count], size);
    {
        std::lock_guard lock(m_mutex);
        for (auto &bucket : m_buckets) {
            if (bucket.size == size && !bucket.free.empty()) {
                void *sp = bucket.free.back();
                bucket.free.pop_back();
                return reuse(sp, size);
            }
        }
    }
    const size_t total = size + pageSize();
    if (!roomForStack(total))
        throw std::bad_alloc();
    void *base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        throw std::bad_alloc();
    g_stacksMapped.fetch_add(1, std::memory_order_relaxed);
    ::mprotect(base, pageSize(), PROT_NONE); // guard page: an overflow faults instead of corrupting
    boost::context::stack_context sc;
    sc.sp = static_cast<char *>(base) + total;
    sc.size = size;
    return sc;
}

void StackPool::deallocate(boost::context::stack_context &sc)
{
    if (ThreadCache &cache = tl_cache; cache.pool == this && cache.size == sc.size && cache.count < kThreadCache) {
        cache.stacks[cache.count++] = sc.sp;
        return;
    }
    keep(sc.sp, sc.size);
}

void StackPool::attachThreadCache(size_t size)
{
    ThreadCache &cache = tl_cache;
    if (cache.pool != nullptr)
        return; // this thread serves another pool already
    cache.pool = this;
    cache.size = roundUp(size);
}

void StackPool::releaseThreadCache()
{
    ThreadCache &cache = tl_cache;
    if (cache.pool != this)
        return;
    while (cache.count > 0)
        keep(cache.stacks[--cache.count], cache.size);
    cache.pool = nullptr;
}

void StackPool::keep(void *sp, size_t size)
{
    boost::context::stack_context sc;
    sc.sp = sp;
    sc.size = size;
    {
        std::lock_guard lock(m_mutex);
        Bucket *bucket = nullptr;
        for (auto &b : m_buckets)
            if (b.size == sc.size)
                bucket = &b;
        if (bucket == nullptr)
            bucket = &m_buckets.emplace_back(Bucket{ sc.size, {} });
        if (bucket->free.size() < kKeepPerSize) {
            bucket->free.push_back(sc.sp);
            return;
        }
    }
    unmapStack(sc.sp, sc.size);
}

} // namespace mailroom::detail
