#include "script/stack.h"

#include <algorithm>

#include <pthread.h>

namespace mailroom::script {

namespace {
// Room kept free below the deepest check: frames of builtins, term printing and the C++
// runtime run between two checks.
constexpr size_t kMargin = 128 * 1024;
} // namespace

StackLimit::StackLimit(size_t budget)
    : m_base(static_cast<const char *>(__builtin_frame_address(0))), m_limit(budget)
{
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    void *low = nullptr;
    size_t size = 0;
    if (pthread_attr_getstack(&attr, &low, &size) == 0) {
        const auto *bottom = static_cast<const char *>(low);
        // Only when we run on the thread's own stack: a fiber's stack lies elsewhere, and
        // then the caller's budget is all we know.
        if (m_base > bottom && m_base <= bottom + size) {
            const auto room = static_cast<size_t>(m_base - bottom);
            m_limit = room > kMargin ? std::min(m_limit, room - kMargin) : 0;
        }
    }
    pthread_attr_destroy(&attr);
}

} // namespace mailroom::script
