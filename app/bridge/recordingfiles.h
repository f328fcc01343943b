// SPDX-License-Identifier: MIT
#pragma once

// Opening and saving recordings (JSON Lines, docs/events.md) without stopping the window.
//
// RecordingLoader reads a file on a thread of its own and hands the events to the GUI thread
// in batches; it reads ahead at most a few batches, so a file of millions of events loads
// in bounded memory (what is kept then is up to the event bridge's History budget).
// RecordingSaver writes what an event bridge holds a slice per frame on the GUI thread, so
// the record can keep growing while it saves.

#include "eventjson.h"
#include "eventlog.h"
#include "export_chrome.h"

#include <QObject>
#include <QSaveFile>
#include <QString>
#include <QTimer>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace mailroom {

class EventBridge;

class RecordingLoader : public QObject {
    Q_OBJECT

public:
    /// `sink` gets each batch and `done` the outcome ("" when the whole file was read, or
    /// "line N: what was wrong"), both on the GUI thread; `progress` gets the fraction of
    /// the file read so far.
    struct Callbacks {
        std::function<void(std::vector<Event> &)> sink;
        std::function<void(double)> progress;
        std::function<void(const QString &)> done;
    };

    static constexpr size_t kBatch = 8192; ///< events handed over at once
    static constexpr size_t kReadAhead = 4; ///< batches read and not yet taken

    RecordingLoader(QString path, Callbacks callbacks, QObject *parent = nullptr);
    /// Stops reading and waits for the thread. GUI thread.
    ~RecordingLoader() override;
    RecordingLoader(const RecordingLoader &) = delete;
    RecordingLoader &operator=(const RecordingLoader &) = delete;

    /// Starts reading. GUI thread, once.
    void start();

private:
    void read(); // the reading thread
    void deliver(); // GUI thread: hands over what was read
    /// Reading thread: queues a batch (waits while kReadAhead are queued); false when cancelled.
    bool push(std::vector<Event> batch);

    QString m_path;
    Callbacks m_callbacks;
    std::thread m_thread;
    std::atomic<bool> m_cancelled{ false };
    std::atomic<bool> m_deliverQueued{ false };
    bool m_reported = false; // done() was called (GUI thread)

    std::mutex m_mutex; // protects the members below
    std::condition_variable m_taken;
    std::deque<std::vector<Event>> m_batches;
    double m_progress = 0;
    bool m_finished = false;
    QString m_error;
};

class RecordingSaver : public QObject {
    Q_OBJECT

public:
    static constexpr int kSliceMs = 8; ///< writing per frame

    enum class Format : uint8_t {
        Jsonl, ///< the event record (docs/events.md)
        Chrome, ///< Chrome Trace Event JSON (Perfetto, chrome://tracing)
    };

    /// Writes the events `bridge` holds from its first kept one to its last applied one now
    /// (its History; a live record keeps growing meanwhile). `progress` and `done` as for
    /// the loader; done("") on success. The file appears only when complete.
    RecordingSaver(EventBridge *bridge, const QString &path, Format format,
        std::function<void(double)> progress, std::function<void(const QString &)> done,
        QObject *parent = nullptr);
    ~RecordingSaver() override;
    RecordingSaver(const RecordingSaver &) = delete;
    RecordingSaver &operator=(const RecordingSaver &) = delete;

    /// Starts writing. GUI thread, once.
    void start();

private:
    void slice();
    void finish(const QString &error);

    EventBridge *m_bridge;
    QSaveFile m_file;
    std::ostringstream m_buffer;
    std::unique_ptr<JsonlWriter> m_jsonl; // one of the two
    std::unique_ptr<ChromeTraceWriter> m_chrome;
    uint64_t m_next = 0;
    uint64_t m_end = 0; // one past the last seq to write
    uint64_t m_first = 0;
    std::function<void(double)> m_progress;
    std::function<void(const QString &)> m_done;
    QTimer m_timer;
};

} // namespace mailroom
