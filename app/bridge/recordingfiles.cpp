// SPDX-License-Identifier: MIT
#include "recordingfiles.h"

#include "eventbridge.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <fstream>
#include <string>

namespace mailroom {

RecordingLoader::RecordingLoader(QString path, Callbacks callbacks, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
    , m_callbacks(std::move(callbacks))
{
}

RecordingLoader::~RecordingLoader()
{
    m_cancelled = true;
    {
        std::lock_guard lock(m_mutex);
        m_taken.notify_all();
    }
    if (m_thread.joinable())
        m_thread.join();
}

void RecordingLoader::start()
{
    m_thread = std::thread([this] { read(); });
}

bool RecordingLoader::push(std::vector<Event> batch)
{
    std::unique_lock lock(m_mutex);
    m_taken.wait(lock, [this] { return m_batches.size() < kReadAhead || m_cancelled; });
    if (m_cancelled)
        return false;
    m_batches.push_back(std::move(batch));
    lock.unlock();
    if (!m_deliverQueued.exchange(true))
        QMetaObject::invokeMethod(this, &RecordingLoader::deliver, Qt::QueuedConnection);
    return true;
}

void RecordingLoader::read()
{
    const auto fail = [this](const QString &error) {
        {
            std::lock_guard lock(m_mutex);
            m_error = error;
            m_finished = true;
        }
        if (!m_deliverQueued.exchange(true))
            QMetaObject::invokeMethod(this, &RecordingLoader::deliver, Qt::QueuedConnection);
    };
    std::ifstream in(m_path.toStdString(), std::ios::binary);
    if (!in) {
        fail(QStringLiteral("cannot open the file"));
        return;
    }
    in.seekg(0, std::ios::end);
    const auto size = double(std::max<std::streamoff>(1, in.tellg()));
    in.seekg(0);

    JsonlReader reader;
    std::vector<Event> batch;
    batch.reserve(kBatch);
    std::string line;
    std::string error;
    uint64_t lineNumber = 0;
    uint64_t events = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        Event e;
        if (!reader.read(line, e, error)) {
            fail(QStringLiteral("line %1: %2").arg(lineNumber).arg(QString::fromStdString(error)));
            return;
        }
        batch.push_back(std::move(e));
        ++events;
        if (batch.size() == kBatch) {
            {
                std::lock_guard lock(m_mutex);
                m_progress = double(in.tellg()) / size;
            }
            if (!push(std::exchange(batch, {})))
                return;
            batch.reserve(kBatch);
        }
        if (m_cancelled)
            return;
    }
    if (in.bad()) {
        fail(QStringLiteral("line %1: the file could not be read").arg(lineNumber + 1));
        return;
    }
    if (events == 0) {
        fail(QStringLiteral("the file holds no events"));
        return;
    }
    if (!batch.empty() && !push(std::move(batch)))
        return;
    fail(QString());
}

void RecordingLoader::deliver()
{
    m_deliverQueued = false;
    if (m_reported)
        return; // a late wake-up after the outcome was given
    for (;;) {
        std::vector<Event> batch;
        double progress = 0;
        bool finished = false;
        QString error;
        {
            std::lock_guard lock(m_mutex);
            progress = m_progress;
            finished = m_finished && m_batches.empty();
            error = m_error;
            if (!m_batches.empty()) {
                batch = std::move(m_batches.front());
                m_batches.pop_front();
                m_taken.notify_all();
            }
        }
        if (!batch.empty()) {
            if (!error.isEmpty())
                continue; // the file is bad: what came before it is not wanted
            m_callbacks.sink(batch);
            m_callbacks.progress(progress);
            continue;
        }
        if (finished) {
            m_reported = true;
            m_callbacks.done(error); // may delete this loader
        }
        return;
    }
}

RecordingSaver::RecordingSaver(EventBridge *bridge, const QString &path, Format format,
    std::function<void(double)> progress, std::function<void(const QString &)> done, QObject *parent)
    : QObject(parent)
    , m_bridge(bridge)
    , m_file(path)
    , m_progress(std::move(progress))
    , m_done(std::move(done))
{
    if (format == Format::Jsonl)
        m_jsonl = std::make_unique<JsonlWriter>(m_buffer);
    else
        m_chrome = std::make_unique<ChromeTraceWriter>(m_buffer);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &RecordingSaver::slice);
}

RecordingSaver::~RecordingSaver() = default;

void RecordingSaver::start()
{
    const History &history = m_bridge->history();
    m_first = m_next = history.firstSeq();
    m_end = history.endSeq();
    if (m_next == m_end) {
        finish(QStringLiteral("there are no events to save"));
        return;
    }
    if (!m_file.open(QIODevice::WriteOnly)) {
        finish(m_file.errorString());
        return;
    }
    m_timer.start();
}

void RecordingSaver::slice()
{
    QElapsedTimer spent;
    spent.start();
    const History &history = m_bridge->history();
    while (m_next < m_end && spent.elapsed() < kSliceMs) {
        const uint64_t stop = std::min(m_end, m_next + 1024);
        for (; m_next < stop; ++m_next) {
            const Event *e = history.event(m_next);
            if (e == nullptr) {
                finish(QStringLiteral("event %1 was dropped from the record while saving (the record keeps "
                                      "the newest %2 events): freeze or pause first")
                           .arg(m_next)
                           .arg(history.endSeq() - history.firstSeq()));
                return;
            }
            if (m_jsonl)
                m_jsonl->write(*e);
            else
                m_chrome->add(*e);
        }
        if (m_next == m_end && m_chrome)
            m_chrome->finish();
        const std::string chunk = m_buffer.str();
        if (m_file.write(chunk.data(), qint64(chunk.size())) != qint64(chunk.size())) {
            finish(m_file.errorString());
            return;
        }
        m_buffer.str({});
    }
    m_progress(double(m_next - m_first) / double(m_end - m_first));
    if (m_next < m_end)
        return;
    if (!m_file.commit()) {
        finish(m_file.errorString());
        return;
    }
    finish(QString());
}

void RecordingSaver::finish(const QString &error)
{
    m_timer.stop();
    if (!error.isEmpty())
        m_file.cancelWriting();
    m_done(error); // may delete this saver
}

} // namespace mailroom
