// SPDX-License-Identifier: MIT
#pragma once

// Pending send_after timers, soonest first: the message each will deliver and when.
// With targetPid set, only the timers aimed at that process (a card's countdowns).

#include "bridgedmodel.h"

namespace mailroom {

class TimerModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int targetPid READ targetPid WRITE setTargetPid NOTIFY targetPidChanged)

public:
    enum Role {
        TimerRefRole = Qt::UserRole + 1,
        SetterPidRole,
        TargetPidRole,
        TargetNameRole,
        LabelRole, ///< the message it will deliver
        SetMsRole, ///< virtual ms it was set
        DeadlineMsRole, ///< virtual ms it fires
    };
    Q_ENUM(Role)

    explicit TimerModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int targetPid() const { return m_targetPid; }
    void setTargetPid(int pid);

signals:
    void targetPidChanged();

protected:
    void sync() override;
    void clear() override;

private:
    int m_targetPid = 0;
    uint64_t m_version = ~uint64_t(0);
    std::vector<TimerRecord> m_rows;
};

} // namespace mailroom
