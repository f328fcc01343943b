// SPDX-License-Identifier: MIT
#pragma once

// The call-vs-cast bars, newest first: each call from request to reply (pending while
// the caller blocks), each cast from its send to its return, with exact durations.

#include "bridgedmodel.h"
#include "floodthrottle.h"

namespace mailroom {

class CallModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int maxBars READ maxBars WRITE setMaxBars NOTIFY maxBarsChanged)
    /// Only bars to this server (as serverName shows it); empty: all.
    Q_PROPERTY(QString server READ server WRITE setServer NOTIFY serverChanged)
    /// Also show :sys requests (System calls).
    Q_PROPERTY(bool includeSystem READ includeSystem WRITE setIncludeSystem NOTIFY includeSystemChanged)

public:
    enum Role {
        CallIdRole = Qt::UserRole + 1,
        IsCastRole,
        KindRole, ///< call, cast or system
        ClientPidRole,
        ClientNameRole,
        ServerPidRole,
        ServerNameRole,
        RequestRole,
        ReplyRole,
        BeginMsRole,
        EndMsRole, ///< -1 while pending
        DurationUsRole, ///< -1 while pending (the view grows it from bridge.nowMs)
        OutcomeRole, ///< pending, ok, timeout, down
        TimeoutMsRole,
    };
    Q_ENUM(Role)

    explicit CallModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int maxBars() const { return m_maxBars; }
    void setMaxBars(int max);
    [[nodiscard]] QString server() const { return m_server; }
    void setServer(const QString &server);
    [[nodiscard]] bool includeSystem() const { return m_includeSystem; }
    void setIncludeSystem(bool include);

    /// How long the newest finished call to `server` kept its caller waiting (µs), or -1:
    /// the figure its bar shows, for a panel that quotes it.
    Q_INVOKABLE double lastCallUs(const QString &server) const;

signals:
    void maxBarsChanged();
    void serverChanged();
    void includeSystemChanged();

protected:
    void sync() override;
    void clear() override;

private:
    struct Row {
        uint64_t seq = 0;
        uint32_t version = 0;
        size_t index = 0; // into the History's calls, as of the last sync
    };
    [[nodiscard]] const CallRecord *record(const Row &row) const;
    void refill();

    int m_maxBars = 200;
    QString m_server;
    std::string m_serverStd;
    bool m_includeSystem = false;
    uint64_t m_version = ~uint64_t(0);
    uint64_t m_limit = 0; // the playhead the rows were made for
    // Under a flood the bars change every frame: they change at most ten times a second.
    FloodThrottle m_throttle{ FloodThrottle::Turn::Calls };
    std::vector<Row> m_rows;
};

} // namespace mailroom
