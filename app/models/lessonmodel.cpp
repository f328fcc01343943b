// SPDX-License-Identifier: MIT
#include "lessonmodel.h"

#include <QDir>
#include <QFile>

namespace mailroom {

LessonModel::LessonModel(QObject *parent)
    : QAbstractListModel(parent)
{
    const QDir dir(QStringLiteral(":/lessons"));
    for (const QString &name : dir.entryList({ QStringLiteral("*.exs") }, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            continue;
        Lesson lesson;
        lesson.file = name;
        lesson.source = QString::fromUtf8(file.readAll());
        // "# Title: ..." and "# Summary: ..." head each file.
        for (const QString &line : lesson.source.split(QLatin1Char('\n'))) {
            if (!line.startsWith(QLatin1Char('#')))
                break;
            const QString text = line.mid(1).trimmed();
            if (text.startsWith(QStringLiteral("Title:")))
                lesson.title = text.mid(6).trimmed();
            else if (text.startsWith(QStringLiteral("Summary:")))
                lesson.summary = text.mid(8).trimmed();
        }
        if (lesson.title.isEmpty())
            lesson.title = name;
        m_lessons.push_back(std::move(lesson));
    }
}

int LessonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lessons.size());
}

QHash<int, QByteArray> LessonModel::roleNames() const
{
    return { { TitleRole, "title" }, { SummaryRole, "summary" }, { FileRole, "file" } };
}

QVariant LessonModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Lesson &lesson = m_lessons[size_t(index.row())];
    switch (role) {
    case TitleRole:
        return lesson.title;
    case SummaryRole:
        return lesson.summary;
    case FileRole:
        return lesson.file;
    default:
        return {};
    }
}

QString LessonModel::source(int row) const
{
    return row >= 0 && row < int(m_lessons.size()) ? m_lessons[size_t(row)].source : QString();
}

QString LessonModel::title(int row) const
{
    return row >= 0 && row < int(m_lessons.size()) ? m_lessons[size_t(row)].title : QString();
}

QString LessonModel::fileOf(int row) const
{
    return row >= 0 && row < int(m_lessons.size()) ? m_lessons[size_t(row)].file : QString();
}

} // namespace mailroom
