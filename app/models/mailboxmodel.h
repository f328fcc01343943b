// SPDX-License-Identifier: MIT
#pragma once

// One process's mailbox as tokens, oldest first: the message being handled (highlighted)
// then the queued ones, at most maxTokens of them; `depth` stays exact however many wait.

#include "bridgedmodel.h"

namespace mailroom {

class MailboxModel : public mailroom::BridgedModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int pid READ pid WRITE setPid NOTIFY pidChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY maxTokensChanged)
    /// Messages waiting (not counting the one being handled), exact.
    Q_PROPERTY(int depth READ depth NOTIFY depthChanged)
    /// Waiting messages not shown as tokens.
    Q_PROPERTY(int overflow READ overflow NOTIFY depthChanged)
    Q_PROPERTY(bool handling READ handling NOTIFY depthChanged)

public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        KindRole, ///< call, cast, info, reply, system
        LabelRole, ///< the payload, short
        TextRole, ///< the whole message
        FromPidRole,
        FromNameRole,
        SentMsRole,
        HandlingRole, ///< the message being handled (shown first)
        SinceMsRole, ///< when it was sent, or when its handling began
    };
    Q_ENUM(Role)

    explicit MailboxModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int pid() const { return m_pid; }
    void setPid(int pid);
    [[nodiscard]] int maxTokens() const { return m_maxTokens; }
    void setMaxTokens(int max);
    [[nodiscard]] int depth() const { return m_depth; }
    [[nodiscard]] int overflow() const { return m_overflow; }
    [[nodiscard]] bool handling() const { return !m_rows.empty() && m_rows.front().handling; }

signals:
    void pidChanged();
    void maxTokensChanged();
    void depthChanged();

protected:
    void sync() override;
    void clear() override;

private:
    struct Row {
        uint64_t id = 0;
        bool handling = false;
        MessageKind kind = MessageKind::Info;
        Pid from;
        int64_t sentNs = 0;
        int64_t sinceNs = 0;
        Term term;
    };
    int m_pid = 0;
    int m_maxTokens = 12;
    int m_depth = 0;
    int m_overflow = 0;
    bool m_handling = false;
    uint64_t m_version = ~uint64_t(0);
    std::vector<Row> m_rows;
};

/// "call", "cast", "info", "reply", "system".
[[nodiscard]] QString kindName(MessageKind kind);

} // namespace mailroom
