// SPDX-License-Identifier: MIT
#include "inflightmodel.h"

#include "mailboxmodel.h"

#include <map>

namespace mailroom {

namespace {
constexpr int kMaxNewPerFrame = 12; // single flights started in one frame
constexpr uint64_t kMaxStepFlights = 64; // a playhead step of at most this many events animates
} // namespace

InFlightModel::InFlightModel(QObject *parent)
    : BridgedModel(parent)
{
    m_clock.start();
}

int InFlightModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> InFlightModel::roleNames() const
{
    return { { FlightIdRole, "flightId" }, { FromPidRole, "fromPid" }, { ToPidRole, "toPid" },
        { KindRole, "kind" }, { LabelRole, "label" }, { CountRole, "count" },
        { StartedMsRole, "startedMs" } };
}

QVariant InFlightModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Flight &f = m_rows[size_t(index.row())];
    switch (role) {
    case FlightIdRole:
        return qint64(f.id);
    case FromPidRole:
        return int(f.from.number);
    case ToPidRole:
        return int(f.to.number);
    case KindRole:
        return kindName(f.kind);
    case LabelRole:
        return f.label;
    case CountRole:
        return f.count;
    case StartedMsRole:
        return f.startedMs;
    default:
        return {};
    }
}

void InFlightModel::setDurationMs(int ms)
{
    if (m_durationMs == ms)
        return;
    m_durationMs = ms;
    emit durationMsChanged();
}

void InFlightModel::setMaxFlights(int max)
{
    if (m_maxFlights == max)
        return;
    m_maxFlights = max;
    emit maxFlightsChanged();
}

void InFlightModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_next = 0;
    endResetModel();
}

void InFlightModel::sync()
{
    const History &history = bridge()->history();
    const qint64 now = m_clock.elapsed();

    // Landed flights leave first (they are in start order).
    size_t landed = 0;
    while (landed < m_rows.size() && m_rows[landed].startedMs + m_durationMs <= now)
        ++landed;
    if (landed > 0) {
        beginRemoveRows({}, 0, int(landed) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + std::ptrdiff_t(landed));
        endRemoveRows();
    }

    // A bridge attached mid-run animates only what happens from now on. At a playhead, what
    // a short step forward sends flies; a jump or a step back shows none in the air.
    const uint64_t end = bridge()->live() ? history.endSeq() : bridge()->limitSeq() + 1;
    const bool moved = bridge()->playheadEpoch() != m_epoch;
    if (moved) {
        m_epoch = bridge()->playheadEpoch();
        const bool step
            = !bridge()->live() && m_next != 0 && m_next <= end && end - m_next <= kMaxStepFlights;
        if (!step)
            m_next = end;
    }
    if (m_next == 0)
        m_next = end;
    m_next = std::max(m_next, history.firstSeq());
    if (m_next < end && !m_throttle.admit(end - m_next, moved)) {
        updateCoalescing(now);
        return; // a flood: these sends fly a little later, with the next ones
    }
    const bool flood = m_throttle.flooding();
    std::vector<Flight> added;
    std::map<std::tuple<uint32_t, uint32_t, uint8_t>, size_t> bursts; // (from, to, kind) -> index in added
    int singles = 0;
    bool coalesced = false;
    for (; m_next < end; ++m_next) {
        const Event *e = history.event(m_next);
        if (e == nullptr || e->type != EventType::Send || !e->other.isValid() || (e->flags & kEventPlumbing) != 0)
            continue;
        const bool room
            = !flood && singles < kMaxNewPerFrame && int(m_rows.size() + added.size()) < m_maxFlights;
        if (room) {
            added.push_back({ e->seq, e->pid, e->other, e->kind,
                QString::fromStdString(shortInspect(messagePayload(e->term, e->kind), 24)), 1, now });
            ++singles;
            continue;
        }
        coalesced = true;
        const auto key = std::make_tuple(e->pid.number, e->other.number, uint8_t(e->kind));
        if (const auto it = bursts.find(key); it != bursts.end()) {
            ++added[it->second].count;
        } else {
            bursts.emplace(key, added.size());
            added.push_back({ e->seq, e->pid, e->other, e->kind, {}, 1, now });
        }
    }
    for (const auto &[key, index] : bursts)
        added[index].label = QStringLiteral("×%1").arg(added[index].count);
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.insert(
            m_rows.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
        endInsertRows();
    }
    if (coalesced)
        m_lastCoalescedMs = now;
    updateCoalescing(now);
}

void InFlightModel::updateCoalescing(qint64 now)
{
    const bool coalescing = now - m_lastCoalescedMs < 1000;
    if (coalescing != m_coalescing) {
        m_coalescing = coalescing;
        emit coalescingChanged();
    }
}

} // namespace mailroom
