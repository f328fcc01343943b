// SPDX-License-Identifier: MIT
#pragma once

// The event record streamed to a JSON Lines file while the run goes on (mailroom-run --events):
// memory stays within the record's budget however long the run, and a run stopped midway
// leaves a file of whole events.

#include "eventjson.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <thread>

namespace mailroom {

class Runtime;

/// Writes `runtime`'s events to `out` as they are recorded, on a thread of its own. Should it
/// fall behind by half the record's budget (events past the budget are dropped from memory),
/// it pauses the world (Runtime::setPaused) until it has caught up, so that no event goes
/// unwritten. Construct, run, then finish(); any thread may call finish(), once or more.
class RecordStream {
public:
    RecordStream(Runtime &runtime, std::ostream &out);
    ~RecordStream();
    RecordStream(const RecordStream &) = delete;
    RecordStream &operator=(const RecordStream &) = delete;

    /// Writes what is recorded up to now, stops the thread and flushes. Later calls wait for
    /// the first to be done. False when a write failed.
    bool finish();
    /// Events written so far. Any thread.
    [[nodiscard]] uint64_t written() const { return m_written.load(std::memory_order_relaxed); }

private:
    void loop();
    /// Writes what the log holds past m_next; false when there was nothing.
    bool writeAvailable();

    Runtime &m_runtime;
    std::ostream &m_out;
    JsonlWriter m_writer; // the writing thread only (finish() after joining it)
    uint64_t m_next = 1; // the seq to write next; the writing thread only
    bool m_pausedByUs = false; // the writing thread only
    std::atomic<uint64_t> m_written{ 0 };
    std::mutex m_mutex; // protects m_stop, m_finished, m_ok
    std::condition_variable m_cv;
    bool m_stop = false;
    bool m_finished = false;
    bool m_ok = true;
    std::thread m_thread;
};

} // namespace mailroom
