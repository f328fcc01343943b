// SPDX-License-Identifier: MIT
#pragma once

// One server's state over time, for the counters: the state changes within the last
// windowMs (rows, and points() for a sparkline), the current value, the next timer aimed
// at it (the countdown to its next tick) and its mailbox depth. The server is found by
// name ("IncrementingCounter") so a restarted server is followed.

#include "bridgedmodel.h"

#include <QPointF>

namespace mailroom {

class StateHistoryModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString server READ server WRITE setServer NOTIFY serverChanged)
    Q_PROPERTY(int windowMs READ windowMs WRITE setWindowMs NOTIFY windowMsChanged)
    Q_PROPERTY(int pid READ pid NOTIFY changed)
    Q_PROPERTY(bool alive READ alive NOTIFY changed)
    Q_PROPERTY(QString stateText READ stateText NOTIFY changed)
    /// The state as a number (NaN when it is not one).
    Q_PROPERTY(double value READ value NOTIFY changed)
    Q_PROPERTY(double minValue READ minValue NOTIFY changed)
    Q_PROPERTY(double maxValue READ maxValue NOTIFY changed)
    /// Virtual ms of the next timer aimed at the server, -1 when none.
    Q_PROPERTY(double nextTimerMs READ nextTimerMs NOTIFY changed)
    /// How long that timer was set for, ms.
    Q_PROPERTY(double timerPeriodMs READ timerPeriodMs NOTIFY changed)
    Q_PROPERTY(int mailboxDepth READ mailboxDepth NOTIFY changed)
    Q_PROPERTY(bool handling READ handling NOTIFY changed)
    Q_PROPERTY(double lastChangeMs READ lastChangeMs NOTIFY changed)

public:
    enum Role { TimeMsRole = Qt::UserRole + 1,
        ValueRole,
        TextRole };
    Q_ENUM(Role)

    explicit StateHistoryModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// (virtual ms, value) of the numeric rows, oldest first.
    Q_INVOKABLE QList<QPointF> points() const;

    [[nodiscard]] QString server() const { return m_server; }
    void setServer(const QString &server);
    [[nodiscard]] int windowMs() const { return m_windowMs; }
    void setWindowMs(int ms);
    [[nodiscard]] int pid() const { return int(m_pid); }
    [[nodiscard]] bool alive() const { return m_alive; }
    [[nodiscard]] QString stateText() const { return m_stateText; }
    [[nodiscard]] double value() const { return m_value; }
    [[nodiscard]] double minValue() const { return m_min; }
    [[nodiscard]] double maxValue() const { return m_max; }
    [[nodiscard]] double nextTimerMs() const { return m_nextTimerMs; }
    [[nodiscard]] double timerPeriodMs() const { return m_timerPeriodMs; }
    [[nodiscard]] int mailboxDepth() const { return m_mailboxDepth; }
    [[nodiscard]] bool handling() const { return m_handling; }
    [[nodiscard]] double lastChangeMs() const { return m_lastChangeMs; }

signals:
    void serverChanged();
    void windowMsChanged();
    /// Any of the summary properties changed.
    void changed();

protected:
    void sync() override;
    void clear() override;

private:
    struct Row {
        uint64_t seq = 0;
        int64_t timeNs = 0;
        double value = 0;
        Term state; // printed only when a view asks (a jump of the playhead adds thousands)
    };
    QString m_server;
    int m_windowMs = 60'000;
    uint32_t m_pid = 0;
    uint64_t m_epoch = 0; // the bridge's playhead epoch the rows are for
    bool m_alive = false;
    QString m_stateText;
    double m_value = 0;
    double m_min = 0;
    double m_max = 0;
    double m_nextTimerMs = -1;
    double m_timerPeriodMs = 0;
    int m_mailboxDepth = 0;
    bool m_handling = false;
    double m_lastChangeMs = 0;
    std::vector<Row> m_rows;
    uint64_t m_seenVersion = ~uint64_t(0);
    uint32_t m_textPid = 0;
};

} // namespace mailroom
