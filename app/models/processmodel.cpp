// SPDX-License-Identifier: MIT
#include "processmodel.h"

namespace mailroom {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
/// <0.N.0>; a process of the k-th other node of a cluster (numbered k * 2^24 + N, docs/events.md)
/// as <k.N.0>, as the BEAM writes a pid of another node.
QString pidString(uint32_t pid)
{
    return QStringLiteral("<%1.%2.0>").arg(pid >> 24).arg(pid & 0xFFFFFFU);
}

QString handlerName(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Call:
        return QStringLiteral("handle_call");
    case MessageKind::Cast:
        return QStringLiteral("handle_cast");
    case MessageKind::System:
        return QStringLiteral("a :sys request");
    default:
        return QStringLiteral("handle_info");
    }
}

/// `evaluating`: p is the shell and has a console line to run (EventBridge::shellBusy).
QString status(const ProcessRecord &p, bool evaluating)
{
    if (p.exited)
        return QStringLiteral("exited");
    switch (p.block) {
    case BlockKind::Call:
        return QStringLiteral("blocked");
    case BlockKind::Sleep:
        return QStringLiteral("sleeping");
    case BlockKind::Await:
        return QStringLiteral("awaiting");
    case BlockKind::None:
        break;
    }
    if (p.handling || evaluating)
        return QStringLiteral("running");
    if (p.suspended)
        return QStringLiteral("suspended");
    return QStringLiteral("waiting");
}

QString statusText(const WorldState &world, const ProcessRecord &p, bool evaluating)
{
    if (p.exited)
        return (p.crashed ? QStringLiteral("crashed: ") : QStringLiteral("exited: "))
            + qs(shortInspect(p.exitReason, 60));
    const QString inHandler = p.handling ? QStringLiteral(" in ") + handlerName(p.handled.kind) : QString();
    switch (p.block) {
    case BlockKind::Call:
        return (p.blockMessageKind == MessageKind::System ? QStringLiteral(":sys call to ")
                                                          : QStringLiteral("in GenServer.call to "))
            + qs(world.displayName(p.blockedOn)) + inHandler;
    case BlockKind::Sleep:
        return QStringLiteral("sleeping %1 ms").arg(p.blockParam) + inHandler;
    case BlockKind::Await:
        return QStringLiteral("awaiting task ") + qs(world.displayName(p.blockedOn));
    case BlockKind::None:
        break;
    }
    if (p.handling)
        return QStringLiteral("running ") + handlerName(p.handled.kind);
    if (evaluating)
        return QStringLiteral("running a console line");
    if (p.suspended)
        return QStringLiteral("suspended: only :sys requests are handled");
    return QStringLiteral("waiting for messages");
}

double statusSinceMs(const ProcessRecord &p)
{
    if (p.exited)
        return double(p.exitedNs) / 1e6;
    if (p.block != BlockKind::None)
        return double(p.blockedSinceNs) / 1e6;
    if (p.handling)
        return double(p.handlingSinceNs) / 1e6;
    return 0;
}

} // namespace

ProcessModel::ProcessModel(QObject *parent)
    : BridgedModel(parent)
{
}

int ProcessModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QHash<int, QByteArray> ProcessModel::roleNames() const
{
    return {
        { PidRole, "pid" },
        { PidTextRole, "pidText" },
        { NameRole, "name" },
        { ModuleRole, "module" },
        { IsServerRole, "isServer" },
        { IsShellRole, "isShell" },
        { StatusRole, "status" },
        { StatusTextRole, "statusText" },
        { StatusSinceMsRole, "statusSinceMs" },
        { BlockedOnRole, "blockedOn" },
        { StateTextRole, "stateText" },
        { StateFullRole, "stateFull" },
        { MailboxDepthRole, "mailboxDepth" },
        { ExitedRole, "exited" },
        { CrashedRole, "crashed" },
        { ExitReasonRole, "exitReason" },
        { DiedWithRole, "diedWith" },
        { DiedWithNameRole, "diedWithName" },
        { LinksRole, "links" },
        { TracedRole, "traced" },
        { SuspendedRole, "suspended" },
        { ReceiveRateRole, "receiveRate" },
        { ParentRole, "parent" },
        { NodeRole, "node" },
        { InHandlerRole, "inHandler" },
        { ClauseLineRole, "clauseLine" },
        { CrashLineRole, "crashLine" },
        { ClauseTimeRole, "clauseTime" },
    };
}

QVariant ProcessModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    if (bridge() == nullptr)
        return {};
    const WorldState &world = bridge()->view();
    const ProcessRecord *p = world.process(Pid{ m_rows[size_t(index.row())].pid });
    if (p == nullptr)
        return {};
    const bool shell = int(p->pid.number) == bridge()->shellPid();
    switch (role) {
    case PidRole:
        return int(p->pid.number);
    case PidTextRole:
        return pidString(p->pid.number);
    case NameRole:
        if (p->name)
            return qs(nameText(*p->name));
        if (shell)
            return QStringLiteral("iex");
        if (p->formerName)
            return qs(nameText(*p->formerName));
        return pidString(p->pid.number);
    case ModuleRole:
        if (!p->module.empty())
            return qs(p->module);
        return shell ? QStringLiteral("shell") : QStringLiteral("process");
    case IsServerRole:
        return p->isServer;
    case IsShellRole:
        return shell;
    case StatusRole:
        return status(*p, shell && bridge()->shellBusy());
    case StatusTextRole:
        return statusText(world, *p, shell && bridge()->shellBusy());
    case StatusSinceMsRole:
        return statusSinceMs(*p);
    case BlockedOnRole:
        return int(p->blockedOn.number);
    case StateTextRole:
        return p->isServer ? qs(shortInspect(p->state, 64)) : QString();
    case StateFullRole:
        return p->isServer ? qs(p->state.inspectPretty(48)) : QString();
    case MailboxDepthRole:
        return int(p->mailbox.size());
    case ExitedRole:
        return p->exited;
    case CrashedRole:
        return p->crashed;
    case ExitReasonRole:
        return p->exited ? qs(shortInspect(p->exitReason, 120)) : QString();
    case DiedWithRole:
        return int(p->diedWith.number);
    case DiedWithNameRole:
        return p->diedWith.isValid() ? qs(world.displayName(p->diedWith)) : QString();
    case LinksRole: {
        QVariantList links;
        for (Pid l : p->links)
            links.append(int(l.number));
        return links;
    }
    case TracedRole:
        return p->traced;
    case SuspendedRole:
        return p->suspended;
    case ReceiveRateRole:
        return m_rows[size_t(index.row())].rate;
    case ParentRole:
        return int(p->parent.number);
    case NodeRole:
        return qs(p->node);
    case InHandlerRole:
        return p->handling && p->handled.kind != MessageKind::System;
    case ClauseLineRole:
        return int(p->clauseLine);
    case CrashLineRole:
        return int(p->crashLine);
    case ClauseTimeRole:
        return p->clauseLine > 0 ? double(p->clauseNs) : -1.0;
    default:
        return {};
    }
}

int ProcessModel::rowOfPid(int pid) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (int(m_rows[i].pid) == pid)
            return int(i);
    return -1;
}

int ProcessModel::pidNamed(const QString &name) const
{
    for (int r = 0; r < int(m_rows.size()); ++r)
        if (data(index(r), NameRole).toString() == name)
            return int(m_rows[size_t(r)].pid);
    return 0;
}

QVariant ProcessModel::valueOf(int pid, const QString &role) const
{
    const int row = rowOfPid(pid);
    if (row < 0)
        return {};
    const QByteArray name = role.toUtf8();
    const auto roles = roleNames();
    for (auto it = roles.begin(); it != roles.end(); ++it)
        if (it.value() == name)
            return data(index(row), it.key());
    return {};
}

void ProcessModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_structure = ~uint64_t(0);
    endResetModel();
}

void ProcessModel::sync()
{
    const WorldState &world = bridge()->view();
    const auto &processes = world.processes();
    if (world.structureVersion() != m_structure) {
        m_structure = world.structureVersion();
        std::vector<uint32_t> keys;
        keys.reserve(processes.size());
        for (const auto &p : processes)
            keys.push_back(p.pid.number);
        followKeys(
            m_rows, keys, [](const Row &r) { return r.pid; },
            [&](uint32_t pid) {
                return Row{ pid, world.process(Pid{ pid })->version, 0 };
            });
    }
    std::vector<int> changed;
    const int64_t now = bridge()->nowNs();
    const bool shellChanged = m_shellPid != bridge()->shellPid() || m_shellBusy != bridge()->shellBusy();
    m_shellPid = bridge()->shellPid();
    m_shellBusy = bridge()->shellBusy();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const ProcessRecord *p = world.process(Pid{ row.pid });
        if (p == nullptr)
            continue;
        const int rate = int(p->receiveRate.perSecond(now));
        if (shellChanged || p->version != row.version || rate != row.rate) {
            row.version = p->version;
            row.rate = rate;
            changed.push_back(int(i));
        }
    }
    emitChanged(changed);
}

} // namespace mailroom
