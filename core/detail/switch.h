// SPDX-License-Identifier: MIT
#pragma once

// Tells the sanitizers about each stack switch between a scheduler thread and a process
// fiber. AddressSanitizer must know which stack is live (or it reports false overflows
// and misses real ones); ThreadSanitizer must know which fiber runs (or it confuses the
// happens-before of processes that move between threads). Compiled to nothing otherwise.

#include <cstddef>

#ifdef MAILROOM_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef MAILROOM_TSAN
extern "C" {
void *__tsan_get_current_fiber();
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
}
#endif

namespace mailroom::detail {

/// One side of a switch: its stack and the sanitizers' bookkeeping for it.
struct SwitchSide {
    const void *stackBottom = nullptr;
    size_t stackSize = 0;
    void *fakeStack = nullptr; // ASan's fake stack of this side while it is switched out
    void *tsanFiber = nullptr;
};

/// Before switching from `from` to `to`. `fromDies`: `from` never runs again.
inline void beforeSwitch([[maybe_unused]] SwitchSide &from, [[maybe_unused]] const SwitchSide &to,
    [[maybe_unused]] bool fromDies = false)
{
#ifdef MAILROOM_ASAN
    __sanitizer_start_switch_fiber(fromDies ? nullptr : &from.fakeStack, to.stackBottom, to.stackSize);
#endif
#ifdef MAILROOM_TSAN
    __tsan_switch_to_fiber(to.tsanFiber, 0);
#endif
}

/// First thing on `self` after a switch to it; records the stack it came from in `from`.
inline void afterSwitch([[maybe_unused]] SwitchSide &self, [[maybe_unused]] SwitchSide *from = nullptr,
    [[maybe_unused]] bool firstEntry = false)
{
#ifdef MAILROOM_ASAN
    const void *bottom = nullptr;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(firstEntry ? nullptr : self.fakeStack, &bottom, &size);
    if (from != nullptr) {
        from->stackBottom = bottom;
        from->stackSize = size;
    }
#endif
}

} // namespace mailroom::detail
