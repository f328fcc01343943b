// SPDX-License-Identifier: MIT
// The event bridge: the one crossing from the runtime's threads to the GUI thread.
#include "fixture.h"

#include <thread>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

namespace {

/// Spawns a process that waits forever without taking anything out of its mailbox.
Pid spawnSink(Runtime &rt)
{
    return rt.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
}

} // namespace

class TestEventBridge : public QObject {
    Q_OBJECT

private slots:
    void oneUpdatePerFrameHoweverManyEvents_data()
    {
        QTest::addColumn<int>("messages");
        QTest::addRow("one") << 1;
        QTest::addRow("a thousand") << 1000;
        QTest::addRow("twenty thousand") << 20000;
    }

    void oneUpdatePerFrameHoweverManyEvents()
    {
        QFETCH(int, messages);
        Fixture f;
        const Pid sink = spawnSink(f.runtime);
        f.run([&] {
            for (int i = 0; i < messages; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.waitIdle();
        QSignalSpy updated(&f.bridge, &EventBridge::updated);
        const int applied = f.bridge.pump(true);
        QCOMPARE(updated.count(), 1);
        QVERIFY(applied >= messages);
        // The mailbox count is exact, however many arrived in the frame.
        QCOMPARE(f.bridge.view().process(sink)->mailbox.size(), size_t(messages));
        QCOMPARE(f.bridge.eventCount(), qint64(applied));
    }

    void followsTheLogInSequenceWithoutGaps()
    {
        Fixture f;
        const Pid sink = spawnSink(f.runtime);
        f.run([&] {
            for (int i = 0; i < 300; ++i)
                proc::send(Term(sink), "ping"_a);
        });
        f.settle();
        const History &history = f.bridge.history();
        QCOMPARE(history.firstSeq(), uint64_t(1));
        for (uint64_t s = history.firstSeq(); s < history.endSeq(); ++s)
            QCOMPARE(history.event(s)->seq, s);
        QCOMPARE(f.bridge.view().seq(), history.endSeq() - 1);
        // A frame with nothing new still ticks (timers count down) but applies nothing.
        QSignalSpy updated(&f.bridge, &EventBridge::updated);
        QCOMPARE(f.bridge.pump(), 0);
        QCOMPARE(updated.count(), 1);
    }

    void postedTasksRunOnTheGuiThreadAtTheNextFrame()
    {
        Fixture f;
        std::atomic<bool> ran{ false };
        Qt::HANDLE ranOn = nullptr;
        std::thread worker([&] {
            f.bridge.post([&] {
                ranOn = QThread::currentThreadId();
                ran = true;
            });
        });
        worker.join();
        QVERIFY(!ran.load()); // nothing runs between frames
        f.bridge.pump();
        QVERIFY(ran.load());
        QCOMPARE(ranOn, QThread::currentThreadId());
    }

    void carriesOnAfterTheRuntimeDroppedOldEvents()
    {
        RuntimeOptions options = testing::manualClock();
        options.eventBudget = 1024;
        Fixture f(options);
        const Pid sink = spawnSink(f.runtime);
        f.run([&] {
            for (int i = 0; i < 5000; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.settle();
        QVERIFY(f.runtime.events().dropped() > 0);
        QVERIFY(f.bridge.history().firstSeq() > 1);
        QCOMPARE(f.bridge.history().endSeq(), f.runtime.events().end());
        // Later events are followed as usual.
        f.run([&] { proc::send(Term(sink), "late"_a); });
        f.settle();
        QCOMPARE(f.bridge.history().endSeq(), f.runtime.events().end());
    }

    void underAFloodTheCountersAreToldTenTimesASecondAndExactAfter()
    {
        Fixture f;
        const Pid sink = spawnSink(f.runtime);
        f.settle();
        QSignalSpy updated(&f.bridge, &EventBridge::updated);
        QSignalSpy counters(&f.bridge, &EventBridge::countersChanged);
        QSignalSpy flooding(&f.bridge, &EventBridge::floodingChanged);
        const int sent = f.flood(sink, 40, 200);
        QVERIFY(f.bridge.flooding());
        QCOMPARE(updated.count(), 40); // the models still follow every frame
        QVERIFY2(counters.count() < updated.count(), qPrintable(QString::number(counters.count())));
        // Once the flood stops, quiet frames tell the counters again and the flood is over.
        QVERIFY(f.pumpUntil([&] { return !f.bridge.flooding(); }));
        QCOMPARE(flooding.count(), 2);
        const int told = int(counters.count());
        f.bridge.pump();
        QCOMPARE(counters.count(), told + 1);
        QCOMPARE(f.bridge.view().process(sink)->mailbox.size(), size_t(sent));
        QCOMPARE(f.bridge.lastSeqValue(), double(f.runtime.events().end() - 1));
        QCOMPARE(f.bridge.eventCount(), qint64(f.runtime.events().end() - 1));
    }

    void nowFollowsTheVirtualClock()
    {
        Fixture f;
        f.bridge.pump();
        const double before = f.bridge.nowMs();
        QSignalSpy updated(&f.bridge, &EventBridge::updated);
        f.runtime.advance(250);
        f.bridge.pump();
        QCOMPARE(updated.count(), 1);
        QCOMPARE(f.bridge.nowMs() - before, 250.0);
    }

    // The clock shown moves in steps (CounterThrottle), but a stopped clock shows where it
    // stopped: a message sent while the world is paused does not move the paused clock.
    void aPausedClockStaysWhereItStoppedWhenAMessageComes()
    {
        Fixture f;
        const Pid sink = spawnSink(f.runtime);
        f.settle();
        f.runtime.advance(20); // less than a step of the clock shown
        f.runtime.setPaused(true);
        f.bridge.pump();
        f.bridge.pump(); // a frame with the clock where it was: it stopped
        QCOMPARE(f.bridge.nowMs(), double(f.runtime.clock().now()) / 1e6);
        const double paused = f.bridge.nowMs();
        f.runtime.send(Term(sink), "increment"_a, MessageKind::Cast); // from outside, as the console's job
        QVERIFY(f.pumpUntil([&] { return f.bridge.view().process(sink)->mailbox.size() == 1; }));
        QCOMPARE(f.bridge.nowMs(), paused);
        f.runtime.setPaused(false);
    }
};

QTEST_MAIN(TestEventBridge)
#include "tst_eventbridge.moc"
