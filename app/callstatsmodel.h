#pragma once

// The per-server summary of the call-vs-cast panel: for each server, calls and casts
// separately, the count, p50, p99 and max of the caller's blocking time.

#include "bridgedmodel.h"

namespace mailroom {

class CallStatsModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        ServerRole = Qt::UserRole + 1,
        KindRole, ///< "call" or "cast"
        CountRole,
        P50UsRole,
        P99UsRole,
        MaxUsRole,
    };
    Q_ENUM(Role)

    /// Percentiles are taken over the most recent samples of each row.
    static constexpr size_t kWindow = 4096;

    explicit CallStatsModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// The row for a server and kind, or -1.
    Q_INVOKABLE int rowOf(const QString &server, bool cast) const;

protected:
    void sync() override;
    void clear() override;

private:
    struct Row {
        uint32_t group = 0;
        bool isCast = false;
        qint64 count = 0;
        int64_t maxNs = 0;
        int64_t p50Ns = 0;
        int64_t p99Ns = 0;
        std::vector<int64_t> window; // ring of the last kWindow durations
        size_t next = 0;
        bool dirty = false;
    };
    std::vector<Row> m_rows;
    uint64_t m_consumed = 0; // absolute index of the next sample
    uint64_t m_epoch = 0; // the bridge's playhead epoch the rows add up to
};

} // namespace mailroom
