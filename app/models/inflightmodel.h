// SPDX-License-Identifier: MIT
#pragma once

// Messages flying from sender to receiver on the stage. Each Send becomes a flight that
// lives for durationMs of wall time; under a flood the sends of one frame beyond what the
// stage can animate are coalesced into one flight per sender and receiver, carrying a
// count, so the stage stays smooth while the mailboxes stay exact. Once sends come in
// bursts frame after frame (a FloodThrottle), new flights start at most ten times a second,
// one per sender, receiver and kind, carrying every send since the last.

#include "bridgedmodel.h"
#include "floodthrottle.h"

#include <QElapsedTimer>

namespace mailroom {

class InFlightModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int durationMs READ durationMs WRITE setDurationMs NOTIFY durationMsChanged)
    /// Flights shown at once before sends are coalesced.
    Q_PROPERTY(int maxFlights READ maxFlights WRITE setMaxFlights NOTIFY maxFlightsChanged)
    /// True while sends are being coalesced (a flood).
    Q_PROPERTY(bool coalescing READ coalescing NOTIFY coalescingChanged)

public:
    enum Role {
        FlightIdRole = Qt::UserRole + 1, ///< the (first) Send's seq
        FromPidRole,
        ToPidRole,
        KindRole,
        LabelRole,
        CountRole, ///< messages this flight stands for (1, or more when coalesced)
        StartedMsRole,
    };
    Q_ENUM(Role)

    explicit InFlightModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int durationMs() const { return m_durationMs; }
    void setDurationMs(int ms);
    [[nodiscard]] int maxFlights() const { return m_maxFlights; }
    void setMaxFlights(int max);
    [[nodiscard]] bool coalescing() const { return m_coalescing; }

signals:
    void durationMsChanged();
    void maxFlightsChanged();
    void coalescingChanged();

protected:
    void sync() override;
    void clear() override;

private:
    /// Tells whether sends were coalesced in the last second.
    void updateCoalescing(qint64 now);

    struct Flight {
        uint64_t id = 0;
        Pid from;
        Pid to;
        MessageKind kind = MessageKind::Info;
        QString label;
        int count = 1;
        qint64 startedMs = 0;
    };
    int m_durationMs = 650;
    int m_maxFlights = 40;
    bool m_coalescing = false;
    qint64 m_lastCoalescedMs = -1'000'000;
    uint64_t m_next = 0; // seq of the next event to look at
    uint64_t m_epoch = 0; // the bridge's playhead epoch m_next belongs to
    std::vector<Flight> m_rows;
    QElapsedTimer m_clock;
    // Under a flood, as many flights as the stage holds each frame cost most of the frame
    // to draw with the software renderer (figure 7).
    FloodThrottle m_throttle{ FloodThrottle::Turn::Flights };
};

} // namespace mailroom
