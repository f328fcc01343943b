// SPDX-License-Identifier: MIT
// The counters panel's data: a server's state over the last minute, its next tick and its
// mailbox depth.
#include "fixture.h"
#include "statehistorymodel.h"

#include <QAbstractItemModelTester>
#include <cmath>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestStateHistoryModel : public QObject {
    Q_OBJECT

private slots:
    void aTickingCounterDrawsItsLine()
    {
        Fixture f;
        StateHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setServer(QStringLiteral("IncrementingCounter"));
        model.setBridge(&f.bridge);
        QCOMPARE(model.alive(), false);
        QSignalSpy changed(&model, &StateHistoryModel::changed);
        f.startServer("IncrementingCounter");
        f.settle();
        QCOMPARE(model.alive(), true);
        QCOMPARE(model.value(), 0.0);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(changed.count() >= 1);
        const double start = f.bridge.nowMs();
        QCOMPARE(model.nextTimerMs(), start + 1000);
        QCOMPARE(model.timerPeriodMs(), 1000.0);

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int tick = 1; tick <= 3; ++tick) {
            f.advance(1000);
            QVERIFY(f.pumpUntil([&] { return model.value() == tick; }));
        }
        QCOMPARE(inserted.count(), 3);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.stateText(), QStringLiteral("3"));
        QCOMPARE(model.minValue(), 0.0);
        QCOMPARE(model.maxValue(), 3.0);
        const QList<QPointF> points = model.points();
        QCOMPARE(points.size(), 4);
        QCOMPARE(points.last(), QPointF(start + 3000, 3));
        QCOMPARE(model.nextTimerMs(), start + 4000);
    }

    void pointsOlderThanTheWindowLeave()
    {
        Fixture f;
        StateHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setServer(QStringLiteral("DecrementingCounter"));
        model.setWindowMs(2000);
        model.setBridge(&f.bridge);
        f.startServer("DecrementingCounter");
        f.settle();
        for (int i = 0; i < 10; ++i) {
            f.advance(500);
            const double expected = -(i + 1);
            QVERIFY(f.pumpUntil([&] { return model.value() == expected; }));
        }
        // Five points inside the last two seconds (3000..5000 ms) plus the one the line starts from.
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.minValue(), -10.0);
    }

    void counterShowsItsQueue()
    {
        Fixture f;
        StateHistoryModel model;
        model.setServer(QStringLiteral("Counter"));
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.run([&] {
            for (int i = 0; i < 3; ++i)
                gen::cast(proc::runtime(), Term(counter), "increment"_a);
        });
        f.settle();
        QCOMPARE(model.mailboxDepth(), 2);
        QCOMPARE(model.handling(), true);
        QCOMPARE(model.nextTimerMs(), -1.0);
    }

    void aNonNumericStateHasNoValue()
    {
        Fixture f;
        StateHistoryModel model;
        model.setServer(QStringLiteral("Journal"));
        model.setBridge(&f.bridge);
        f.startServer("Journal");
        f.settle();
        QVERIFY(std::isnan(model.value()));
        QCOMPARE(model.stateText(), QStringLiteral("[]"));
        QVERIFY(model.points().isEmpty());
    }
};

QTEST_MAIN(TestStateHistoryModel)
#include "tst_statehistorymodel.moc"
