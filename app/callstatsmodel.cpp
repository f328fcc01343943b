#include "callstatsmodel.h"

#include <algorithm>
#include <cmath>

namespace mailroom {

CallStatsModel::CallStatsModel(QObject *parent)
    : BridgedModel(parent)
{
}

int CallStatsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> CallStatsModel::roleNames() const
{
    return { { ServerRole, "server" }, { KindRole, "kind" }, { CountRole, "count" }, { P50UsRole, "p50Us" },
        { P99UsRole, "p99Us" }, { MaxUsRole, "maxUs" } };
}

QVariant CallStatsModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case ServerRole: {
        const auto &groups = bridge()->history().callGroups();
        return row.group < groups.size() ? QString::fromStdString(groups[row.group]) : QString();
    }
    case KindRole:
        return row.isCast ? QStringLiteral("cast") : QStringLiteral("call");
    case CountRole:
        return row.count;
    case P50UsRole:
        return double(row.p50Ns) / 1e3;
    case P99UsRole:
        return double(row.p99Ns) / 1e3;
    case MaxUsRole:
        return double(row.maxNs) / 1e3;
    default:
        return {};
    }
}

int CallStatsModel::rowOf(const QString &server, bool cast) const
{
    if (bridge() == nullptr)
        return -1;
    const auto &groups = bridge()->history().callGroups();
    const std::string name = server.toStdString();
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].isCast == cast && m_rows[i].group < groups.size() && groups[m_rows[i].group] == name)
            return int(i);
    return -1;
}

void CallStatsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_consumed = 0;
    endResetModel();
}

void CallStatsModel::sync()
{
    const History &history = bridge()->history();
    if (bridge()->playheadEpoch() != m_epoch) {
        // The playhead jumped: add up again, to the playhead.
        m_epoch = bridge()->playheadEpoch();
        clear();
    }
    const auto &samples = history.samples();
    const uint64_t end = history.samplesDropped() + samples.size();
    const uint64_t limit = bridge()->limitSeq();
    m_consumed = std::max(m_consumed, history.samplesDropped());
    if (m_consumed == end)
        return;
    for (; m_consumed < end; ++m_consumed) {
        const CallSample &s = samples[size_t(m_consumed - history.samplesDropped())];
        if (s.endSeq > limit)
            break; // samples are in the order they ended
        if (s.isSystem)
            continue; // :sys requests are not the API under study
        auto it = std::find_if(m_rows.begin(), m_rows.end(),
            [&](const Row &r) { return r.group == s.group && r.isCast == s.isCast; });
        if (it == m_rows.end()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.push_back({ s.group, s.isCast, 0, 0, 0, 0, {}, 0, false });
            endInsertRows();
            it = m_rows.end() - 1;
        }
        Row &row = *it;
        ++row.count;
        row.maxNs = std::max(row.maxNs, s.durationNs);
        if (row.window.size() < kWindow) {
            row.window.push_back(s.durationNs);
        } else {
            row.window[row.next] = s.durationNs;
            row.next = (row.next + 1) % kWindow;
        }
        row.dirty = true;
    }
    std::vector<int> changed;
    std::vector<int64_t> sorted;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        if (!row.dirty)
            continue;
        row.dirty = false;
        sorted = row.window;
        std::sort(sorted.begin(), sorted.end());
        // Nearest-rank percentiles.
        const auto rank = [&](double p) {
            const auto k = size_t(std::ceil(p * double(sorted.size())));
            return sorted[std::min(sorted.size() - 1, k == 0 ? 0 : k - 1)];
        };
        row.p50Ns = rank(0.50);
        row.p99Ns = rank(0.99);
        changed.push_back(int(i));
    }
    emitChanged(changed);
}

} // namespace mailroom
