#pragma once

// Keeps recursion (parser, checker, evaluator) within the stack it runs on, so that deep
// input or runaway recursion ends in an error instead of a crash.

#include <cstddef>

namespace mailroom::script {

/// Stack the parser and checker may use unless told otherwise. On a thread whose stack
/// the system reports, they also stay within what is left of it.
inline constexpr size_t kDefaultStackBudget = size_t(8) << 20U;

class StackLimit {
public:
    /// Allows `budget` bytes below the caller's frame. On a thread (not a fiber) it never
    /// allows more than the space left on that thread's stack, less a safety margin.
    explicit StackLimit(size_t budget);

    /// Whether the calling function's frame lies deeper than allowed.
    [[nodiscard]] bool exceeded() const
    {
        const auto *here = static_cast<const char *>(__builtin_frame_address(0));
        return here<m_base &&static_cast<size_t>(m_base - here)> m_limit;
    }

private:
    const char *m_base;
    size_t m_limit;
};

} // namespace mailroom::script
