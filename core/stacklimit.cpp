// SPDX-License-Identifier: MIT
// Where a thread's stack ends, so that recursion over input stops before it does.

#include "stacklimit.h"

#include <algorithm>
#include <pthread.h>

namespace mailroom {

namespace {

// Room kept free below the deepest check: frames of builtins, term printing and the C++
// runtime run between two checks.
constexpr size_t kMargin = 128 * 1024;

struct ThreadStack {
    const char *bottom = nullptr;
    size_t size = 0;
};

// The calling thread's own stack, asked once per thread (on the main thread glibc reads
// /proc/self/maps to answer).
const ThreadStack &threadStack()
{
    thread_local const ThreadStack stack = [] {
        ThreadStack s;
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) != 0)
            return s;
        void *low = nullptr;
        if (pthread_attr_getstack(&attr, &low, &s.size) == 0)
            s.bottom = static_cast<const char *>(low);
        pthread_attr_destroy(&attr);
        return s;
    }();
    return stack;
}

} // namespace

StackLimit::StackLimit(size_t budget)
    : m_base(static_cast<const char *>(__builtin_frame_address(0)))
    , m_limit(budget)
{
    // Only when we run on the thread's own stack: a fiber's stack lies elsewhere, and then
    // the caller's budget is all we know.
    const ThreadStack &thread = threadStack();
    if (thread.bottom != nullptr && m_base > thread.bottom && m_base <= thread.bottom + thread.size) {
        const auto room = static_cast<size_t>(m_base - thread.bottom);
        m_limit = room > kMargin ? std::min(m_limit, room - kMargin) : 0;
    }
}

} // namespace mailroom
