// SPDX-License-Identifier: MIT
#pragma once

// The built-in lessons: whole programs (resources under :/lessons), each a module and the
// code that drives it, that retell a lesson; the title and summary come from their first
// comment lines. The window opens them in the editor.

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
    /// The file name of lesson `row` ("01-async-logger.exs"): what its program runs under.
    Q_INVOKABLE QString fileOf(int row) const;

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
