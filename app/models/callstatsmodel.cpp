// SPDX-License-Identifier: MIT
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
    const Series &series = m_series[row.series];
    switch (role) {
    case ServerRole: {
        const auto &groups = bridge()->history().callGroups();
        return series.group < groups.size() ? QString::fromStdString(groups[series.group]) : QString();
    }
    case KindRole:
        return series.isSend ? QStringLiteral("send") : series.isCast ? QStringLiteral("cast")
                                                                      : QStringLiteral("call");
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
    for (size_t i = 0; i < m_rows.size(); ++i) {
        const Series &series = m_series[m_rows[i].series];
        if (series.isCast == cast && !series.isSend && series.group < groups.size() && groups[series.group] == name)
            return int(i);
    }
    return -1;
}

void CallStatsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_series.clear();
    m_indexed = 0;
    m_shownEnd = ~uint64_t(0);
    endResetModel();
}

bool CallStatsModel::compute(Series &series, uint64_t count)
{
    if (count == series.shownCount)
        return false;
    series.shownCount = count;
    const History &history = bridge()->history();
    const auto &samples = history.samples();
    const uint64_t dropped = history.samplesDropped();
    const uint64_t kept = count - series.trimmed; // entries of series.samples counted
    series.maxNs
        = kept == 0 ? series.trimmedMax : std::max(series.trimmedMax, series.prefixMax[size_t(kept - 1)]);
    // Percentiles over the most recent kWindow samples still kept.
    m_scratch.clear();
    for (uint64_t k = kept; k-- > 0 && m_scratch.size() < kWindow;) {
        const uint64_t abs = series.samples[size_t(k)];
        if (abs < dropped)
            break;
        m_scratch.push_back(samples[size_t(abs - dropped)].durationNs);
    }
    if (m_scratch.empty()) {
        series.p50Ns = series.p99Ns = series.maxNs;
        return true;
    }
    // Nearest-rank percentiles.
    const auto rank = [&](double p) {
        const auto k = size_t(std::ceil(p * double(m_scratch.size())));
        const size_t at = std::min(m_scratch.size() - 1, k == 0 ? 0 : k - 1);
        std::nth_element(m_scratch.begin(), m_scratch.begin() + std::ptrdiff_t(at), m_scratch.end());
        return m_scratch[at];
    };
    series.p50Ns = rank(0.50);
    series.p99Ns = rank(0.99);
    return true;
}

void CallStatsModel::sync()
{
    const History &history = bridge()->history();
    const auto &samples = history.samples();
    const uint64_t dropped = history.samplesDropped();
    const uint64_t end = dropped + samples.size();

    // Index what ended since the last frame (whatever the playhead), by server and kind.
    m_indexed = std::max(m_indexed, dropped);
    for (; m_indexed < end; ++m_indexed) {
        const CallSample &s = samples[size_t(m_indexed - dropped)];
        if (s.isSystem)
            continue; // :sys requests are not the API under study
        auto it = std::find_if(m_series.begin(), m_series.end(),
            [&](const Series &series) {
                return series.group == s.group && series.isCast == s.isCast && series.isSend == s.isSend;
            });
        if (it == m_series.end()) {
            m_series.push_back({});
            it = m_series.end() - 1;
            it->group = s.group;
            it->isCast = s.isCast;
            it->isSend = s.isSend;
        }
        it->samples.push_back(m_indexed);
        it->prefixMax.push_back(
            it->prefixMax.empty() ? s.durationNs : std::max(it->prefixMax.back(), s.durationNs));
    }
    // What the History no longer keeps is counted, not indexed.
    for (Series &series : m_series) {
        while (!series.samples.empty() && series.samples.front() < dropped) {
            series.samples.pop_front();
            series.trimmedMax = std::max(series.trimmedMax, series.prefixMax.front());
            series.prefixMax.pop_front();
            ++series.trimmed;
        }
    }

    // The samples before the playhead: they are in the order they ended.
    uint64_t shownEnd = end;
    if (!bridge()->live()) {
        const uint64_t limit = bridge()->limitSeq();
        shownEnd = dropped
            + uint64_t(std::partition_point(samples.begin(), samples.end(), [limit](const CallSample &s) {
                  return s.endSeq <= limit;
              }) - samples.begin());
    }
    if (shownEnd == m_shownEnd)
        return;
    m_shownEnd = shownEnd;

    std::vector<size_t> keys;
    std::vector<bool> changed(m_series.size(), false);
    for (size_t i = 0; i < m_series.size(); ++i) {
        Series &series = m_series[i];
        const uint64_t count = series.trimmed
            + uint64_t(std::lower_bound(series.samples.begin(), series.samples.end(), shownEnd)
                - series.samples.begin());
        changed[i] = compute(series, count);
        if (count > 0)
            keys.push_back(i);
    }
    followKeys(
        m_rows, keys, [](const Row &r) { return r.series; },
        [](size_t i) {
            return Row{ i, -1, 0, 0, 0 };
        });
    std::vector<int> rows;
    for (size_t r = 0; r < m_rows.size(); ++r) {
        Row &row = m_rows[r];
        const Series &series = m_series[row.series];
        const auto count = qint64(series.shownCount);
        if (row.count == count && row.maxNs == series.maxNs && row.p50Ns == series.p50Ns
            && row.p99Ns == series.p99Ns)
            continue;
        row.count = count;
        row.maxNs = series.maxNs;
        row.p50Ns = series.p50Ns;
        row.p99Ns = series.p99Ns;
        rows.push_back(int(r));
    }
    emitChanged(rows);
}

} // namespace mailroom
