// SPDX-License-Identifier: MIT
// Messages in flight on the stage: one flight per send, coalesced under a flood.
#include "fixture.h"
#include "inflightmodel.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestInFlightModel : public QObject {
    Q_OBJECT

private slots:
    void aCallFliesThereAndItsReplyFliesBack()
    {
        Fixture f;
        InFlightModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.settle();
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        Pid client;
        f.run([&] {
            client = proc::self();
            (void)gen::call(Term(counter), "get_count"_a);
        });
        f.settle();
        QCOMPARE(inserted.count(), 1);
        QStringList kinds;
        for (int r = 0; r < model.rowCount(); ++r)
            kinds.append(model.index(r).data(InFlightModel::KindRole).toString());
        QVERIFY2(kinds.contains(QStringLiteral("call")) && kinds.contains(QStringLiteral("reply")),
            qPrintable(kinds.join(',')));
        const int call = int(kinds.indexOf(QStringLiteral("call")));
        QCOMPARE(model.index(call).data(InFlightModel::FromPidRole).toInt(), int(client.number));
        QCOMPARE(model.index(call).data(InFlightModel::ToPidRole).toInt(), int(counter.number));
        QCOMPARE(model.index(call).data(InFlightModel::LabelRole).toString(), QStringLiteral(":get_count"));
        const int reply = int(kinds.indexOf(QStringLiteral("reply")));
        QCOMPARE(model.index(reply).data(InFlightModel::ToPidRole).toInt(), int(client.number));
        QCOMPARE(model.index(reply).data(InFlightModel::LabelRole).toString(), QStringLiteral("0"));

        // Flights land after their duration.
        QTest::qWait(model.durationMs() + 50);
        f.bridge.pump();
        QCOMPARE(model.rowCount(), 0);
    }

    void aFloodCoalescesIntoCountedFlights()
    {
        Fixture f;
        InFlightModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.settle();
        QCOMPARE(model.coalescing(), false);
        f.run([&] {
            for (int i = 0; i < 10000; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.settle();
        QVERIFY(model.rowCount() <= model.maxFlights());
        QCOMPARE(model.coalescing(), true);
        int total = 0;
        bool burst = false;
        for (int r = 0; r < model.rowCount(); ++r) {
            const int count = model.index(r).data(InFlightModel::CountRole).toInt();
            total += count;
            burst = burst || count > 1;
        }
        QVERIFY(burst);
        QCOMPARE(total, 10000); // every send is accounted for
    }

    void aLongFloodFliesEverySendOnceInFewerFlights()
    {
        Fixture f;
        InFlightModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.settle();
        // What each new flight carries, as the stage sees it when the flight starts.
        int flights = 0;
        int carried = 0;
        connect(
            &model, &QAbstractItemModel::rowsInserted, this, [&](const QModelIndex &, int first, int last) {
                for (int r = first; r <= last; ++r) {
                    if (model.index(r).data(InFlightModel::ToPidRole).toInt() != int(sink.number))
                        continue;
                    ++flights;
                    carried += model.index(r).data(InFlightModel::CountRole).toInt();
                }
            });
        const int frames = 60;
        const int sent = f.flood(sink, frames, 200);
        QVERIFY(f.pumpUntil([&] { return carried == sent; }));
        QVERIFY(model.coalescing());
        // Frame by frame that would be at least a flight per frame.
        QVERIFY2(flights < frames, qPrintable(QString::number(flights)));
        QVERIFY(model.rowCount() <= model.maxFlights());
    }
};

QTEST_MAIN(TestInFlightModel)
#include "tst_inflightmodel.moc"
