// SPDX-License-Identifier: MIT
#pragma once

// The processes of a node that Mailroom can attach to (File → Attach to a node…), for the user
// to pick what to watch: grouped by application, each application a row of its own, registered
// names first. Each row says what it adds to the watch (`choice`: app:NAME for an
// application, sup:NAME for a supervisor and everything under it, a name or a pid for one
// process); the checked rows make the watch's spec.

#include "beamrun.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace mailroom {

class NodeProcessModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The controller owns the listing of the node it is asked about")
    /// The checked rows' choices, comma-separated: what attachNode() is given ("" = every
    /// registered process outside OTP's and Elixir's own applications).
    Q_PROPERTY(QString spec READ spec NOTIFY specChanged)

public:
    enum Role {
        LabelRole = Qt::UserRole + 1, ///< Cart, <0.118.0>, or the application's name
        DetailRole, ///< what it is: "GenServer Cart · under Shop.Sup"
        KindRole, ///< application, supervisor, server or process
        ChoiceRole, ///< what checking it adds to the spec
        CheckedRole, ///< picked (settable; "picked" in QML, whose CheckDelegate has its own checked)
        IndentedRole ///< a process shown under its application's row
    };
    Q_ENUM(Role)

    explicit NodeProcessModel(QObject *parent = nullptr);

    /// Replaces the rows with a node's listing (beam::listNode). GUI thread.
    void setListing(const std::vector<beam::NodeProcess> &processes);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString spec() const;
    /// Checks or unchecks row `row`.
    Q_INVOKABLE void setChecked(int row, bool checked);
    /// The row whose label is `label`, or -1.
    Q_INVOKABLE int rowOf(const QString &label) const;

signals:
    void specChanged();

private:
    struct Row {
        QString label;
        QString detail;
        QString kind;
        QString choice;
        bool checked = false;
        bool indented = false;
    };
    std::vector<Row> m_rows;
};

} // namespace mailroom
