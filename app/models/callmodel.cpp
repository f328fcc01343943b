// SPDX-License-Identifier: MIT
#include "callmodel.h"

#include "mailboxmodel.h"

#include <algorithm>

namespace mailroom {

namespace {

QString outcomeName(CallRecord::Outcome outcome)
{
    switch (outcome) {
    case CallRecord::Outcome::Pending:
        return QStringLiteral("pending");
    case CallRecord::Outcome::Ok:
        return QStringLiteral("ok");
    case CallRecord::Outcome::Timeout:
        return QStringLiteral("timeout");
    case CallRecord::Outcome::Down:
        return QStringLiteral("down");
    }
    return {};
}

} // namespace

CallModel::CallModel(QObject *parent)
    : BridgedModel(parent)
{
}

int CallModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> CallModel::roleNames() const
{
    return { { CallIdRole, "callId" }, { IsCastRole, "isCast" }, { KindRole, "kind" },
        { ClientPidRole, "clientPid" }, { ClientNameRole, "clientName" }, { ServerPidRole, "serverPid" },
        { ServerNameRole, "serverName" }, { RequestRole, "request" }, { ReplyRole, "reply" },
        { BeginMsRole, "beginMs" }, { EndMsRole, "endMs" }, { DurationUsRole, "durationUs" },
        { OutcomeRole, "outcome" }, { TimeoutMsRole, "timeoutMs" } };
}

const CallRecord *CallModel::record(const Row &row) const
{
    const auto &calls = bridge()->history().calls();
    if (row.index < calls.size() && calls[row.index].seq == row.seq)
        return &calls[row.index];
    return nullptr;
}

double CallModel::lastCallUs(const QString &server) const
{
    if (bridge() == nullptr)
        return -1;
    const std::string name = server.toStdString();
    const auto &calls = bridge()->history().calls();
    for (auto it = calls.rbegin(); it != calls.rend(); ++it)
        if (!it->isCast && it->endNs >= 0 && it->endSeq <= bridge()->limitSeq() && it->serverName == name)
            return double(it->endNs - it->beginNs) / 1e3;
    return -1;
}

QVariant CallModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    if (bridge() == nullptr)
        return {};
    const CallRecord *c = record(m_rows[size_t(index.row())]);
    if (c == nullptr)
        return {};
    // At a playhead before its end, a call is still waiting.
    const bool pending = c->endNs < 0 || c->endSeq > bridge()->limitSeq();
    switch (role) {
    case CallIdRole:
        return qint64(c->seq);
    case IsCastRole:
        return c->isCast;
    case KindRole:
        return kindName(c->kind);
    case ClientPidRole:
        return int(c->client.number);
    case ClientNameRole:
        return QString::fromStdString(c->clientName);
    case ServerPidRole:
        return int(c->server.number);
    case ServerNameRole:
        return QString::fromStdString(c->serverName);
    case RequestRole:
        return c->hasRequest ? QString::fromStdString(shortInspect(c->request, 40)) : QString();
    case ReplyRole:
        return !pending && c->outcome == CallRecord::Outcome::Ok && !c->isCast
            ? QString::fromStdString(shortInspect(c->reply, 40))
            : QString();
    case BeginMsRole:
        return double(c->beginNs) / 1e6;
    case EndMsRole:
        return pending ? -1.0 : double(c->endNs) / 1e6;
    case DurationUsRole:
        return pending ? -1.0 : double(c->endNs - c->beginNs) / 1e3;
    case OutcomeRole:
        return outcomeName(pending ? CallRecord::Outcome::Pending : c->outcome);
    case TimeoutMsRole:
        return qint64(c->timeoutMs);
    default:
        return {};
    }
}

void CallModel::setMaxBars(int max)
{
    if (m_maxBars == max)
        return;
    m_maxBars = max;
    emit maxBarsChanged();
    refill();
}

void CallModel::setServer(const QString &server)
{
    if (m_server == server)
        return;
    m_server = server;
    m_serverStd = server.toStdString();
    emit serverChanged();
    refill();
}

void CallModel::setIncludeSystem(bool include)
{
    if (m_includeSystem == include)
        return;
    m_includeSystem = include;
    emit includeSystemChanged();
    refill();
}

void CallModel::refill()
{
    m_version = ~uint64_t(0);
    resync();
}

void CallModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_version = ~uint64_t(0);
    endResetModel();
}

void CallModel::sync()
{
    const History &history = bridge()->history();
    // Live, every call is shown as it is now, whatever the last seq.
    const uint64_t limit = bridge()->live() ? ~uint64_t(0) : bridge()->limitSeq();
    if (history.callsVersion() == m_version && limit == m_limit)
        return;
    const bool moved = limit != m_limit;
    if (!m_throttle.admit(history.callsVersion() - m_version, moved))
        return; // a flood: the next change waits a little
    m_version = history.callsVersion();
    m_limit = limit;
    const auto &calls = history.calls();
    std::vector<uint64_t> keys;
    std::vector<size_t> indices;
    // The newest bars up to the playhead.
    size_t end = calls.size();
    if (!bridge()->live())
        end = size_t(std::upper_bound(calls.begin(), calls.end(), limit,
                         [](uint64_t seq, const CallRecord &c) { return seq < c.seq; })
            - calls.begin());
    for (size_t i = end; i-- > 0 && int(keys.size()) < m_maxBars;) {
        const CallRecord &c = calls[i];
        if (c.kind == MessageKind::System && !m_includeSystem)
            continue;
        if (!m_serverStd.empty() && c.serverName != m_serverStd)
            continue;
        keys.push_back(c.seq);
        indices.push_back(i);
    }
    size_t next = 0;
    followKeys(
        m_rows, keys, [](const Row &r) { return r.seq; },
        [&](uint64_t seq) {
            while (keys[next] != seq)
                ++next;
            return Row{ seq, calls[indices[next]].version, indices[next] };
        });
    std::vector<int> changed;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        row.index = indices[i]; // the History drops from the front, so indices shift
        const uint32_t version = calls[row.index].version;
        if (version != row.version || moved) {
            row.version = version;
            changed.push_back(int(i));
        }
    }
    emitChanged(changed);
}

} // namespace mailroom
