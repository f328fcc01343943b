// SPDX-License-Identifier: MIT
#pragma once

// Base of the models that follow the event bridge: each syncs itself from the bridge's
// view once per frame (on EventBridge::updated) and returns early when nothing it shows
// changed. Subclasses name it `mailroom::BridgedModel` in full: qmltyperegistrar resolves
// a base class by the name written, and qmllint needs the chain to see `bridge`.

#include "eventbridge.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>
#include <unordered_map>
#include <vector>

namespace mailroom {

class BridgedModel : public QAbstractListModel {
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(mailroom::EventBridge *bridge READ bridge WRITE setBridge NOTIFY bridgeChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit BridgedModel(QObject *parent = nullptr);

    [[nodiscard]] EventBridge *bridge() const { return m_bridge; }
    void setBridge(EventBridge *bridge);
    [[nodiscard]] int count() const { return rowCount(); }

signals:
    void bridgeChanged();
    void countChanged();

protected:
    /// Brings the rows up to date with the bridge's view (called once per frame).
    virtual void sync() = 0;
    /// Drops every row (the bridge changed).
    virtual void clear() = 0;
    /// Calls sync() now (a property that selects rows changed).
    void resync();

    /// Sets a property that decides which rows there are (the server followed, the
    /// window, the order): when the value is new, tells QML through `changed` and builds
    /// the rows again from the bridge's view.
    template<typename Self, typename T>
    void reselect(T &field, const T &value, void (Self::*changed)())
    {
        if (field == value)
            return;
        field = value;
        emit(static_cast<Self *>(this)->*changed)();
        clear();
        resync();
    }

    /// Makes `rows` follow `keys` with the fewest row removals and insertions. The keys of
    /// the rows that stay must keep their relative order in `keys` (lists that only grow,
    /// shrink or insert: processes, mailboxes, timers); otherwise the model is reset.
    template<typename Row, typename Key, typename KeyOf, typename MakeRow>
    void followKeys(std::vector<Row> &rows, const std::vector<Key> &keys, KeyOf keyOf, MakeRow makeRow)
    {
        std::unordered_map<Key, size_t> position;
        position.reserve(keys.size());
        for (size_t k = 0; k < keys.size(); ++k)
            position.emplace(keys[k], k);
        for (int i = int(rows.size()) - 1; i >= 0;) {
            if (position.contains(keyOf(rows[size_t(i)]))) {
                --i;
                continue;
            }
            int j = i;
            while (j > 0 && !position.contains(keyOf(rows[size_t(j - 1)])))
                --j;
            beginRemoveRows({}, j, i);
            rows.erase(rows.begin() + j, rows.begin() + i + 1);
            endRemoveRows();
            i = j - 1;
        }
        for (size_t r = 1; r < rows.size(); ++r) {
            if (position[keyOf(rows[r])] <= position[keyOf(rows[r - 1])]) {
                beginResetModel();
                rows.clear();
                for (const Key &key : keys)
                    rows.push_back(makeRow(key));
                endResetModel();
                return;
            }
        }
        size_t r = 0;
        for (size_t k = 0; k < keys.size();) {
            if (r < rows.size() && keyOf(rows[r]) == keys[k]) {
                ++r;
                ++k;
                continue;
            }
            size_t end = k;
            while (end < keys.size() && !(r < rows.size() && keyOf(rows[r]) == keys[end]))
                ++end;
            beginInsertRows({}, int(r), int(r + (end - k) - 1));
            std::vector<Row> added;
            added.reserve(end - k);
            for (size_t n = k; n < end; ++n)
                added.push_back(makeRow(keys[n]));
            rows.insert(rows.begin() + std::ptrdiff_t(r), std::make_move_iterator(added.begin()),
                std::make_move_iterator(added.end()));
            endInsertRows();
            r += end - k;
            k = end;
        }
    }

    /// Emits dataChanged once per run of consecutive rows in `changed` (ascending).
    void emitChanged(const std::vector<int> &changed, const QList<int> &roles = {});

private:
    QPointer<EventBridge> m_bridge;
    QMetaObject::Connection m_connection;
};

} // namespace mailroom
