// SPDX-License-Identifier: MIT
#pragma once

// Internal: the term allocator's count of the words the running process allocates, which
// tells the runtime when to weigh what the process holds (heap.h). Not for use outside core/.

#include <cstdint>

namespace mailroom::detail {

/// Scheduler thread only: from now on the term allocator adds the words of each term this
/// thread allocates (as the BEAM would count them) to `*counter`; null counts nowhere. Set
/// as a process is switched in, cleared as it is switched out.
void countAllocationsInto(uint64_t *counter) noexcept;

} // namespace mailroom::detail
