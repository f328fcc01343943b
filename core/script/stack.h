// SPDX-License-Identifier: MIT
#pragma once

// Keeps recursion (parser, checker, evaluator) within the stack it runs on, so that deep
// input or runaway recursion ends in an error instead of a crash (core/stacklimit.h).

#include "stacklimit.h"

#include <cstddef>

namespace mailroom::script {

/// Stack the parser and checker may use unless told otherwise. On a thread whose stack
/// the system reports, they also stay within what is left of it.
inline constexpr size_t kDefaultStackBudget = size_t(8) << 20U;

using mailroom::StackLimit;

} // namespace mailroom::script
