// SPDX-License-Identifier: MIT
#pragma once

// Keeps recursion over input (the script's parser, checker and evaluator, the event file's
// reader) within the stack it runs on, so that deep input ends in an error instead of a crash.

#include <cstddef>

namespace mailroom {

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

} // namespace mailroom
