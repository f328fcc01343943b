// SPDX-License-Identifier: MIT
#include "stateentriesmodel.h"

namespace mailroom {

StateEntriesModel::StateEntriesModel(QObject *parent)
    : BridgedModel(parent)
{
}

int StateEntriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> StateEntriesModel::roleNames() const
{
    return { { TextRole, "text" }, { IsNewRole, "isNew" }, { AddedMsRole, "addedMs" } };
}

QVariant StateEntriesModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case TextRole:
        return row.text;
    case IsNewRole:
        return row.isNew;
    case AddedMsRole:
        return double(row.addedNs) / 1e6;
    default:
        return {};
    }
}

void StateEntriesModel::setServer(const QString &server)
{
    reselect(m_server, server, &StateEntriesModel::serverChanged);
}

void StateEntriesModel::setNewestFirst(bool newestFirst)
{
    reselect(m_newestFirst, newestFirst, &StateEntriesModel::newestFirstChanged);
}

void StateEntriesModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pid = 0;
    m_version = ~uint64_t(0);
    endResetModel();
}

void StateEntriesModel::sync()
{
    const ProcessRecord *p = bridge()->view().processNamed(m_server.toStdString());
    const bool alive = p != nullptr && !p->exited;
    if (alive != m_alive) {
        m_alive = alive;
        emit aliveChanged();
    }
    const uint32_t pid = p != nullptr ? p->pid.number : 0;
    const uint64_t version = p != nullptr ? p->version : 0;
    if (pid == m_pid && version == m_version)
        return;
    m_version = version;

    std::vector<Term> entries;
    if (p != nullptr && p->state.isList())
        entries = p->state.listElements();
    if (m_newestFirst)
        std::reverse(entries.begin(), entries.end());

    // The common change: entries added at the end. Anything else starts over.
    bool appended = pid == m_pid && entries.size() >= m_rows.size();
    for (size_t i = 0; appended && i < m_rows.size(); ++i)
        appended = entries[i] == m_rows[i].term;
    const int64_t now = bridge()->view().timeNs();
    if (!appended) {
        beginResetModel();
        m_rows.clear();
        for (const Term &t : entries)
            m_rows.push_back({ t,
                QString::fromStdString(t.isBinary() ? std::string(t.asBinary()) : t.inspect()), false, now });
        m_pid = pid;
        endResetModel();
        return;
    }
    if (entries.size() == m_rows.size())
        return;
    std::vector<int> unmarked;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].isNew) {
            m_rows[i].isNew = false;
            unmarked.push_back(int(i));
        }
    }
    emitChanged(unmarked, { IsNewRole });
    const size_t first = m_rows.size();
    beginInsertRows({}, int(first), int(entries.size()) - 1);
    for (size_t i = first; i < entries.size(); ++i) {
        const Term &t = entries[i];
        m_rows.push_back(
            { t, QString::fromStdString(t.isBinary() ? std::string(t.asBinary()) : t.inspect()), true, now });
    }
    endInsertRows();
}

} // namespace mailroom
