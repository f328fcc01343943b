// SPDX-License-Identifier: MIT
#include "mailboxmodel.h"

namespace mailroom {

QString kindName(MessageKind kind)
{
    return QString::fromLatin1(toString(kind));
}

MailboxModel::MailboxModel(QObject *parent)
    : BridgedModel(parent)
{
}

int MailboxModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> MailboxModel::roleNames() const
{
    return {
        { MessageIdRole, "messageId" },
        { KindRole, "kind" },
        { LabelRole, "label" },
        { TextRole, "text" },
        { FromPidRole, "fromPid" },
        { FromNameRole, "fromName" },
        { SentMsRole, "sentMs" },
        { HandlingRole, "handling" },
        { SinceMsRole, "sinceMs" },
    };
}

QVariant MailboxModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case MessageIdRole:
        return qint64(row.id);
    case KindRole:
        return kindName(row.kind);
    case LabelRole:
        return QString::fromStdString(shortInspect(messagePayload(row.term, row.kind), 28));
    case TextRole:
        return QString::fromStdString(shortInspect(row.term, 400));
    case FromPidRole:
        return int(row.from.number);
    case FromNameRole:
        return bridge() != nullptr ? QString::fromStdString(bridge()->view().displayName(row.from))
                                   : QString();
    case SentMsRole:
        return double(row.sentNs) / 1e6;
    case HandlingRole:
        return row.handling;
    case SinceMsRole:
        return double(row.sinceNs) / 1e6;
    default:
        return {};
    }
}

void MailboxModel::setPid(int pid)
{
    if (m_pid == pid)
        return;
    m_pid = pid;
    m_version = ~uint64_t(0);
    emit pidChanged();
    resync();
}

void MailboxModel::setMaxTokens(int max)
{
    max = std::max(max, 1);
    if (m_maxTokens == max)
        return;
    m_maxTokens = max;
    m_version = ~uint64_t(0);
    emit maxTokensChanged();
    resync();
}

void MailboxModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_version = ~uint64_t(0);
    endResetModel();
}

void MailboxModel::sync()
{
    const ProcessRecord *p = bridge()->view().process(Pid{ uint32_t(m_pid) });
    const uint64_t version = p != nullptr ? p->mailboxVersion : 0;
    if (version == m_version && p != nullptr)
        return;
    m_version = version;

    std::vector<Row> wanted;
    if (p != nullptr) {
        if (p->handling)
            wanted.push_back({ p->handled.id, true, p->handled.kind, p->handled.from, p->handled.sentNs,
                p->handlingSinceNs, p->handled.term });
        for (const QueuedMessage &m : p->mailbox) {
            if (int(wanted.size()) >= m_maxTokens + (p->handling ? 1 : 0))
                break;
            wanted.push_back({ m.id, false, m.kind, m.from, m.sentNs, m.sentNs, m.term });
        }
    }
    std::vector<uint64_t> keys;
    keys.reserve(wanted.size());
    for (const Row &r : wanted)
        keys.push_back(r.id);
    size_t next = 0;
    followKeys(
        m_rows, keys, [](const Row &r) { return r.id; },
        [&](uint64_t id) {
            while (wanted[next].id != id)
                ++next;
            return wanted[next];
        });
    std::vector<int> changed;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].handling != wanted[i].handling || m_rows[i].sinceNs != wanted[i].sinceNs) {
            m_rows[i] = wanted[i];
            changed.push_back(int(i));
        }
    }
    emitChanged(changed, { HandlingRole, SinceMsRole });

    const int depth = p != nullptr ? int(p->mailbox.size()) : 0;
    const int shown = int(m_rows.size()) - (handling() ? 1 : 0);
    if (depth != m_depth || depth - shown != m_overflow || handling() != m_handling) {
        m_depth = depth;
        m_overflow = depth - shown;
        m_handling = handling();
        emit depthChanged();
    }
}

} // namespace mailroom
