// SPDX-License-Identifier: MIT
#include "statehistorymodel.h"

#include <cmath>
#include <limits>

namespace mailroom {

namespace {
double numeric(const Term &t)
{
    return t.isNumber() ? t.asNumber() : std::numeric_limits<double>::quiet_NaN();
}
} // namespace

StateHistoryModel::StateHistoryModel(QObject *parent)
    : BridgedModel(parent)
{
}

int StateHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> StateHistoryModel::roleNames() const
{
    return { { TimeMsRole, "timeMs" }, { ValueRole, "value" }, { TextRole, "text" } };
}

QVariant StateHistoryModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case TimeMsRole:
        return double(row.timeNs) / 1e6;
    case ValueRole:
        return row.value;
    case TextRole:
        return QString::fromStdString(shortInspect(row.state, 80));
    default:
        return {};
    }
}

QList<QPointF> StateHistoryModel::points() const
{
    QList<QPointF> out;
    out.reserve(qsizetype(m_rows.size()));
    for (const Row &row : m_rows)
        if (!std::isnan(row.value))
            out.append(QPointF(double(row.timeNs) / 1e6, row.value));
    return out;
}

void StateHistoryModel::setServer(const QString &server)
{
    reselect(m_server, server, &StateHistoryModel::serverChanged);
}

void StateHistoryModel::setWindowMs(int ms)
{
    reselect(m_windowMs, ms, &StateHistoryModel::windowMsChanged);
}

void StateHistoryModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pid = 0;
    endResetModel();
}

void StateHistoryModel::sync()
{
    const WorldState &world = bridge()->view();
    const History &history = bridge()->history();
    const ProcessRecord *p = world.processNamed(m_server.toStdString());
    if (p == nullptr) {
        bool ok = false;
        const uint32_t number = m_server.toUInt(&ok); // a pid number works too
        if (ok)
            p = world.process(Pid{ number });
    }
    const uint32_t pid = p != nullptr ? p->pid.number : 0;
    if (pid != m_pid || bridge()->playheadEpoch() != m_epoch) {
        m_epoch = bridge()->playheadEpoch();
        beginResetModel();
        m_rows.clear();
        m_pid = pid;
        endResetModel();
    }
    const int64_t now = bridge()->nowNs();
    const int64_t from = now - int64_t(m_windowMs) * 1'000'000;

    // Old points leave; the newest older than the window stays so the line starts at its edge.
    size_t old = 0;
    while (old + 1 < m_rows.size() && m_rows[old + 1].timeNs < from)
        ++old;
    if (old > 0) {
        beginRemoveRows({}, 0, int(old) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + std::ptrdiff_t(old));
        endRemoveRows();
    }
    if (const auto *points = p != nullptr ? history.states(p->pid) : nullptr) {
        const uint64_t after = m_rows.empty() ? 0 : m_rows.back().seq;
        const uint64_t limit = bridge()->limitSeq();
        std::vector<Row> added;
        auto it = points->rbegin();
        while (it != points->rend() && it->seq > limit)
            ++it; // after the playhead
        for (; it != points->rend() && it->seq > after; ++it) {
            added.push_back({ it->seq, it->timeNs, numeric(it->state), it->state });
            if (it->timeNs < from)
                break;
        }
        if (!added.empty()) {
            const int first = int(m_rows.size());
            beginInsertRows({}, first, first + int(added.size()) - 1);
            m_rows.insert(
                m_rows.end(), std::make_move_iterator(added.rbegin()), std::make_move_iterator(added.rend()));
            endInsertRows();
        }
    }

    bool alive = p != nullptr && !p->exited;
    QString text = m_stateText;
    const uint64_t version = p != nullptr ? p->version : 0;
    if (version != m_seenVersion || pid != m_textPid) {
        text = p != nullptr && p->isServer ? QString::fromStdString(shortInspect(p->state, 80)) : QString();
        m_seenVersion = version;
        m_textPid = pid;
    }
    double value = p != nullptr && p->isServer ? numeric(p->state) : std::numeric_limits<double>::quiet_NaN();
    double lo = 0;
    double hi = 0;
    bool first = true;
    for (const Row &row : m_rows) {
        if (std::isnan(row.value))
            continue;
        lo = first ? row.value : std::min(lo, row.value);
        hi = first ? row.value : std::max(hi, row.value);
        first = false;
    }
    double next = -1;
    double period = 0;
    for (const TimerRecord &t : world.timers()) {
        if (p != nullptr && t.target == p->pid) {
            next = double(t.deadlineNs) / 1e6;
            period = double(t.deadlineNs - t.setNs) / 1e6;
            break; // timers are soonest first
        }
    }
    const int depth = p != nullptr ? int(p->mailbox.size()) : 0;
    const bool handling = p != nullptr && p->handling;
    const double lastChange = p != nullptr ? double(p->stateChangedNs) / 1e6 : 0;
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    if (alive != m_alive || text != m_stateText || !same(value, m_value) || lo != m_min || hi != m_max
        || next != m_nextTimerMs || period != m_timerPeriodMs || depth != m_mailboxDepth
        || handling != m_handling || lastChange != m_lastChangeMs) {
        m_alive = alive;
        m_stateText = text;
        m_value = value;
        m_min = lo;
        m_max = hi;
        m_nextTimerMs = next;
        m_timerPeriodMs = period;
        m_mailboxDepth = depth;
        m_handling = handling;
        m_lastChangeMs = lastChange;
        emit changed();
    }
}

} // namespace mailroom
