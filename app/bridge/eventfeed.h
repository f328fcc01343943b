// SPDX-License-Identifier: MIT
#pragma once

// The bridge's per-frame feed: what a runtime recorded since the last frame, read from its
// EventLog by sequence number in chunks (so the log's lock is held briefly), until nothing is
// left or the frame's budget is spent. GUI thread.

#include "eventlog.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace mailroom {

class Runtime;

class EventFeed {
public:
    /// Time spent reading per frame before the rest waits for the next frame.
    static constexpr int kFrameBudgetMs = 8;
    /// Events copied per EventLog::read.
    static constexpr size_t kChunk = 2048;

    /// Follows `runtime`'s log from its current beginning (none: reads nothing).
    void attach(Runtime *runtime);
    [[nodiscard]] Runtime *runtime() const { return m_runtime; }

    /// Hands what was recorded since the last call to `apply`, a chunk at a time, within the
    /// frame budget unless `all`. Returns the number of events handed over.
    size_t read(bool all, const std::function<void(const std::vector<Event> &)> &apply);
    /// More was recorded than the last read() handed over.
    [[nodiscard]] bool behind() const { return m_behind; }

private:
    Runtime *m_runtime = nullptr;
    uint64_t m_next = 1;
    bool m_behind = false;
    std::vector<Event> m_batch;
};

} // namespace mailroom
