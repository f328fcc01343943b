// SPDX-License-Identifier: MIT
#include "timermodel.h"

namespace mailroom {

TimerModel::TimerModel(QObject *parent)
    : BridgedModel(parent)
{
}

int TimerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> TimerModel::roleNames() const
{
    return { { TimerRefRole, "timerRef" }, { SetterPidRole, "setterPid" }, { TargetPidRole, "targetPid" },
        { TargetNameRole, "targetName" }, { LabelRole, "label" }, { SetMsRole, "setMs" },
        { DeadlineMsRole, "deadlineMs" } };
}

QVariant TimerModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const TimerRecord &t = m_rows[size_t(index.row())];
    switch (role) {
    case TimerRefRole:
        return qint64(t.ref);
    case SetterPidRole:
        return int(t.setter.number);
    case TargetPidRole:
        return int(t.target.number);
    case TargetNameRole:
        return bridge() != nullptr ? QString::fromStdString(bridge()->view().displayName(t.target))
                                   : QString();
    case LabelRole:
        return QString::fromStdString(shortInspect(t.message, 28));
    case SetMsRole:
        return double(t.setNs) / 1e6;
    case DeadlineMsRole:
        return double(t.deadlineNs) / 1e6;
    default:
        return {};
    }
}

void TimerModel::setTargetPid(int pid)
{
    if (m_targetPid == pid)
        return;
    m_targetPid = pid;
    m_version = ~uint64_t(0);
    emit targetPidChanged();
    resync();
}

void TimerModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_version = ~uint64_t(0);
    endResetModel();
}

void TimerModel::sync()
{
    const WorldState &world = bridge()->view();
    if (world.timersVersion() == m_version)
        return;
    m_version = world.timersVersion();
    std::vector<const TimerRecord *> wanted;
    std::vector<uint64_t> keys;
    for (const TimerRecord &t : world.timers()) {
        if (m_targetPid != 0 && int(t.target.number) != m_targetPid)
            continue;
        wanted.push_back(&t);
        keys.push_back(t.ref);
    }
    size_t next = 0;
    followKeys(
        m_rows, keys, [](const TimerRecord &t) { return t.ref; },
        [&](uint64_t ref) {
            while (wanted[next]->ref != ref)
                ++next;
            return *wanted[next];
        });
}

} // namespace mailroom
