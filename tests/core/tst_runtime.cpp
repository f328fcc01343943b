// SPDX-License-Identifier: MIT
// The runtime's process semantics: delivery order, links, monitors, exits, timers.
#include "runtime.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <thread>

#include <sys/resource.h>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

RuntimeOptions manualClock(unsigned schedulers = 2)
{
    RuntimeOptions o;
    o.schedulers = schedulers;
    o.clockMode = Clock::Mode::Manual;
    o.output = [](Pid, std::string_view) {};
    o.errorReport = [](std::string_view) {};
    return o;
}

SpawnOptions joinable()
{
    SpawnOptions o;
    o.joinable = true;
    return o;
}

/// Runs `body` as a process and waits for it to end; returns its exit reason.
Term runProcess(Runtime &rt, std::function<void()> body)
{
    const Pid pid = rt.spawn(std::move(body), joinable());
    auto reason = rt.join(pid, 120'000); // a hang guard, not a speed bound
    if (!reason)
        qFatal("process did not finish");
    return *reason;
}

SpawnOptions linked()
{
    SpawnOptions o;
    o.link = true;
    return o;
}

std::optional<Message> receiveAny(std::optional<int64_t> timeout = std::nullopt)
{
    return proc::receive([](const Term &) { return true; }, timeout);
}

/// Records that the calling process is about to wait, as Process.sleep does: a plain receive
/// records nothing. The mark becomes readable only when the process switches out, after the
/// receive that follows has set its timer.
void markWaiting()
{
    Event e;
    e.type = EventType::BlockBegin;
    e.pid = proc::self();
    e.term = "receive"_a;
    proc::runtime().recordLocal(std::move(e));
}

/// Waits (real time, bounded) until `pid`'s markWaiting() is readable: it is parked, its
/// timer set, so a manual clock step cannot race it.
void waitBlocked(Runtime &rt, Pid pid)
{
    const auto marked = [&] {
        std::vector<Event> events;
        const EventLog &log = rt.events();
        (void)log.read(log.begin(), size_t(log.end() - log.begin()), events);
        return std::any_of(events.begin(), events.end(),
            [pid](const Event &e) { return e.type == EventType::BlockBegin && e.pid == pid; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(marked(), 30'000);
}

/// Waits (real time, bounded) until `pid` is parked in a timed wait, its deadline set: a
/// manual clock step before then would count the deadline from the later time.
void waitTimed(Runtime &rt, Pid pid)
{
    QTRY_VERIFY_WITH_TIMEOUT(rt.waitingOnTimer(pid), 30'000);
}

/// Waits until every timer due at the clock's present time has fired: a 0 ms timer set now
/// fires after them (one thread fires at a time, earliest deadline first).
void waitTimersFired(Runtime &rt)
{
    std::atomic<bool> arrived{ false };
    const Pid probe = rt.spawn([&] {
        (void)receiveAny();
        arrived = true;
    });
    (void)rt.sendAfter(Term(probe), "probe"_a, 0);
    QTRY_VERIFY_WITH_TIMEOUT(arrived.load(), 30'000);
}

/// Counts messages until :stop, hibernating whenever its mailbox is empty: each message
/// wakes it on a fresh stack with the count it had.
void countHibernating(std::atomic<int> *count, int n, std::atomic<int> *wakeUps)
{
    wakeUps->fetch_add(1);
    while (auto m = receiveAny(0)) {
        if (m->term == "stop"_a)
            return;
        count->store(++n);
    }
    markWaiting();
    proc::hibernate([count, n, wakeUps] { countHibernating(count, n, wakeUps); });
}

// Rounds of monitorAndStop, each a race between demonitor and the exit's deliveries.
// ThreadSanitizer's builds run ten times slower: they do a tenth of the rounds.
#ifdef MAILROOM_TSAN
constexpr int kDemonitorRounds = 20;
#else
constexpr int kDemonitorRounds = 200;
#endif

/// A process waiting for :stop, monitored by the calling process `1 + fillers` times and
/// once, right after the first, by another process; then told to stop. Its exit delivers
/// the DOWNs in that order: the first wakes the caller onto the exiting process's
/// scheduler, the second (the other watcher's) pushes the caller to that scheduler's queue,
/// where the other scheduler steals it while the fillers are still being delivered. Returns
/// the caller's refs in delivery order.
std::vector<Ref> monitorAndStop(int fillers)
{
    const Pid target = proc::spawn([] { (void)proc::receive([](const Term &m) { return m == "stop"_a; }, std::nullopt); });
    std::vector<Ref> refs{ proc::monitor(Term(target)) };
    const Pid self = proc::self();
    (void)proc::spawn([self, target] {
        (void)proc::monitor(Term(target));
        proc::send(Term(self), "watching"_a);
        (void)receiveAny();
    });
    (void)proc::receive([](const Term &m) { return m == "watching"_a; }, std::nullopt);
    for (int i = 0; i < fillers; ++i)
        refs.push_back(proc::monitor(Term(target)));
    proc::send(Term(target), "stop"_a);
    return refs;
}

/// Receives the DOWN of `ref`; nullopt after `timeoutMs` without it.
std::optional<Message> receiveDown(Ref ref, std::optional<int64_t> timeoutMs = std::nullopt)
{
    const Term refTerm(ref);
    return proc::receive([&](const Term &m) { return m.isTuple(5) && m[0] == "DOWN"_a && m[1] == refTerm; }, timeoutMs);
}

} // namespace

class TestRuntime : public QObject {
    Q_OBJECT

private slots:
    void messagesBetweenAPairArriveInOrder()
    {
        Runtime rt(manualClock());
        std::vector<int64_t> got;
        const Term reason = runProcess(rt, [&] {
            const Pid parent = proc::self();
            const Pid receiver = proc::spawn([parent] {
                for (int i = 0; i < 10'000; ++i) {
                    auto m = receiveAny();
                    proc::send(Term(parent), m->term);
                }
            });
            for (int i = 0; i < 10'000; ++i)
                proc::send(Term(receiver), Term::integer(i));
            for (int i = 0; i < 10'000; ++i)
                got.push_back(receiveAny()->term.asInteger());
        });
        QCOMPARE(reason, "normal"_a);
        QCOMPARE(got.size(), size_t(10'000));
        for (int i = 0; i < 10'000; ++i)
            QCOMPARE(got[size_t(i)], int64_t(i));
    }

    void selectiveReceiveKeepsOtherMessagesInOrder()
    {
        Runtime rt(manualClock());
        std::vector<Term> order;
        runProcess(rt, [&] {
            for (const char *m : { "a", "b", "wanted", "c" })
                proc::send(Term(proc::self()), Term::atom(m));
            order.push_back(proc::receive([](const Term &t) { return t.isAtom("wanted"); })->term);
            while (auto m = receiveAny(0))
                order.push_back(m->term);
        });
        QCOMPARE(order, (std::vector<Term>{ "wanted"_a, "a"_a, "b"_a, "c"_a }));
    }

    void sendToDeadPidIsSilentButUnknownNameIsAnError()
    {
        Runtime rt(manualClock());
        const Pid dead = rt.spawn([] {});
        QTRY_VERIFY(!rt.alive(dead));
        rt.send(Term(dead), "lost"_a); // no throw, as in Erlang
        bool threw = false;
        try {
            rt.send("nobody_here"_a, "hello"_a);
        } catch (const RuntimeError &e) {
            threw = true;
            QVERIFY(e.term().structModule() != nullptr);
            QCOMPARE(*e.term().structModule(), "Elixir.ArgumentError"_a);
        }
        QVERIFY(threw);
    }

    void registryMapsNamesToPids()
    {
        Runtime rt(manualClock());
        std::atomic<bool> release{ false };
        const Pid p = rt.spawn([&] { (void)receiveAny(); });
        QVERIFY(rt.registerName(Atom::intern("worker"), p));
        QCOMPARE(rt.whereis(Atom::intern("worker")), p);
        QCOMPARE(rt.registeredName(p).value(), Atom::intern("worker"));
        const Pid q = rt.spawn([&] { (void)receiveAny(); });
        QVERIFY(!rt.registerName(Atom::intern("worker"), q)); // taken
        rt.send("worker"_a, "stop"_a); // send by name
        QTRY_VERIFY(!rt.alive(p));
        QTRY_VERIFY(!rt.whereis(Atom::intern("worker")).isValid()); // released on exit
        QVERIFY(rt.registerName(Atom::intern("worker"), q));
        rt.exit(q, "kill"_a);
        (void)release;
    }

    void linkedCrashTakesThePartnerUnlessItTrapsExits()
    {
        Runtime rt(manualClock());
        const Term reason = runProcess(rt, [] {
            proc::spawn([] { proc::exit("boom"_a); }, linked());
            (void)receiveAny(); // killed by the link before anything arrives
        });
        QCOMPARE(reason, "boom"_a);

        Term got;
        const Term trapped = runProcess(rt, [&] {
            proc::setTrapExit(true);
            const Pid child = proc::spawn([] { proc::exit("boom"_a); }, linked());
            got = receiveAny()->term;
            QCOMPARE(got, Term::tuple({ "EXIT"_a, Term(child), "boom"_a }));
        });
        QCOMPARE(trapped, "normal"_a);
        QVERIFY(got.isTuple(3));
    }

    void normalExitOfALinkDoesNotKill()
    {
        Runtime rt(manualClock());
        const Term reason = runProcess(rt, [] {
            const Pid child = proc::spawn([] {}, linked());
            (void)proc::monitor(Term(child));
            (void)receiveAny(); // the DOWN; the link's exit signal came just before it
            (void)receiveAny(0);
        });
        QCOMPARE(reason, "normal"_a);
    }

    void killCannotBeTrapped()
    {
        Runtime rt(manualClock());
        Term seen;
        const Term reason = runProcess(rt, [&] {
            const Pid victim = proc::spawn([] {
                proc::setTrapExit(true);
                for (;;)
                    (void)receiveAny();
            });
            const Ref ref = proc::monitor(Term(victim));
            proc::runtime().exit(victim, "kill"_a);
            seen = proc::receive([&](const Term &m) { return m.isTuple(5) && m[1] == Term(ref); })->term;
        });
        QCOMPARE(reason, "normal"_a);
        QCOMPARE(seen[4], "killed"_a);
    }

    void exitSignalWithNormalReasonIsIgnored()
    {
        Runtime rt(manualClock());
        const Pid p = rt.spawn([] { (void)receiveAny(); });
        rt.exit(p, "normal"_a);
        QTest::qWait(20);
        QVERIFY(rt.alive(p));
        rt.exit(p, "shutdown"_a);
        QTRY_VERIFY(!rt.alive(p));
    }

    void monitorReportsExitReasonAndNoproc()
    {
        Runtime rt(manualClock());
        Term down1;
        Term down2;
        runProcess(rt, [&] {
            const Pid child = proc::spawn([] { proc::exit("oops"_a); });
            const Ref ref = proc::monitor(Term(child));
            down1 = receiveAny()->term;
            QCOMPARE(down1, Term::tuple({ "DOWN"_a, Term(ref), "process"_a, Term(child), "oops"_a }));
            const Ref ref2 = proc::monitor(Term(child)); // already dead
            down2 = receiveAny()->term;
            QCOMPARE(down2, Term::tuple({ "DOWN"_a, Term(ref2), "process"_a, Term(child), "noproc"_a }));
        });
        QVERIFY(down1.isTuple(5));
        QVERIFY(down2.isTuple(5));
    }

    // Task.await's shape: the child answers, then exits; the owner demonitors with flush the
    // moment it has the answer, while the child's exit may be between taking its monitors
    // and delivering the DOWN. No DOWN may reach the mailbox after demonitor returns (the
    // BEAM's promise); a late one was a message Task.await left behind under load.
    void demonitorLeavesNoDownBehindWhileTheTargetExits()
    {
        Runtime rt;
        int64_t left = -1;
        runProcess(rt, [&] {
            const Pid self = proc::self();
            for (int i = 0; i < kDemonitorRounds * 100; ++i) {
                const Pid child = proc::spawn([self] { proc::send(Term(self), "answer"_a); });
                const Ref ref = proc::monitor(Term(child));
                (void)proc::receive([](const Term &m) { return m == "answer"_a; }, std::nullopt);
                proc::demonitor(ref, true);
            }
            proc::sleep(50); // any DOWN still on its way lands now
            left = int64_t(rt.messageQueueLen(self).value_or(size_t(999)));
        });
        QCOMPARE(left, int64_t(0));
    }

    void demonitorDuringTheTargetsDeliveriesLeavesNoDownBehind_data()
    {
        QTest::addColumn<bool>("flush");
        QTest::addRow("flush") << true;
        QTest::addRow("no flush") << false;
    }

    // The same promise with the race made likely: demonitor runs on one scheduler while the
    // target's exit, on the other, has taken the monitor and is still delivering DOWNs
    // (monitorAndStop). The DOWN of the monitor dropped in the middle of them must not
    // arrive after demonitor returned: with flush it is gone; without, it may be in the
    // mailbox when demonitor returns (as on the BEAM), never later.
    void demonitorDuringTheTargetsDeliveriesLeavesNoDownBehind()
    {
        QFETCH(bool, flush);
        Runtime rt(manualClock());
        constexpr int kRounds = kDemonitorRounds;
        constexpr int kFillers = 2000;
        int late = -1;
        int flushedLeft = -1;
        const Pid tester = rt.spawn(
            [&] {
                int lateDowns = 0;
                int leftDowns = 0;
                for (int round = 0; round < kRounds; ++round) {
                    const std::vector<Ref> refs = monitorAndStop(kFillers);
                    const Ref middle = refs[refs.size() / 2];
                    (void)receiveDown(refs.front());
                    proc::demonitor(middle, flush);
                    const bool there = receiveDown(middle, 0).has_value();
                    (void)receiveDown(refs.back()); // the last one: every other DOWN is in
                    if (receiveDown(middle, 0))
                        ++lateDowns;
                    if (flush && there)
                        ++leftDowns;
                    while (receiveAny(0)) {
                    }
                }
                late = lateDowns;
                flushedLeft = leftDowns;
            },
            joinable());
        QVERIFY2(rt.join(tester, 60'000).has_value(), "the tester hung");
        QCOMPARE(late, 0);
        QCOMPARE(flushedLeft, 0);
    }

    void demonitorAfterTheDownWasReceivedReturns_data()
    {
        QTest::addColumn<bool>("flush");
        QTest::addRow("flush") << true;
        QTest::addRow("no flush") << false;
    }

    // gen::call's and Task.await's shape: the DOWN is received first, then the monitor is
    // dropped while the target is still delivering its other DOWNs. demonitor must return
    // at once: the DOWN it could wait for has been taken already.
    void demonitorAfterTheDownWasReceivedReturns()
    {
        QFETCH(bool, flush);
        Runtime rt(manualClock());
        constexpr int kRounds = kDemonitorRounds;
        constexpr int kFillers = 2000;
        std::atomic<int> rounds{ 0 }; // read by this thread while the tester may still run
        const Pid tester = rt.spawn(
            [&rounds, flush] {
                for (int round = 0; round < kRounds; ++round) {
                    const std::vector<Ref> refs = monitorAndStop(kFillers);
                    (void)receiveDown(refs.front());
                    proc::demonitor(refs.front(), flush);
                    (void)receiveDown(refs.back());
                    while (receiveAny(0)) {
                    }
                    rounds.store(round + 1);
                }
            },
            joinable());
        // A hang guard, not a speed bound: the whole test takes well under a second.
        const bool finished = rt.join(tester, 60'000).has_value();
        QVERIFY2(finished, qPrintable(QStringLiteral("demonitor hung in round %1").arg(rounds.load() + 1)));
        QCOMPARE(rounds.load(), kRounds);
    }

    // The script's `spawn(fn -> receive ... end)`: until a message comes the process has
    // nothing to do but wait, so it holds no stack. Signals that come first are applied
    // without starting it: a :normal one is ignored, a kill ends it with :killed and its
    // monitor hears of it.
    void aProcessStartedOnMessageRunsOnlyWhenOneComes()
    {
        Runtime rt(manualClock());
        SpawnOptions lazy = joinable();
        lazy.startOnMessage = true;
        std::atomic<int> runs{ 0 };
        std::atomic<bool> gotHello{ false };
        const Pid p = rt.spawn(
            [&] {
                runs.fetch_add(1);
                gotHello.store(receiveAny()->term == "hello"_a);
            },
            lazy);
        rt.exit(p, "normal"_a);
        QTest::qWait(20);
        QVERIFY(rt.alive(p));
        QCOMPARE(runs.load(), 0);
        QCOMPARE(rt.messageQueueLen(p), std::optional<size_t>(0));
        rt.send(Term(p), "hello"_a);
        QCOMPARE(rt.join(p, 30'000), std::optional<Term>("normal"_a));
        QCOMPARE(runs.load(), 1);
        QVERIFY(gotHello.load());

        // Killed before any message: it ends without its body ever running.
        std::atomic<int> runs2{ 0 };
        const Pid q = rt.spawn([&] { runs2.fetch_add(1); }, lazy);
        Term down;
        QCOMPARE(runProcess(rt,
                     [&] {
                         const Ref ref = proc::monitor(Term(q));
                         proc::runtime().exit(q, "kill"_a);
                         down = receiveAny()->term;
                         QCOMPARE(down, Term::tuple({ "DOWN"_a, Term(ref), "process"_a, Term(q), "killed"_a }));
                     }),
            "normal"_a);
        QVERIFY(down.isTuple(5));
        QCOMPARE(rt.join(q, 30'000), std::optional<Term>("killed"_a));
        QCOMPARE(runs2.load(), 0);

        // A thousand of them, ended by the runtime's shutdown without a stack each.
        std::atomic<int> runs3{ 0 };
        for (int i = 0; i < 1000; ++i)
            (void)rt.spawn([&] { runs3.fetch_add(1); }, lazy);
        QTRY_COMPARE(rt.processCount(), size_t(1000)); // the joined ones finalize a moment after
        rt.shutdown();
        QCOMPARE(runs3.load(), 0);
    }

    void aHibernatingProcessWakesForEachMessageAndCanBeKilled()
    {
        Runtime rt(manualClock());
        std::atomic<int> count{ 0 };
        std::atomic<int> wakeUps{ 0 };
        const Pid p = rt.spawn([&] { countHibernating(&count, 0, &wakeUps); }, joinable());
        QTRY_COMPARE(wakeUps.load(), 1);
        waitBlocked(rt, p);
        // Asleep without a stack it is alive, and a message wakes it where it left off.
        for (int i = 1; i <= 3; ++i) {
            rt.send(Term(p), Term::integer(i));
            QTRY_COMPARE(count.load(), i);
            QTRY_COMPARE(wakeUps.load(), i + 1);
            QVERIFY(rt.alive(p));
        }
        rt.send(Term(p), "stop"_a);
        QCOMPARE(rt.join(p, 5000), std::optional<Term>("normal"_a));

        // A kill reaches it asleep; its monitor hears of it.
        std::atomic<int> count2{ 0 };
        std::atomic<int> wakeUps2{ 0 };
        const Pid q = rt.spawn([&] { countHibernating(&count2, 0, &wakeUps2); });
        QTRY_COMPARE(wakeUps2.load(), 1);
        Term down;
        QCOMPARE(runProcess(rt, [&] {
            const Ref ref = proc::monitor(Term(q));
            proc::runtime().exit(q, "kill"_a);
            down = receiveAny()->term;
            QCOMPARE(down, Term::tuple({ "DOWN"_a, Term(ref), "process"_a, Term(q), "killed"_a }));
        }),
            "normal"_a);
        QVERIFY(down.isTuple(5));
        QCOMPARE(count2.load(), 0);
        QVERIFY(!rt.alive(q));
    }

    void exceptionKillsOnlyThatProcessWithItsMessage()
    {
        Runtime rt(manualClock());
        const Term reason = runProcess(rt, [] { throw std::runtime_error("disk on fire"); });
        QVERIFY(reason.isTuple(2));
        QCOMPARE(*reason[0].mapFind("message"_a), "disk on fire"_s);
        // The runtime goes on.
        QCOMPARE(runProcess(rt, [] {}), "normal"_a);
    }

    void receiveAfterTimesOutOnTheVirtualClock()
    {
        Runtime rt(manualClock());
        std::atomic<int> result{ 0 };
        const Pid p = rt.spawn([&] { result = receiveAny(100).has_value() ? 1 : 2; }, joinable());
        waitTimed(rt, p);
        rt.advance(99);
        waitTimersFired(rt);
        QVERIFY(rt.waitingOnTimer(p)); // 99 virtual ms: still waiting
        QCOMPARE(result.load(), 0);
        rt.advance(1);
        QTRY_COMPARE(result.load(), 2);
        QVERIFY(rt.join(p, 5000).has_value());
    }

    void aTimeoutStillFiresAfterThousandsOfWaitsEndedEarly()
    {
        // Every wait below ends with a message long before its timeout, as a call's does;
        // the runtime forgets those timeouts in bulk, and must keep the one still waited on.
        Runtime rt(manualClock());
        std::atomic<int> late{ 0 };
        const Pid patient = rt.spawn([&] { late = receiveAny(2000).has_value() ? 1 : 2; }, joinable());
        waitTimed(rt, patient);
        const Pid echo = rt.spawn([] {
            for (;;) {
                const Message m = *receiveAny();
                proc::send(m.term, "pong"_a);
            }
        });
        constexpr int kWaits = 5000;
        std::atomic<int> answered{ 0 };
        const Pid asker = rt.spawn([&] {
            for (int i = 0; i < kWaits; ++i) {
                proc::send(Term(echo), Term(proc::self()));
                if (receiveAny(1000).has_value())
                    ++answered;
            }
        },
            joinable());
        QVERIFY(rt.join(asker, 10000).has_value());
        QCOMPARE(answered.load(), kWaits); // no timeout fired early
        rt.advance(1999);
        waitTimersFired(rt);
        QVERIFY(rt.waitingOnTimer(patient));
        QCOMPARE(late.load(), 0);
        rt.advance(1);
        QTRY_COMPARE(late.load(), 2);
        QVERIFY(rt.join(patient, 5000).has_value());
    }

    void sendAfterDeliversAtTheDeadlineAndCancelReportsTimeLeft()
    {
        Runtime rt(manualClock());
        std::atomic<bool> got{ false };
        const Pid p = rt.spawn([&] {
            QCOMPARE(receiveAny()->term, "tick"_a);
            got = true;
            (void)receiveAny(); // alive until the end: its exit would cancel the timers aimed at it
        });
        rt.sendAfter(Term(p), "tick"_a, 500);
        const Ref other = rt.sendAfter(Term(p), "never"_a, 2000);
        rt.advance(499);
        waitTimersFired(rt);
        QVERIFY(!got);
        QCOMPARE(rt.messageQueueLen(p), std::optional<size_t>(0));
        rt.advance(1);
        QTRY_VERIFY(got.load());
        QCOMPARE(rt.cancelTimer(other).value(), int64_t(1500));
        QVERIFY(!rt.cancelTimer(other).has_value()); // already cancelled
        rt.send(Term(p), "stop"_a);
    }

    // In slow motion a huge timer's real deadline lies past what the clock counts (10^11 ms
    // at 0.01x: 10^19 ns). It used to overflow into a deadline in the past: the timer thread
    // found it due, found the virtual clock short of it, and spun, a core at 100% for ever.
    void aHugeTimerInSlowMotionLeavesTheRuntimeIdle()
    {
        RuntimeOptions o = manualClock();
        o.clockMode = Clock::Mode::Real;
        o.speed = 0.01;
        Runtime rt(o);
        const Pid p = rt.spawn([] { (void)receiveAny(); });
        const Ref huge = rt.sendAfter(Term(p), "huge"_a, 100'000'000'000);
        QTest::qWait(100); // the timer thread takes it up
        const auto cpuNow = [] {
            rusage usage{};
            getrusage(RUSAGE_SELF, &usage);
            return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1'000'000LL + usage.ru_utime.tv_usec
                + usage.ru_stime.tv_usec;
        };
        const int64_t before = cpuNow();
        QTest::qWait(1000);
        const int64_t usedUs = cpuNow() - before;
        // Idle, the process sleeps: a spinning thread would use the whole second.
        QVERIFY2(usedUs < 500'000, qPrintable(QStringLiteral("%1 ms of CPU in a second of idling").arg(usedUs / 1000)));
        const auto left = rt.cancelTimer(huge);
        QVERIFY(left.has_value());
        QVERIFY(*left > int64_t(99'000'000'000));
    }

    void hugeTimeoutsNeverFire()
    {
        // Milliseconds past what the clock's nanoseconds can count (2^63 ns: 292 years) used to
        // wrap round into a deadline in the past, firing at once.
        Runtime rt(manualClock());
        std::atomic<int> first{ 0 }; // 1: the 1 ms timer's message came first; 2: anything else did
        std::atomic<bool> nothingElse{ false };
        const Pid p = rt.spawn([&] {
            (void)proc::runtime().sendAfter(Term(proc::self()), "small"_a, 1);
            const auto m = receiveAny(10'000'000'000'000);
            first = m && m->term == "small"_a ? 1 : 2;
            nothingElse = !receiveAny(0).has_value();
        },
            joinable());
        const Ref huge = rt.sendAfter(Term(p), "huge"_a, 10'000'000'000'000);
        const Ref never = rt.sendAfter(Term(p), "never"_a, INT64_MAX);
        QTRY_VERIFY([&] {
            rt.advance(1);
            return first.load() != 0;
        }());
        QCOMPARE(first.load(), 1);
        QVERIFY(rt.join(p, 120'000).has_value());
        QVERIFY(nothingElse.load());
        // The process is gone, and its timers with it.
        QVERIFY(!rt.cancelTimer(huge).has_value());
        QVERIFY(!rt.cancelTimer(never).has_value());
        // A timer aimed at a name is kept; what it has left is counted without overflow.
        const Ref byName = rt.sendAfter("nobody"_a, "huge"_a, INT64_MAX);
        const auto left = rt.cancelTimer(byName);
        QVERIFY(left.has_value());
        QVERIFY(*left > int64_t(9'000'000'000'000));
    }

    void sleepBlocksOnlyTheSleeper()
    {
        Runtime rt(manualClock(1)); // one scheduler thread: the sleeper must free it
        std::atomic<int> echoes{ 0 };
        const Pid echo = rt.spawn([&] {
            for (;;) {
                (void)receiveAny();
                ++echoes;
            }
        });
        std::atomic<bool> woke{ false };
        const Pid sleeper = rt.spawn([&] {
            proc::sleep(1000);
            woke = true;
        });
        waitTimed(rt, sleeper); // asleep, holding no scheduler
        for (int i = 0; i < 5; ++i)
            rt.send(Term(echo), "ping"_a);
        QTRY_COMPARE(echoes.load(), 5);
        QVERIFY(!woke);
        rt.advance(1000);
        QTRY_VERIFY(woke.load());
    }

    void aProcessStartedFromOutsideRunsWhileEverySchedulerIsBusy()
    {
        // Two processes that only yield keep both scheduler threads busy; one started from
        // this thread must still get its turn (it waited forever when yielders always came
        // back before it).
        Runtime rt(manualClock(2));
        std::atomic<bool> stop{ false };
        const auto yielder = [&] {
            while (!stop)
                proc::yieldPoint();
        };
        rt.spawn(yielder);
        rt.spawn(yielder);
        QTest::qWait(20);
        std::atomic<bool> ran{ false };
        rt.spawn([&] { ran = true; });
        QTRY_VERIFY_WITH_TIMEOUT(ran.load(), 5000);
        stop = true;
        QTRY_COMPARE(rt.processCount(), size_t(0));
    }

    void messageQueueLenCountsWaitingMessages()
    {
        Runtime rt(manualClock());
        const Pid p = rt.spawn([&] { (void)proc::receive([](const Term &) { return false; }); }); // keeps all
        for (int i = 0; i < 3; ++i)
            rt.send(Term(p), Term::integer(i));
        QTRY_COMPARE(rt.messageQueueLen(p).value_or(99), size_t(3));
        QTest::qWait(20); // once settled, it stays
        QCOMPARE(rt.messageQueueLen(p).value_or(99), size_t(3));
        rt.exit(p, "kill"_a);
        QTRY_VERIFY(!rt.messageQueueLen(p).has_value());
    }

    void messageQueueLenNeverCountsAMessageTwice()
    {
        // A burst waits in the inbox of a busy process, which then moves it all to its save
        // queue in one go; another thread reading the length meanwhile sees each message once.
        constexpr size_t kBurst = 200'000;
        Runtime rt(manualClock());
        std::atomic<bool> go{ false };
        std::atomic<bool> scanned{ false };
        const Pid p = rt.spawn([&] {
            while (!go)
                std::this_thread::yield(); // busy: nothing leaves its inbox
            // Looks at each message once the whole burst is in the save queue; takes none.
            (void)proc::receive([&](const Term &m) {
                if (m == Term::integer(int64_t(kBurst) - 1))
                    scanned = true;
                return false;
            });
        });
        for (size_t i = 0; i < kBurst; ++i)
            rt.send(Term(p), Term::integer(int64_t(i)));
        QCOMPARE(rt.messageQueueLen(p).value_or(0), kBurst);

        std::atomic<bool> reading{ false };
        std::atomic<bool> settled{ false };
        size_t most = 0;
        std::thread reader([&] {
            while (!settled) {
                most = std::max(most, rt.messageQueueLen(p).value_or(0));
                reading = true;
            }
        });
        QTRY_VERIFY(reading.load());
        go = true;
        QTRY_VERIFY(scanned.load());
        settled = true;
        reader.join();
        QCOMPARE(most, kBurst);
        rt.exit(p, "kill"_a);
    }

    void manyProcessesSpawnAndExit()
    {
        Runtime rt(manualClock());
        int64_t sum = 0;
        runProcess(rt, [&] {
            const Pid parent = proc::self();
            for (int i = 0; i < 10'000; ++i)
                proc::spawn([parent, i] { proc::send(Term(parent), Term::integer(i)); });
            for (int i = 0; i < 10'000; ++i)
                sum += receiveAny()->term.asInteger();
        });
        QCOMPARE(sum, int64_t(10'000) * 9'999 / 2);
        QTRY_COMPARE(rt.processCount(), size_t(0));
    }

    void eventsAreRecordedInOrder()
    {
        Runtime rt(manualClock());
        runProcess(rt, [] {
            const Pid child = proc::spawn([] { (void)receiveAny(); });
            proc::send(Term(child), "hello"_a);
        });
        QTRY_VERIFY(rt.events().end() > 5);
        std::vector<Event> events;
        rt.events().read(1, 1000, events);
        uint64_t expected = 1;
        bool sawSend = false;
        bool sawDequeue = false;
        uint64_t sendSeq = 0;
        for (const auto &e : events) {
            QCOMPARE(e.seq, expected++);
            if (e.type == EventType::Send && e.term == "hello"_a) {
                sawSend = true;
                sendSeq = e.seq;
            }
            if (e.type == EventType::Dequeue && e.ref == sendSeq && sawSend)
                sawDequeue = true;
        }
        QVERIFY(sawSend);
        QTRY_VERIFY(sawDequeue || [&] {
            events.clear();
            rt.events().read(1, 1000, events);
            return std::any_of(events.begin(), events.end(),
                [&](const Event &e) { return e.type == EventType::Dequeue && e.ref == sendSeq; });
        }());
    }

    void eventTimesAgreeWithTheClockWithinABatch()
    {
        // A scheduler stamps events from the CPU's counter and maps the stamps onto the
        // clock when it publishes the batch: each must still land between the clock
        // readings taken just before and just after the event, also when the process ran
        // on for milliseconds without a batch being published.
        RuntimeOptions o;
        o.output = [](Pid, std::string_view) {};
        Runtime rt(o);
        constexpr int kSends = 6;
        std::array<int64_t, kSends> before{};
        std::array<int64_t, kSends> after{};
        runProcess(rt, [&] {
            const Pid sink = proc::spawn([] {
                for (;;)
                    (void)receiveAny();
            });
            for (int i = 0; i < kSends; ++i) {
                before[size_t(i)] = rt.clock().now();
                proc::send(Term(sink), Term::integer(i));
                after[size_t(i)] = rt.clock().now();
                const int64_t until = rt.clock().now() + (i + 1) * 700'000; // busy, no yield
                while (rt.clock().now() < until) {
                }
            }
        });
        std::vector<Event> sends;
        QTRY_VERIFY([&] {
            std::vector<Event> events;
            rt.events().read(1, 10'000, events);
            sends.clear();
            for (const auto &e : events)
                if (e.type == EventType::Send && e.term.isInteger())
                    sends.push_back(e);
            return sends.size() == size_t(kSends);
        }());
        constexpr int64_t kSlackNs = 10'000; // two readings of the counter and the clock
        for (int i = 0; i < kSends; ++i) {
            QVERIFY2(sends[size_t(i)].time >= before[size_t(i)] - kSlackNs
                    && sends[size_t(i)].time <= after[size_t(i)] + kSlackNs,
                qPrintable(QStringLiteral("send %1 stamped %2 ns, read between %3 and %4")
                               .arg(i)
                               .arg(sends[size_t(i)].time)
                               .arg(before[size_t(i)])
                               .arg(after[size_t(i)])));
        }
    }

    void aSharedStampNeverReachesAcrossASwitch()
    {
        // Steps recorded with Stamp::Previous take the time of the process's event just
        // before, saving a clock read. Once the process has switched out, that event may be
        // well past: the step must read the clock then, or the timeline would show it early.
        // One scheduler, so the process comes back to the buffer that holds its last event;
        // and it switches out within the scheduler's publishing interval (1 ms), so that
        // event is still there.
        RuntimeOptions o;
        o.output = [](Pid, std::string_view) {};
        o.schedulers = 1;
        Runtime rt(o);
        const auto mark = [&rt](int64_t n, Stamp stamp) {
            Event e;
            e.type = EventType::Output;
            e.pid = proc::self();
            e.term = Term::integer(n);
            (void)rt.record(std::move(e), stamp);
        };
        const auto busy = [&rt](int64_t ns) { // no event, no switch
            const int64_t until = rt.clock().now() + ns;
            while (rt.clock().now() < until) {
            }
        };
        constexpr int64_t kBusyNs = 400'000;
        runProcess(rt, [&] {
            busy(1'100'000);
            proc::yieldPoint(); // the scheduler publishes its batch as the process switches out
            mark(1, Stamp::Now);
            mark(2, Stamp::Previous); // nothing between: the same moment
            busy(kBusyNs);
            proc::yieldPoint(); // switches out and back in; event 1 stays in the batch
            mark(3, Stamp::Previous);
        });
        std::map<int64_t, int64_t> timeOf;
        QTRY_VERIFY([&] {
            std::vector<Event> events;
            rt.events().read(1, 10'000, events);
            for (const auto &e : events)
                if (e.type == EventType::Output && e.term.isInteger())
                    timeOf[e.term.asInteger()] = e.time;
            return timeOf.size() == 3;
        }());
        QCOMPARE(timeOf[2], timeOf[1]);
        QVERIFY2(timeOf[3] - timeOf[2] >= kBusyNs,
            qPrintable(QStringLiteral("the step after the switch is stamped %1 ns after the one before it, "
                                      "which came %2 ns earlier")
                           .arg(timeOf[3] - timeOf[2])
                           .arg(kBusyNs)));
    }

    void recordingOffKeepsNoEventsAndChangesNothingElse()
    {
        RuntimeOptions o = manualClock();
        o.recordEvents = false;
        Runtime rt(o);
        QVERIFY(!rt.recording());
        Message got;
        QCOMPARE(runProcess(rt,
                     [&] {
                         proc::send(Term(proc::self()), "hello"_a);
                         got = *receiveAny();
                     }),
            "normal"_a);
        QCOMPARE(got.term, "hello"_a);
        QCOMPARE(got.id, uint64_t(0)); // no Send event to name it
        QCOMPARE(rt.events().end(), uint64_t(1));

        rt.setRecording(true);
        QVERIFY(rt.recording());
        runProcess(rt, [&] {
            proc::send(Term(proc::self()), "again"_a);
            got = *receiveAny();
        });
        QVERIFY(got.id != 0);
        std::vector<Event> events;
        QTRY_VERIFY([&] {
            events.clear();
            rt.events().read(1, 1000, events);
            return std::any_of(events.begin(), events.end(),
                [&](const Event &e) { return e.type == EventType::Dequeue && e.ref == got.id; });
        }());
        QCOMPARE(events.front().seq, uint64_t(1)); // seqs stay dense: nothing was numbered while off
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "tst_runtime.moc"
