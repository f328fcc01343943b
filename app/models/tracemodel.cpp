// SPDX-License-Identifier: MIT
#include "tracemodel.h"

#include "localpath.h"
#include "traceformat.h"

#include <QClipboard>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QSaveFile>
#include <algorithm>
#include <cctype>
#include <utility>

namespace mailroom {

namespace {

QString timeText(int64_t ns)
{
    return QString::number(double(ns) / 1e6, 'f', 3);
}

std::string lower(std::string text)
{
    std::transform(
        text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

/// The message a line is about when its own seq says so (a Send is the message).
uint64_t messageIdOf(const TraceRow &row)
{
    return row.type == EventType::Send ? row.seq : 0;
}

} // namespace

TraceModel::TraceModel(QObject *parent)
    : BridgedModel(parent)
{
}

int TraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

QHash<int, QByteArray> TraceModel::roleNames() const
{
    return {
        { SeqRole, "seq" },
        { TimeMsRole, "timeMs" },
        { TimeTextRole, "timeText" },
        { PidRole, "pid" },
        { OtherPidRole, "otherPid" },
        { CategoryRole, "category" },
        { TextRole, "text" },
        { MessageIdRole, "messageId" },
    };
}

QStringList TraceModel::categoryNames()
{
    QStringList names;
    for (uint8_t c = 0; c <= uint8_t(TraceCategory::Block); ++c)
        names.append(QString::fromLatin1(mailroom::categoryName(TraceCategory(c))));
    return names;
}

const TraceRow &TraceModel::traceRow(int row) const
{
    const History &history = bridge()->history();
    return history.trace()[size_t(m_visible[size_t(row)] - history.traceDropped())];
}

std::string TraceModel::lineOf(const TraceRow &row) const
{
    return traceLine(row, bridge()->history(), m_erlang);
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    if (bridge() == nullptr)
        return {};
    const TraceRow &row = traceRow(index.row());
    switch (role) {
    case SeqRole:
        return qint64(row.seq);
    case TimeMsRole:
        return double(row.timeNs) / 1e6;
    case TimeTextRole:
        return timeText(row.timeNs);
    case PidRole:
        return int(row.pid);
    case OtherPidRole:
        return int(row.other);
    case CategoryRole:
        return QString::fromLatin1(categoryName(row.category));
    case TextRole:
        return QString::fromStdString(lineOf(row));
    case MessageIdRole: {
        if (const uint64_t id = messageIdOf(row); id != 0)
            return qint64(id);
        if (row.type == EventType::Dequeue || row.type == EventType::HandlerBegin
            || row.type == EventType::HandlerEnd)
            if (const Event *e = bridge()->history().event(row.seq))
                return qint64(e->ref);
        return qint64(0);
    }
    default:
        return {};
    }
}

bool TraceModel::accepts(const TraceRow &row) const
{
    if ((m_categories & categoryBit(row.category)) == 0)
        return false;
    if (m_pidFilter != 0 && int(row.pid) != m_pidFilter && int(row.other) != m_pidFilter)
        return false;
    if (!m_searchLower.empty())
        return lower(lineOf(row)).find(m_searchLower) != std::string::npos;
    return true;
}

void TraceModel::setErlangSyntax(bool erlang)
{
    if (m_erlang == erlang)
        return;
    m_erlang = erlang;
    emit erlangSyntaxChanged();
    if (!m_searchLower.empty())
        refilter(); // the text searched in changed
    else if (!m_visible.empty())
        emit dataChanged(index(0), index(int(m_visible.size()) - 1), { TextRole });
}

void TraceModel::setPidFilter(int pid)
{
    if (m_pidFilter == pid)
        return;
    m_pidFilter = pid;
    emit filterChanged();
    refilter();
}

void TraceModel::setCategories(int bits)
{
    const auto value = uint32_t(bits) & kAllCategories;
    if (m_categories == value)
        return;
    m_categories = value;
    emit filterChanged();
    refilter();
}

void TraceModel::setSearch(const QString &text)
{
    if (m_search == text)
        return;
    m_search = text;
    m_searchLower = lower(text.toStdString());
    emit filterChanged();
    refilter();
}

qint64 TraceModel::totalLines() const
{
    return bridge() != nullptr ? qint64(bridge()->history().trace().size()) : 0;
}

void TraceModel::refilter()
{
    beginResetModel();
    m_visible.clear();
    m_scanned = bridge() != nullptr ? bridge()->history().traceDropped() : 0;
    endResetModel();
    m_filterChanged = true;
    resync();
}

void TraceModel::clear()
{
    beginResetModel();
    m_visible.clear();
    m_scanned = 0;
    endResetModel();
}

void TraceModel::sync()
{
    const History &history = bridge()->history();
    const uint64_t dropped = history.traceDropped();
    // Lines the history no longer keeps leave from the top.
    size_t gone = 0;
    while (gone < m_visible.size() && m_visible[gone] < dropped)
        ++gone;
    if (gone > 0) {
        beginRemoveRows({}, 0, int(gone) - 1);
        m_visible.erase(m_visible.begin(), m_visible.begin() + std::ptrdiff_t(gone));
        endRemoveRows();
    }
    m_scanned = std::max(m_scanned, dropped);

    const uint64_t end = dropped + history.trace().size();
    // A filter's rescan goes on at its own pace; live lines under a flood wait a little.
    const bool now = std::exchange(m_filterChanged, false) || m_scanning;
    if (m_scanned < end && !m_throttle.admit(end - m_scanned, now))
        return;
    std::vector<uint64_t> found;
    QElapsedTimer spent;
    spent.start();
    const bool cheap = m_searchLower.empty();
    while (m_scanned < end) {
        // Cheap filters take everything at once; a text search stops at the frame budget.
        const uint64_t stop = cheap ? end : std::min(end, m_scanned + 512);
        for (; m_scanned < stop; ++m_scanned)
            if (accepts(history.trace()[size_t(m_scanned - dropped)]))
                found.push_back(m_scanned);
        if (!cheap && spent.elapsed() >= kScanBudgetMs)
            break;
    }
    if (!found.empty()) {
        const int first = int(m_visible.size());
        beginInsertRows({}, first, first + int(found.size()) - 1);
        m_visible.insert(m_visible.end(), found.begin(), found.end());
        endInsertRows();
    }
    if (totalLines() != m_total) {
        m_total = totalLines();
        emit totalLinesChanged();
    }
    const bool scanning = m_scanned < end;
    if (scanning != m_scanning) {
        m_scanning = scanning;
        emit scanningChanged();
    }
}

QString TraceModel::linesText(int first, int last) const
{
    QString text;
    if (bridge() == nullptr)
        return text;
    first = std::max(first, 0);
    last = std::min(last, int(m_visible.size()) - 1);
    for (int r = first; r <= last; ++r) {
        const TraceRow &row = traceRow(r);
        text += timeText(row.timeNs).rightJustified(12) + QStringLiteral("  ")
            + QString::fromStdString(lineOf(row)) + QLatin1Char('\n');
    }
    return text;
}

void TraceModel::copy(int first, int last) const
{
    if (first < 0) {
        first = 0;
        last = int(m_visible.size()) - 1;
    }
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr)
        QGuiApplication::clipboard()->setText(linesText(first, last));
}

bool TraceModel::save(const QUrl &file)
{
    QSaveFile out(localPath(file));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Text)) {
        m_error = out.errorString();
        return false;
    }
    constexpr int kChunk = 4096;
    for (int r = 0; r < int(m_visible.size()); r += kChunk)
        out.write(linesText(r, r + kChunk - 1).toUtf8());
    if (!out.commit()) {
        m_error = out.errorString();
        return false;
    }
    m_error.clear();
    return true;
}

int TraceModel::rowOfSeq(qint64 seq) const
{
    if (bridge() == nullptr || m_visible.empty())
        return -1;
    const History &history = bridge()->history();
    const uint64_t dropped = history.traceDropped();
    const auto it = std::upper_bound(m_visible.begin(), m_visible.end(), uint64_t(seq),
        [&](uint64_t s, uint64_t abs) { return s < history.trace()[size_t(abs - dropped)].seq; });
    return it == m_visible.begin() ? -1 : int(it - m_visible.begin()) - 1;
}

} // namespace mailroom
