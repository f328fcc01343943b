// SPDX-License-Identifier: MIT
#pragma once

// One row per process on the stage, in spawn order: the card's name, module, status,
// state line and mailbox depth.

#include "bridgedmodel.h"

namespace mailroom {

class ProcessModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        PidRole = Qt::UserRole + 1,
        PidTextRole,
        NameRole,
        ModuleRole,
        IsServerRole,
        IsShellRole,
        StatusRole, ///< waiting, running, blocked, sleeping, awaiting, suspended, exited
        StatusTextRole, ///< "in GenServer.call to SlowServer"
        StatusSinceMsRole, ///< virtual ms the status began (0: no elapsed time to show)
        BlockedOnRole,
        StateTextRole, ///< the state as one short inspect line
        StateFullRole, ///< the state laid out over lines
        MailboxDepthRole,
        ExitedRole,
        CrashedRole,
        ExitReasonRole,
        DiedWithRole, ///< pid of the linked process whose crash took this one down (0: none)
        DiedWithNameRole,
        LinksRole, ///< pids linked to it
        TracedRole,
        SuspendedRole,
        ReceiveRateRole, ///< messages received per second over the last second
        ParentRole,
        NodeRole, ///< the BEAM node it runs on (a record of a cluster), "" otherwise
        InHandlerRole, ///< inside a callback (running, or sleeping or blocked in one)
        ClauseLineRole, ///< the line of the clause that handled its latest message (0: none)
        CrashLineRole, ///< the line of its module where a handler crashed (0: none)
        /// The record's time (ns) of the handler those lines belong to: which definition of
        /// its module ran it (Controller.moduleSource); -1 when no handler has run.
        ClauseTimeRole,
    };
    Q_ENUM(Role)

    explicit ProcessModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// The row of `pid`, or -1.
    Q_INVOKABLE int rowOfPid(int pid) const;
    /// The pid of the process shown as `name` ("Counter", "iex"), or 0.
    Q_INVOKABLE int pidNamed(const QString &name) const;
    /// A role's value by name for `pid` (undefined when not shown), for QML outside delegates.
    Q_INVOKABLE QVariant valueOf(int pid, const QString &role) const;

protected:
    void sync() override;
    void clear() override;

private:
    struct Row {
        uint32_t pid = 0;
        uint64_t version = 0;
        int rate = 0;
    };
    std::vector<Row> m_rows;
    uint64_t m_structure = ~uint64_t(0);
    int m_shellPid = 0;
    bool m_shellBusy = false;
};

} // namespace mailroom
