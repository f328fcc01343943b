// SPDX-License-Identifier: MIT
#pragma once

// The catalog's servers for the palette, and the messages each module understands (as
// lines of script with `{server}` standing for the target) for a card's buttons.

#include <QAbstractListModel>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace mailroom {

struct CatalogEntry;

class CatalogModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role {
        ModuleRole = Qt::UserRole + 1,
        SummaryRole,
        DefaultNameRole,
        MessagesRole, ///< [{kind, label, code}]
        StartCodeRole ///< the line that starts one from the palette
    };
    Q_ENUM(Role)

    explicit CatalogModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// [{kind, label, code, fields}] of a module ("Counter"); empty for an unknown one.
    Q_INVOKABLE QVariantList messagesFor(const QString &module) const;
    /// [{kind, label, code, fields}] of `entry`'s messages: `code` with {server} for the
    /// target and «name» for each of `fields`.
    [[nodiscard]] static QVariantList messagesOf(const CatalogEntry &entry);
    /// The line that starts `module` from the palette, registered under the name code uses
    /// for it ("GenServer.start(Counter, 0, name: Counter)").
    Q_INVOKABLE QString startCode(const QString &module) const;
};

} // namespace mailroom
