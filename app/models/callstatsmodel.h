// SPDX-License-Identifier: MIT
#pragma once

// The per-server summary of the call-vs-cast panel: for each server, calls and casts
// separately, the count, p50, p99 and max of the caller's blocking time.

#include "bridgedmodel.h"

#include <deque>
#include <vector>

namespace mailroom {

class CallStatsModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        ServerRole = Qt::UserRole + 1,
        KindRole, ///< "call", "cast" or "send" (a plain message)
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
    /// Every sample of one server and kind, as absolute indices into the History's samples,
    /// so that the stats at any playhead are a binary search and one window away.
    struct Series {
        uint32_t group = 0;
        bool isCast = false;
        bool isSend = false; // plain messages, apart from casts: the list calls them "send" too
        std::deque<uint64_t> samples; // absolute sample indices, ascending
        std::deque<int64_t> prefixMax; // the longest duration up to each of them
        uint64_t trimmed = 0; // samples forgotten from the front (the History dropped them)
        int64_t trimmedMax = 0;
        // The stats last computed, for `shownCount` samples.
        uint64_t shownCount = 0;
        int64_t p50Ns = 0;
        int64_t p99Ns = 0;
        int64_t maxNs = 0;
    };
    struct Row {
        size_t series = 0; // index into m_series
        qint64 count = 0;
        int64_t maxNs = 0;
        int64_t p50Ns = 0;
        int64_t p99Ns = 0;
    };
    /// Brings `series` to its first `count` samples; true when its figures changed.
    bool compute(Series &series, uint64_t count);

    std::vector<Series> m_series; // in order of first appearance
    std::vector<Row> m_rows;
    uint64_t m_indexed = 0; // absolute index of the next sample to index
    uint64_t m_shownEnd = ~uint64_t(0); // the rows cover the samples before this absolute index
    std::vector<int64_t> m_scratch;
};

} // namespace mailroom
