// SPDX-License-Identifier: MIT
// The Lessons menu's data: the built-in scripts with their titles and summaries.
#include "lessonmodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace mailroom;

class TestLessonModel : public QObject {
    Q_OBJECT

private slots:
    void theSixLessonsInOrder()
    {
        LessonModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QStringList titles{ QStringLiteral("An asynchronous logger"),
            QStringLiteral("Fire and forget vs a slow call"),
            QStringLiteral("handle_info, send and send_after"), QStringLiteral("The misbehaving self-call"),
            QStringLiteral("Servers that tick by themselves"), QStringLiteral("Tracing a pledge server") };
        QCOMPARE(model.rowCount(), titles.size());
        for (int r = 0; r < model.rowCount(); ++r) {
            QCOMPARE(model.title(r), titles.at(r));
            QVERIFY(!model.index(r).data(LessonModel::SummaryRole).toString().isEmpty());
            QVERIFY(model.index(r).data(LessonModel::FileRole).toString().endsWith(QStringLiteral(".exs")));
            QVERIFY(model.source(r).startsWith(QStringLiteral("# Title: ")));
            // A whole program: the module it is about and the code that drives it.
            QVERIFY(model.source(r).contains(QStringLiteral("\ndefmodule ")));
            QCOMPARE(model.fileOf(r), model.index(r).data(LessonModel::FileRole).toString());
        }
        QCOMPARE(model.source(-1), QString());
        QCOMPARE(model.source(model.rowCount()), QString());
        QCOMPARE(model.fileOf(model.rowCount()), QString());
    }
};

QTEST_MAIN(TestLessonModel)
#include "tst_lessonmodel.moc"
