// SPDX-License-Identifier: MIT
#pragma once

// A server whose state is a list (AsyncLogger's logs, Journal's entries) as rows, oldest
// first; the entries added by the latest change are marked new.

#include "bridgedmodel.h"

namespace mailroom {

class StateEntriesModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString server READ server WRITE setServer NOTIFY serverChanged)
    /// The state list holds the newest entry first (as AsyncLogger prepends).
    Q_PROPERTY(bool newestFirst READ newestFirst WRITE setNewestFirst NOTIFY newestFirstChanged)
    Q_PROPERTY(bool alive READ alive NOTIFY aliveChanged)

public:
    enum Role { TextRole = Qt::UserRole + 1,
        IsNewRole,
        AddedMsRole };
    Q_ENUM(Role)

    explicit StateEntriesModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString server() const { return m_server; }
    void setServer(const QString &server);
    [[nodiscard]] bool newestFirst() const { return m_newestFirst; }
    void setNewestFirst(bool newestFirst);
    [[nodiscard]] bool alive() const { return m_alive; }

signals:
    void serverChanged();
    void newestFirstChanged();
    void aliveChanged();

protected:
    void sync() override;
    void clear() override;

private:
    struct Row {
        Term term;
        QString text;
        bool isNew = false;
        int64_t addedNs = 0;
    };
    QString m_server;
    bool m_newestFirst = true;
    bool m_alive = false;
    uint32_t m_pid = 0;
    uint64_t m_version = ~uint64_t(0);
    std::vector<Row> m_rows;
};

} // namespace mailroom
