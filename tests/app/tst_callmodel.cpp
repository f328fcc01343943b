// SPDX-License-Identifier: MIT
// The call-vs-cast bars and the per-server summary: a call blocks its caller until the
// reply, a cast returns at once.
#include "callmodel.h"
#include "callstatsmodel.h"
#include "fixture.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestCallModel : public QObject {
    Q_OBJECT

private slots:
    void aCallBlocksForTheWholeHandlerACastDoesNot()
    {
        Fixture f;
        CallModel bars;
        CallStatsModel stats;
        QAbstractItemModelTester barsTester(&bars, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester statsTester(&stats, QAbstractItemModelTester::FailureReportingMode::QtTest);
        bars.setBridge(&f.bridge);
        stats.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.settle();
        QSignalSpy inserted(&bars, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&bars, &QAbstractItemModel::dataChanged);

        // A cast then a call from one client: the call waits behind the cast's 1000 ms.
        Term count;
        const Pid client = f.runtime.spawn([&] {
            gen::cast(proc::runtime(), Term(counter), "increment"_a);
            count = gen::call(Term(counter), "get_count"_a, std::nullopt);
        });
        QVERIFY(f.pumpUntil([&] { return bars.rowCount() == 2; }));
        f.waitIdle();
        f.bridge.pump();
        // Newest first: the pending call on top, the returned cast below.
        const QModelIndex call = bars.index(0);
        const QModelIndex cast = bars.index(1);
        QCOMPARE(call.data(CallModel::IsCastRole).toBool(), false);
        QCOMPARE(call.data(CallModel::OutcomeRole).toString(), QStringLiteral("pending"));
        QCOMPARE(call.data(CallModel::DurationUsRole).toDouble(), -1.0);
        QCOMPARE(call.data(CallModel::RequestRole).toString(), QStringLiteral(":get_count"));
        QCOMPARE(call.data(CallModel::ServerNameRole).toString(), QStringLiteral("Counter"));
        QCOMPARE(call.data(CallModel::ClientPidRole).toInt(), int(client.number));
        QCOMPARE(cast.data(CallModel::IsCastRole).toBool(), true);
        QCOMPARE(cast.data(CallModel::KindRole).toString(), QStringLiteral("cast"));
        QCOMPARE(cast.data(CallModel::OutcomeRole).toString(), QStringLiteral("ok"));
        QCOMPARE(cast.data(CallModel::RequestRole).toString(), QStringLiteral(":increment"));
        QVERIFY(cast.data(CallModel::DurationUsRole).toDouble() >= 0);
        QVERIFY(cast.data(CallModel::DurationUsRole).toDouble() < 1000); // the manual clock stood still
        QVERIFY(inserted.count() >= 1);

        changed.clear();
        QVERIFY(f.untilSleeping(counter));
        f.advance(1000);
        QVERIFY(f.pumpUntil([&] { return bars.index(0).data(CallModel::OutcomeRole).toString() == "ok"; }));
        QCOMPARE(count, Term::integer(1));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(bars.index(0).data(CallModel::DurationUsRole).toDouble(), 1'000'000.0);
        QCOMPARE(bars.index(0).data(CallModel::ReplyRole).toString(), QStringLiteral("1"));

        // The summary: one call of 1 s, one cast of nothing.
        const int callRow = stats.rowOf(QStringLiteral("Counter"), false);
        const int castRow = stats.rowOf(QStringLiteral("Counter"), true);
        QVERIFY(callRow >= 0 && castRow >= 0);
        QCOMPARE(stats.index(callRow).data(CallStatsModel::CountRole).toLongLong(), 1);
        QCOMPARE(stats.index(callRow).data(CallStatsModel::MaxUsRole).toDouble(), 1'000'000.0);
        QCOMPARE(stats.index(callRow).data(CallStatsModel::P50UsRole).toDouble(), 1'000'000.0);
        QCOMPARE(stats.index(castRow).data(CallStatsModel::CountRole).toLongLong(), 1);
        QVERIFY(stats.index(castRow).data(CallStatsModel::MaxUsRole).toDouble() < 1000);
    }

    void aTimedOutCallEndsRed()
    {
        Fixture f;
        CallModel bars;
        QAbstractItemModelTester tester(&bars, QAbstractItemModelTester::FailureReportingMode::QtTest);
        bars.setBridge(&f.bridge);
        const Pid slow = f.startServer("SlowServer");
        f.runtime.spawn([&] { (void)gen::call(Term(slow), "sleep"_a, 500); });
        QVERIFY(f.pumpUntil([&] { return bars.rowCount() == 1; }));
        QVERIFY(f.untilSleeping(slow));
        f.advance(500);
        QVERIFY(
            f.pumpUntil([&] { return bars.index(0).data(CallModel::OutcomeRole).toString() == "timeout"; }));
        QCOMPARE(bars.index(0).data(CallModel::TimeoutMsRole).toLongLong(), 500);
        QCOMPARE(bars.index(0).data(CallModel::DurationUsRole).toDouble(), 500'000.0);
    }

    void aTimersMessageIsNoSendOfItsSetter()
    {
        // The timer thread sends it in the setter's name long after the setter went on: it
        // is a delivery, not a fire-and-forget message left waiting for its sender to return.
        Fixture f;
        CallModel bars;
        bars.setBridge(&f.bridge);
        const Pid receiver = f.startServer("Receiver");
        f.run([&] { proc::runtime().sendAfter(Term(receiver), "message"_a, 100); });
        f.advance(100);
        QVERIFY(f.pumpUntil([&] {
            const ProcessRecord *p = f.bridge.view().process(receiver);
            return p != nullptr && p->received == 1 && !p->handling;
        }));
        QCOMPARE(bars.rowCount(), 0);
        // A plain message sent by a client itself still is one.
        f.run([&] { proc::runtime().send(Term(receiver), "message"_a); });
        QVERIFY(f.pumpUntil([&] { return bars.rowCount() == 1; }));
        QCOMPARE(bars.index(0).data(CallModel::KindRole).toString(), QStringLiteral("info"));
    }

    // A plain send is a "send" in the summary as on its bar, never a cast: one name everywhere.
    void aPlainSendIsASendInTheSummaryToo()
    {
        Fixture f;
        CallStatsModel stats;
        QAbstractItemModelTester tester(&stats, QAbstractItemModelTester::FailureReportingMode::QtTest);
        stats.setBridge(&f.bridge);
        const Pid receiver = f.startServer("Receiver");
        f.run([&] { proc::runtime().send(Term(receiver), "message"_a); });
        QVERIFY(f.pumpUntil([&] { return stats.rowCount() == 1; }));
        QCOMPARE(stats.index(0).data(CallStatsModel::ServerRole).toString(), QStringLiteral("Receiver"));
        QCOMPARE(stats.index(0).data(CallStatsModel::KindRole).toString(), QStringLiteral("send"));
        QCOMPARE(stats.index(0).data(CallStatsModel::CountRole).toLongLong(), 1);
        QCOMPARE(stats.rowOf(QStringLiteral("Receiver"), true), -1); // no cast row
    }

    void percentilesAreNearestRankOverASpreadOfDurations()
    {
        // 103 calls to one server, their durations known in advance on the manual clock:
        // 51 of 0 ms, 49 of 10 ms, then 20, 30 and 40 ms. Nearest rank, sorted ascending:
        // p50 is the 52nd (ceil(0.50 * 103)), 10 ms, just past the zeros; p99 is the 102nd
        // (ceil(0.99 * 103)), 30 ms, one below the max. More than 100 calls, or p99 is the max.
        Fixture f;
        CallStatsModel stats;
        QAbstractItemModelTester tester(&stats, QAbstractItemModelTester::FailureReportingMode::QtTest);
        stats.setBridge(&f.bridge);
        const Pid slow = f.startServer("SlowServer");
        const auto callsEnded = [&](qint64 n) {
            return f.pumpUntil([&] {
                const int row = stats.rowOf(QStringLiteral("SlowServer"), false);
                return row >= 0 && stats.index(row).data(CallStatsModel::CountRole).toLongLong() == n;
            });
        };
        const auto call = [&](int64_t ms) {
            f.runtime.spawn(
                [slow, ms] { (void)gen::call(Term(slow), Term::tuple({ "sleep"_a, Term::integer(ms) })); });
        };
        const auto sleepingOn = [&](uint64_t received) {
            return f.pumpUntil([&] {
                const ProcessRecord *p = f.bridge.view().process(slow);
                return p != nullptr && p->received == received && p->block == BlockKind::Sleep;
            });
        };

        for (int i = 0; i < 51; ++i)
            call(0);
        QVERIFY(callsEnded(51));
        // One call holds the server for 10 ms while 48 more queue behind it: all 49 end then.
        call(10);
        QVERIFY(sleepingOn(52));
        for (int i = 0; i < 48; ++i)
            call(0);
        QVERIFY(f.pumpUntil([&] { return f.runtime.messageQueueLen(slow) == size_t(48); }));
        f.advance(10);
        QVERIFY(callsEnded(100));
        uint64_t received = 100;
        for (const int64_t ms : { 20, 30, 40 }) {
            call(ms);
            QVERIFY(sleepingOn(++received));
            f.advance(ms);
            QVERIFY(callsEnded(qint64(received)));
        }

        const QModelIndex row = stats.index(stats.rowOf(QStringLiteral("SlowServer"), false));
        QCOMPARE(row.data(CallStatsModel::KindRole).toString(), QStringLiteral("call"));
        QCOMPARE(row.data(CallStatsModel::CountRole).toLongLong(), 103);
        QCOMPARE(row.data(CallStatsModel::P50UsRole).toDouble(), 10'000.0);
        QCOMPARE(row.data(CallStatsModel::P99UsRole).toDouble(), 30'000.0);
        QCOMPARE(row.data(CallStatsModel::MaxUsRole).toDouble(), 40'000.0);
    }

    void maxBarsKeepsTheNewest()
    {
        Fixture f;
        CallModel bars;
        QAbstractItemModelTester tester(&bars, QAbstractItemModelTester::FailureReportingMode::QtTest);
        bars.setMaxBars(5);
        bars.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.run([&] {
            for (int i = 0; i < 12; ++i)
                (void)gen::call(Term(counter), "get_count"_a);
        });
        f.settle();
        QCOMPARE(bars.rowCount(), 5);
        QVERIFY(bars.index(0).data(CallModel::CallIdRole).toLongLong()
            > bars.index(4).data(CallModel::CallIdRole).toLongLong());
        // :sys requests are left out unless asked for.
        f.run([&] { (void)sys::getState(Term(counter)); });
        f.settle();
        QCOMPARE(bars.index(0).data(CallModel::KindRole).toString(), QStringLiteral("call"));
        bars.setIncludeSystem(true);
        QCOMPARE(bars.index(0).data(CallModel::KindRole).toString(), QStringLiteral("system"));
    }
};

QTEST_MAIN(TestCallModel)
#include "tst_callmodel.moc"
