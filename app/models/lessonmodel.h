// SPDX-License-Identifier: MIT
#pragma once

// The built-in lessons: scenario scripts (resources under :/lessons) that retell each
// lesson, with the title and summary from their first comment lines.

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace mailroom {

class LessonModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role { TitleRole = Qt::UserRole + 1,
        SummaryRole,
        FileRole };
    Q_ENUM(Role)

    explicit LessonModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// The script of lesson `row`.
    Q_INVOKABLE QString source(int row) const;
    Q_INVOKABLE QString title(int row) const;

private:
    struct Lesson {
        QString file;
        QString title;
        QString summary;
        QString source;
    };
    std::vector<Lesson> m_lessons;
};

} // namespace mailroom
