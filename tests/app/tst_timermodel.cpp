// SPDX-License-Identifier: MIT
// Pending send_after timers: the message and when it fires, gone once it fired.
#include "fixture.h"
#include "timermodel.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestTimerModel : public QObject {
    Q_OBJECT

private slots:
    void aTimerCountsDownAndFires()
    {
        Fixture f;
        TimerModel all;
        TimerModel receiverOnly;
        QAbstractItemModelTester allTester(&all, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester oneTester(
            &receiverOnly, QAbstractItemModelTester::FailureReportingMode::QtTest);
        all.setBridge(&f.bridge);
        receiverOnly.setBridge(&f.bridge);
        const Pid receiver = f.startServer("Receiver");
        const Pid journal = f.startServer("Journal");
        receiverOnly.setTargetPid(int(receiver.number));
        f.settle();
        QSignalSpy inserted(&receiverOnly, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&receiverOnly, &QAbstractItemModel::rowsRemoved);

        f.run([&] {
            proc::runtime().sendAfter(Term(receiver), "message"_a, 2000);
            proc::runtime().sendAfter(Term(journal), "tick"_a, 500);
            proc::runtime().sendAfter(Term(receiver), "early"_a, 1000);
        });
        f.settle();
        QCOMPARE(all.rowCount(), 3);
        QCOMPARE(
            all.index(0).data(TimerModel::LabelRole).toString(), QStringLiteral(":tick")); // soonest first
        QCOMPARE(receiverOnly.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(receiverOnly.index(0).data(TimerModel::LabelRole).toString(), QStringLiteral(":early"));
        QCOMPARE(receiverOnly.index(1).data(TimerModel::LabelRole).toString(), QStringLiteral(":message"));
        QCOMPARE(receiverOnly.index(1).data(TimerModel::DeadlineMsRole).toDouble()
                - receiverOnly.index(1).data(TimerModel::SetMsRole).toDouble(),
            2000.0);
        QCOMPARE(
            receiverOnly.index(1).data(TimerModel::TargetNameRole).toString(), QStringLiteral("Receiver"));

        f.advance(1000);
        QVERIFY(f.pumpUntil([&] { return all.rowCount() == 1 && receiverOnly.rowCount() == 1; }));
        QCOMPARE(removed.count(), 1);
        f.advance(1000);
        QVERIFY(f.pumpUntil([&] { return all.rowCount() == 0; }));
    }

    void aCancelledTimerLeaves()
    {
        Fixture f;
        TimerModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid receiver = f.startServer("Receiver");
        Ref timer;
        f.run([&] { timer = proc::runtime().sendAfter(Term(receiver), "message"_a, 5000); });
        f.settle();
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(f.runtime.cancelTimer(timer).has_value());
        f.settle();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestTimerModel)
#include "tst_timermodel.moc"
