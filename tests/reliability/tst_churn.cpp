// SPDX-License-Identifier: MIT
// Churn: ten thousand processes spawned and stopped, ten thousand timers set and cancelled,
// fifty thousand idle servers.
// Nothing is left behind: the process count returns to zero, every cancel reports the time
// that was left, and no cancelled timer fires.
#include "fixture.h"
#include "native_servers.h"

#include <array>
#include <map>
#include <set>

using namespace reliability;
using namespace mailroom::literals;

namespace {

// Under ThreadSanitizer every live fiber costs over a megabyte of trace memory and mappings of
// its own, so ten thousand at once exhaust the address space: there a thousand are alive at
// once; every other build runs the full ten thousand.
#ifdef MAILROOM_TSAN
constexpr int kCount = 1'000;
#else
constexpr int kCount = 10'000;
#endif
/// Timers need no fibers: ten thousand everywhere.
constexpr int kTimers = 10'000;
/// Idle servers hold no stack: more of them than the kernel's default vm.max_map_count
/// (65 530, two mappings per stack: its own and its guard page) would allow with one each.
#ifdef MAILROOM_TSAN
constexpr int kIdle = 1'000;
#else
constexpr int kIdle = 50'000;
#endif

/// Answers :ping with the number it was started with.
class Numbered final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Numbered"; }
    Term init(const Term &arg) override { return gen::ok(arg); }
    Term handleCall(const Term & /*request*/, const Term & /*from*/, const Term &state) override
    {
        return gen::reply(state, state);
    }
};

/// The process's memory mappings: one per stack and one per guard page while a process
/// holds a stack.
size_t mappings()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        qFatal("cannot read /proc/self/maps");
    return size_t(maps.readAll().count('\n'));
}

/// Counts casts; answers a call with the count.
class Tally final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Tally"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCall(const Term & /*request*/, const Term & /*from*/, const Term &state) override
    {
        return gen::reply(state, state);
    }
    Term handleCast(const Term & /*request*/, const Term &state) override
    {
        return gen::noreply(Term::integer(state.asInteger() + 1));
    }
};

} // namespace

class TestChurn : public QObject {
    Q_OBJECT

private slots:
    void tenThousandProcessesSpawnedAndStopped()
    {
        Captured captured;
        Runtime rt(options(captured));
        QCOMPARE(rt.processCount(), size_t(0));
        std::vector<Pid> pids;
        pids.reserve(kCount);
        for (int i = 0; i < kCount; ++i)
            pids.push_back(
                rt.spawn([] { (void)proc::receive([](const Term &m) { return m.isAtom("stop"); }); }));
        QCOMPARE(rt.processCount(), size_t(kCount));
        // Half are asked to stop, half are killed.
        for (int i = 0; i < kCount; ++i) {
            if (i % 2 == 0)
                rt.send(Term(pids[size_t(i)]), "stop"_a);
            else
                rt.exit(pids[size_t(i)], "kill"_a);
        }
        QTRY_COMPARE_WITH_TIMEOUT(rt.processCount(), size_t(0), 60'000);
        for (const Pid pid : pids)
            QVERIFY(!rt.alive(pid));
        QVERIFY(captured.reported().empty());
    }

    void processesLookedUpAsTheyExitAreNeverTouchedOnceFreed()
    {
        // Processes exit one after another while processes on both schedulers send to them,
        // link, monitor and demonitor them, and this thread asks after them: every lookup
        // races a process being freed. (AddressSanitizer, in CI, reports any touch of a freed
        // one; elsewhere a crash or a wrong answer would.)
        Captured captured;
        Runtime rt(options(captured));
        std::atomic<uint32_t> latest{ 0 };
        std::atomic<bool> done{ false };
        std::atomic<int> pokes{ 0 };
        const auto poke = [&] {
            proc::setTrapExit(true); // a linked process's exit arrives as a message
            while (!done) {
                const Pid target{ latest.load() };
                proc::send(Term(target), "hello"_a);
                const Ref ref = proc::monitor(Term(target));
                proc::link(target);
                proc::unlink(target);
                proc::demonitor(ref, true);
                while (proc::receive([](const Term &) { return true; }, 0)) {
                }
                ++pokes;
                proc::yieldPoint(); // nothing preempts a process: the spawner needs a turn
            }
        };
        const Pid poker1 = spawnJoinable(rt, poke);
        const Pid poker2 = spawnJoinable(rt, poke);
        const Pid spawner = spawnJoinable(rt, [&] {
            for (int i = 0; i < kCount * 2; ++i) {
                latest = proc::spawn([] { (void)proc::receive([](const Term &) { return true; }, 0); }).number;
                if (i % 64 == 0)
                    proc::yieldPoint();
            }
        });
        int asked = 0;
        while (rt.alive(spawner)) {
            const Pid target{ latest.load() };
            (void)rt.alive(target);
            (void)rt.messageQueueLen(target);
            ++asked;
        }
        QVERIFY(rt.join(spawner, 60'000).has_value());
        done = true;
        QVERIFY(rt.join(poker1, 60'000).has_value());
        QVERIFY(rt.join(poker2, 60'000).has_value());
        QVERIFY(pokes.load() > 0);
        QVERIFY(asked > 0);
        QTRY_COMPARE_WITH_TIMEOUT(rt.processCount(), size_t(0), 60'000);
        QVERIFY(captured.reported().empty());
    }

    void tenThousandServersStartedAndStopped()
    {
        Captured captured;
        Runtime rt(options(captured));
        std::vector<Pid> servers;
        const Term reason = runProcess(rt, [&] {
            for (int i = 0; i < kCount; ++i)
                servers.push_back(
                    gen::start(proc::runtime(), findNativeServer("Journal")->make(), Term())[1].asPid());
            QCOMPARE(proc::runtime().processCount(), size_t(kCount + 1));
            for (const Pid server : servers)
                gen::stop(Term(server)); // runs terminate and waits for the exit
        });
        QCOMPARE(reason, "normal"_a);
        QCOMPARE(servers.size(), size_t(kCount));
        QTRY_COMPARE_WITH_TIMEOUT(rt.processCount(), size_t(0), 60'000);
        QVERIFY(captured.reported().empty());
    }

    void fiftyThousandIdleServersHoldNoStacks()
    {
        Captured captured;
        RuntimeOptions o = options(captured);
        o.recordEvents = false; // only the servers' own memory is of interest here
        Runtime rt(o);
        const size_t before = mappings();
        std::vector<Pid> servers;
        servers.reserve(kIdle);
        QCOMPARE(runProcess(rt, [&] {
            for (int i = 0; i < kIdle; ++i)
                servers.push_back(gen::start(proc::runtime(), std::make_shared<Numbered>(), Term::integer(i))[1].asPid());
        }),
            "normal"_a);
        QTRY_COMPARE(rt.processCount(), size_t(kIdle));
        // Waiting for a message costs a server no stack, so no mapping either.
        const size_t idle = mappings();
        QVERIFY2(idle < before + 1'000, qPrintable(QStringLiteral("%1 mappings before, %2 with the servers idle").arg(before).arg(idle)));
        // Each wakes on its own state when asked, in any order, and goes back to sleep.
        QCOMPARE(runProcess(rt, [&] {
            for (int i = kIdle - 1; i >= 0; i -= 7)
                QCOMPARE(gen::call(Term(servers[size_t(i)]), "ping"_a), Term::integer(i));
        }),
            "normal"_a);
        QVERIFY(mappings() < before + 1'000);
        QTRY_COMPARE(rt.processCount(), size_t(kIdle));
        QVERIFY(captured.reported().empty());
    }

    void tenThousandTimersSetAndCancelled_data()
    {
        QTest::addColumn<int>("elapsed");
        QTest::addRow("cancelled at once") << 0;
        QTest::addRow("cancelled halfway") << kTimers / 2;
    }

    void tenThousandTimersSetAndCancelled()
    {
        QFETCH(int, elapsed);
        Captured captured;
        Runtime rt(options(captured));
        std::vector<int64_t> got;
        const Pid receiver = spawnJoinable(rt, [&] {
            (void)proc::receive([](const Term &m) { return m.isAtom("dump"); });
            while (auto m = proc::receive([](const Term &) { return true; }, 0))
                got.push_back(m->term.asInteger());
        });
        std::vector<Ref> timers;
        timers.reserve(kTimers);
        for (int i = 0; i < kTimers; ++i)
            timers.push_back(rt.sendAfter(Term(receiver), Term::integer(i), i + 1)); // due at 1..10000 ms

        // Time passes: the timers due by then fire, in order of their deadlines.
        if (elapsed > 0)
            rt.advance(elapsed);
        QVERIFY(waitForQueue(rt, receiver, size_t(elapsed)));

        // Cancelling: the fired ones are gone; each pending one reports the ms it had left.
        int wrong = 0;
        for (int i = 0; i < kTimers; ++i) {
            const std::optional<int64_t> left = rt.cancelTimer(timers[size_t(i)]);
            const std::optional<int64_t> expected
                = i < elapsed ? std::nullopt : std::optional<int64_t>(i + 1 - elapsed);
            if (left != expected && ++wrong < 5)
                qWarning("timer %d: cancel gave %lld", i, left ? static_cast<long long>(*left) : -1LL);
        }
        QCOMPARE(wrong, 0);
        // A second cancel finds nothing.
        QCOMPARE(rt.cancelTimer(timers.back()), std::optional<int64_t>());

        // No cancelled timer fires, however far the clock moves.
        rt.advance(10 * kTimers);
        QTest::qWait(50);
        QCOMPARE(rt.messageQueueLen(receiver), std::optional<size_t>(size_t(elapsed)));
        rt.send(Term(receiver), "dump"_a);
        QCOMPARE(joinOrDie(rt, receiver), "normal"_a);
        QCOMPARE(got.size(), size_t(elapsed));
        for (size_t i = 0; i < got.size(); ++i)
            QCOMPARE(got[i], int64_t(i)); // fired in deadline order
        QTRY_COMPARE(rt.processCount(), size_t(0));
    }

    /// In real time a timer is fired by whichever comes first: the timer thread, a scheduler
    /// between two processes, or an idle scheduler spinning for its deadline. However busy the
    /// schedulers are, each fires once, never before its deadline, and in deadline order.
    void realTimeTimersFireOnceInOrderWhileSchedulersAreBusy()
    {
        constexpr int kReceivers = 4;
        constexpr int kEach = 250; // each receiver's due 1..250 ms after they are set
        Captured captured;
        Runtime rt(options(captured, Clock::Mode::Real));
        std::atomic<bool> stop{ false };
        // Keeps one scheduler busy for stretches of 2 ms and idle between them.
        const Pid busy = spawnJoinable(rt, [&] {
            while (!stop.load()) {
                const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
                while (std::chrono::steady_clock::now() < until)
                    proc::yieldPoint();
                proc::sleep(1);
            }
        });
        std::vector<Pid> receivers;
        std::vector<std::vector<int64_t>> got(kReceivers);
        std::atomic<int> early{ 0 };
        for (int r = 0; r < kReceivers; ++r)
            receivers.push_back(spawnJoinable(rt, [&, r] {
                for (int i = 0; i < kEach; ++i) {
                    const auto m = proc::receive([](const Term &) { return true; });
                    const int64_t deadline = m->term.asInteger();
                    if (rt.clock().now() < deadline)
                        ++early;
                    got[size_t(r)].push_back(deadline);
                }
            }));
        std::set<uint64_t> set;
        for (int i = 0; i < kEach; ++i)
            for (int r = 0; r < kReceivers; ++r) {
                const int64_t ms = 1 + i;
                const int64_t deadline = rt.clock().now() + ms * 1'000'000;
                set.insert(rt.sendAfter(Term(receivers[size_t(r)]), Term::integer(deadline), ms).value);
            }
        for (const Pid r : receivers)
            QCOMPARE(joinOrDie(rt, r), "normal"_a);
        stop = true;
        QCOMPARE(joinOrDie(rt, busy), "normal"_a);

        QCOMPARE(early.load(), 0);
        for (const auto &deadlines : got) {
            QCOMPARE(deadlines.size(), size_t(kEach));
            QVERIFY(std::is_sorted(deadlines.begin(), deadlines.end()));
        }
        // Nothing more comes, and the record holds one TimerFire per timer.
        QTest::qWait(20);
        std::set<uint64_t> fired;
        int fires = 0;
        for (const Event &e : keptEvents(rt))
            if (e.type == EventType::TimerFire && set.contains(e.ref)) {
                fired.insert(e.ref);
                ++fires;
            }
        QCOMPARE(fires, kReceivers * kEach);
        QCOMPARE(fired, set);
    }

    /// A scheduler numbers a server's own steps (Dequeue, HandlerBegin/End, BlockBegin/End)
    /// only when it next needs a number or the process switches out. However processes move
    /// between the two schedulers, the record stays dense and causal: every message is
    /// taken after it was sent, handled after it was taken, and each process's steps come
    /// in the order it took them.
    void theRecordStaysCausalWhileProcessesMoveBetweenSchedulers()
    {
        constexpr int kClients = 8;
        constexpr int kRounds = 1'500;
        Captured captured;
        Runtime rt(options(captured, Clock::Mode::Real));
        const std::array<Term, 2> servers{ Term(startServer(rt, std::make_shared<Tally>())),
            Term(startServer(rt, std::make_shared<Tally>())) };
        std::vector<Pid> clients;
        for (int c = 0; c < kClients; ++c)
            clients.push_back(spawnJoinable(rt, [&servers, c] {
                for (int i = 0; i < kRounds; ++i) {
                    (void)gen::call(servers[size_t((c + i) % 2)], "get"_a);
                    gen::cast(proc::runtime(), servers[size_t((c + i + 1) % 2)], "inc"_a);
                    if (i % 7 == 0)
                        proc::yieldPoint(); // back into a queue the other scheduler may steal from
                }
            }));
        for (const Pid c : clients)
            QCOMPARE(joinOrDie(rt, c), "normal"_a);
        QVERIFY(waitRecordSettled(rt));

        const std::vector<Event> events = keptEvents(rt);
        QCOMPARE(rt.events().dropped(), uint64_t(0));
        QVERIFY(!events.empty());
        for (size_t i = 0; i < events.size(); ++i)
            QCOMPARE(events[i].seq, uint64_t(i + 1));
        const auto at = [&](uint64_t seq) -> const Event & { return events[size_t(seq - 1)]; };

        struct Steps {
            uint64_t dequeued = 0; // the last message taken
            bool handling = false;
            bool blocked = false;
        };
        std::map<Pid, Steps> steps;
        int handled = 0;
        for (const Event &e : events) {
            Steps &p = steps[e.pid];
            const QString where = QStringLiteral("event %1 (%2 of %3)")
                                      .arg(e.seq)
                                      .arg(QString::fromStdString(std::string(toString(e.type))))
                                      .arg(QString::fromStdString(Term(e.pid).inspect()));
            switch (e.type) {
            case EventType::Dequeue:
                if ((e.flags & EventDiscarded) != 0)
                    break;
                QVERIFY2(e.ref != 0 && e.ref < e.seq, qPrintable(where + " takes a message not sent before it"));
                QVERIFY2(at(e.ref).type == EventType::Send && at(e.ref).other == e.pid,
                    qPrintable(where + " takes something that is not a Send to it"));
                p.dequeued = e.ref;
                break;
            case EventType::HandlerBegin:
                QVERIFY2(p.dequeued == e.ref, qPrintable(where + " handles a message it has not taken"));
                QVERIFY2(!p.handling, qPrintable(where + " begins inside another handler"));
                p.handling = true;
                break;
            case EventType::HandlerEnd:
                QVERIFY2(p.handling, qPrintable(where + " ends a handler that did not begin"));
                p.handling = false;
                ++handled;
                break;
            case EventType::BlockBegin:
                QVERIFY2(!p.blocked, qPrintable(where + " blocks twice"));
                p.blocked = true;
                break;
            case EventType::BlockEnd:
                QVERIFY2(p.blocked, qPrintable(where + " unblocks without having blocked"));
                p.blocked = false;
                break;
            default:
                break;
            }
        }
        QCOMPARE(handled, 2 * kClients * kRounds);
    }
};

QTEST_GUILESS_MAIN(TestChurn)
#include "tst_churn.moc"
