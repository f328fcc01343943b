// SPDX-License-Identifier: MIT
// GenServer, :sys, Agent and Task as a user of OTP sees them: replies, exits, traces.
#include "genserver.h"
#include "native_servers.h"

#include <QtTest>

#include <algorithm>
#include <mutex>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

/// Collects what processes print, in order.
struct Output {
    std::mutex mutex; // protects lines
    std::vector<std::string> lines;
    std::vector<std::string> snapshot()
    {
        std::lock_guard lock(mutex);
        return lines;
    }
};

RuntimeOptions options(Output *out, Clock::Mode mode = Clock::Mode::Manual)
{
    RuntimeOptions o;
    o.schedulers = 2;
    o.clockMode = mode;
    o.output = [out](Pid, std::string_view text) {
        if (out == nullptr)
            return;
        std::lock_guard lock(out->mutex);
        out->lines.emplace_back(text);
    };
    o.errorReport = [](std::string_view) {};
    return o;
}

/// How many times `pid` has begun to block in `blockedIn` (:sleep, :call), as the record
/// tells. Its events become readable once it switches out, after it set the timer it waits
/// on, so virtual time moved after this count went up reaches that timer (moved before, it
/// would not: the timer would be set from the later time).
size_t blocksBegun(Runtime &rt, Pid pid, const char *blockedIn)
{
    std::vector<Event> events;
    const EventLog &log = rt.events();
    (void)log.read(log.begin(), size_t(log.end() - log.begin()), events);
    return size_t(std::count_if(events.begin(), events.end(), [&](const Event &e) {
        return e.type == EventType::BlockBegin && e.pid == pid && e.term == Term::atom(blockedIn);
    }));
}

/// How many times `pid` has begun a `Process.sleep`.
size_t sleepsBegun(Runtime &rt, Pid pid) { return blocksBegun(rt, pid, "sleep"); }

/// How many events of `type` `pid` has recorded. A HandlerEnd becomes readable once the
/// server switches out after it: parked in its next receive.
size_t eventsOf(Runtime &rt, Pid pid, EventType type)
{
    std::vector<Event> events;
    const EventLog &log = rt.events();
    (void)log.read(log.begin(), size_t(log.end() - log.begin()), events);
    return size_t(std::count_if(
        events.begin(), events.end(), [&](const Event &e) { return e.type == type && e.pid == pid; }));
}

Term runProcess(Runtime &rt, std::function<void()> body)
{
    SpawnOptions o;
    o.joinable = true;
    const Pid pid = rt.spawn(std::move(body), o);
    auto reason = rt.join(pid, 120'000); // a hang guard, not a speed bound
    if (!reason)
        qFatal("process did not finish");
    return *reason;
}

/// Starts a catalog server from the calling process; its pid.
Pid startCatalog(std::string_view module, std::optional<std::string> name = std::nullopt)
{
    const NativeServer *entry = findNativeServer(module);
    gen::StartOptions o;
    if (name)
        o.name = Atom::intern(*name);
    const Term result = gen::start(proc::runtime(), entry->make(), entry->defaultArg, o);
    if (!result.isTuple(2) || !result[0].isAtom("ok"))
        qFatal("start failed");
    return result[1].asPid();
}

Term callMfa(const Term &server, const Term &request, int64_t timeout)
{
    return Term::tuple({ "Elixir.GenServer"_a, "call"_a, Term::list({ server, request, Term::integer(timeout) }) });
}

/// Runs `body` and returns the reason it exited with (it is expected to exit).
Term exitReasonOf(const std::function<void()> &body)
{
    try {
        body();
    } catch (const ProcessExit &e) {
        return e.reason();
    }
    return "did_not_exit"_a;
}

} // namespace

class TestGenServer : public QObject {
    Q_OBJECT

private slots:
    void callRepliesAndCastReturnsAtOnce()
    {
        Runtime rt(options(nullptr));
        std::atomic<bool> castReturned{ false };
        Pid counter;
        Term count;
        SpawnOptions o;
        o.joinable = true;
        const Pid client = rt.spawn(
            [&] {
                counter = startCatalog("Counter");
                gen::cast(proc::runtime(), Term(counter), "increment"_a);
                castReturned = true; // at once, while the increment sleeps its 1000 virtual ms
                count = gen::call(Term(counter), "get_count"_a, std::nullopt);
            },
            o);
        QTRY_VERIFY(castReturned.load());
        QTRY_COMPARE(sleepsBegun(rt, counter), size_t(1));
        QTRY_VERIFY(rt.waitingOnTimer(counter)); // its sleep's deadline set: the step below ends it
        // The call waits behind the sleeping cast: the client blocks in it, nothing answers
        // until the virtual clock moves.
        QTRY_COMPARE(blocksBegun(rt, client, "call"), size_t(1));
        QCOMPARE(rt.messageQueueLen(counter).value_or(99), size_t(1));
        QVERIFY(rt.alive(client));
        rt.advance(1000);
        QVERIFY(rt.join(client, 10'000).has_value());
        QCOMPARE(count, Term::integer(1));
    }

    void castsQueueBehindASlowHandler()
    {
        Output out;
        Runtime rt(options(&out));
        std::atomic<bool> started{ false };
        Pid counter;
        rt.spawn([&] {
            counter = startCatalog("Counter");
            for (int i = 0; i < 3; ++i)
                gen::cast(proc::runtime(), Term(counter), "increment"_a);
            started = true;
        });
        QTRY_VERIFY(started.load());
        QTRY_COMPARE(rt.messageQueueLen(counter).value_or(99), size_t(2)); // one being handled, two waiting
        for (int i = 1; i <= 3; ++i) {
            QTRY_COMPARE(sleepsBegun(rt, counter), size_t(i)); // the i-th increment sleeps
            QTRY_VERIFY(rt.waitingOnTimer(counter)); // its deadline set before the clock moves
            rt.advance(1000);
            QTRY_COMPARE(out.snapshot().size(), size_t(i));
            QCOMPARE(out.snapshot().back(), "count: " + std::to_string(i) + "\n");
        }
        QTRY_COMPARE(rt.messageQueueLen(counter).value_or(99), size_t(0));
    }

    void callTimeoutExitsTheCallerAndTheLateReplyIsDropped()
    {
        Output out;
        Runtime rt(options(&out, Clock::Mode::Real));
        Term reason;
        Term afterwards;
        runProcess(rt, [&] {
            const Pid slow = startCatalog("SlowServer");
            const Term request = Term::tuple({ "sleep"_a, Term::integer(200) });
            reason = exitReasonOf([&] { (void)gen::call(Term(slow), request, 50); });
            QCOMPARE(reason, Term::tuple({ "timeout"_a, callMfa(Term(slow), request, 50) }));
            proc::sleep(300); // the reply arrives now, and must not land in our mailbox
            afterwards = Term::integer(int64_t(proc::runtime().messageQueueLen(proc::self()).value_or(99)));
            QVERIFY(proc::runtime().alive(slow)); // the server keeps running
        });
        QVERIFY(reason.isTuple(2));
        QCOMPARE(afterwards, Term::integer(0));
    }

    void callingAnUnregisteredNameExitsWithNoproc()
    {
        Runtime rt(options(nullptr));
        Term reason;
        runProcess(rt, [&] { reason = exitReasonOf([] { (void)gen::call("nobody"_a, "hi"_a); }); });
        QCOMPARE(reason, Term::tuple({ "noproc"_a, callMfa("nobody"_a, "hi"_a, 5000) }));
    }

    void aServerCallingItselfDiesWithCallingSelf()
    {
        Output out;
        Runtime rt(options(&out));
        Term reason;
        Pid server;
        runProcess(rt, [&] {
            server = startCatalog("MisbehavingGenServer");
            reason = exitReasonOf([&] { (void)gen::call(Term(server), "message"_a); });
        });
        const Term inner = Term::tuple({ "calling_self"_a, callMfa(Term(server), "talking_to_myself"_a, 5000) });
        QCOMPARE(reason, Term::tuple({ inner, callMfa(Term(server), "message"_a, 5000) }));
        QTRY_VERIFY(!rt.alive(server));
        QVERIFY(out.snapshot().empty()); // "Sent a message to myself" never prints
    }

    void serverDyingMidCallExitsTheCallerWithItsReason()
    {
        Runtime rt(options(nullptr, Clock::Mode::Real));
        Term reason;
        Pid slow;
        runProcess(rt, [&] {
            slow = startCatalog("SlowServer");
            const Pid self = proc::self();
            proc::spawn([slow, self] {
                proc::sleep(50);
                proc::runtime().exit(slow, "shutdown_now"_a);
                (void)self;
            });
            reason = exitReasonOf([&] { (void)gen::call(Term(slow), "sleep"_a); });
        });
        QCOMPARE(reason, Term::tuple({ "shutdown_now"_a, callMfa(Term(slow), "sleep"_a, 5000) }));
    }

    void unexpectedInfoIsReportedAndTheServerGoesOn()
    {
        Output out;
        std::vector<std::string> reports;
        std::mutex reportMutex;
        RuntimeOptions o = options(&out);
        o.errorReport = [&](std::string_view text) {
            std::lock_guard lock(reportMutex);
            reports.emplace_back(text);
        };
        Runtime rt(o);
        Pid receiver;
        runProcess(rt, [&] {
            receiver = startCatalog("Receiver");
            proc::send(Term(receiver), "surprise"_a);
            proc::send(Term(receiver), "message"_a);
            (void)sys::getState(Term(receiver)); // both handled before this answers
        });
        QCOMPARE(out.snapshot(), std::vector<std::string>{ "Received a message!\n" });
        QVERIFY(rt.alive(receiver));
        std::lock_guard lock(reportMutex);
        QCOMPARE(reports.size(), size_t(1));
        QVERIFY(reports[0].find("received unexpected message in handle_info/2: :surprise") != std::string::npos);
    }

    void sysGetAndReplaceStateAndSuspend()
    {
        Runtime rt(options(nullptr));
        Term before;
        Term whileSuspended;
        Term after;
        runProcess(rt, [&] {
            const Pid journal = startCatalog("Journal");
            gen::cast(proc::runtime(), Term(journal), Term::tuple({ "add_entry"_a, "first entry"_s }));
            before = sys::getState(Term(journal));
            sys::suspend(Term(journal));
            gen::cast(proc::runtime(), Term(journal), Term::tuple({ "add_entry"_a, "second"_s }));
            whileSuspended = sys::getState(Term(journal)); // :sys requests are answered while suspended
            sys::resume(Term(journal));
            after = sys::getState(Term(journal));
        });
        QCOMPARE(before, Term::list({ "first entry"_s }));
        QCOMPARE(whileSuspended, Term::list({ "first entry"_s }));
        QCOMPARE(after, Term::list({ "second"_s, "first entry"_s }));
    }

    void traceWritesDbgLinesLikeOtp()
    {
        Output out;
        Runtime rt(options(&out));
        Pid caller;
        runProcess(rt, [&] {
            caller = proc::self();
            const Pid journal = startCatalog("Journal", "journal");
            sys::trace(Term(journal), true);
            gen::cast(proc::runtime(), "journal"_a, Term::tuple({ "add_entry"_a, "first entry"_s }));
            (void)sys::getState("journal"_a); // the cast's lines are out before we go on
            const Pid pledges = startCatalog("PledgeServer", "pledge_server");
            sys::trace(Term(pledges), true);
            (void)gen::call("pledge_server"_a, Term::tuple({ "create_pledge"_a, "moe"_s, Term::integer(20) }));
            const Pid receiver = startCatalog("Receiver", "receiver");
            sys::trace(Term(receiver), true);
            proc::send("receiver"_a, "message"_a);
            (void)sys::getState("receiver"_a);
        });
        const std::string pid = Term(caller).toErlang();
        const std::vector<std::string> expected = {
            "*DBG* journal got cast {add_entry,<<\"first entry\">>}\n",
            "*DBG* journal new state [<<\"first entry\">>]\n",
            "*DBG* pledge_server got call {create_pledge,<<\"moe\">>,20} from " + pid + "\n",
            // Recorded from OTP 25: :io.format("*DBG* ~tp sent ~tp to ~tp, new state ~tp~n", ...)
            // with the same pid width; a long state wraps at 80 columns.
            "*DBG* pledge_server sent ok to " + pid
                + ", new state #{'__struct__' =>\n"
                  "                                                         'Elixir.PledgeServer.State',\n"
                  "                                                     cache_size => 3,\n"
                  "                                                     pledges =>\n"
                  "                                                         [{<<\"moe\">>,20}]}\n",
            "*DBG* receiver got message\n",
            "Received a message!\n",
            "*DBG* receiver new state []\n",
        };
        const auto lines = out.snapshot();
        QCOMPARE(lines.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(QString::fromStdString(lines[i]), QString::fromStdString(expected[i]));
    }

    void startingANameTwiceIsAlreadyStarted()
    {
        Runtime rt(options(nullptr));
        Term second;
        Pid first;
        runProcess(rt, [&] {
            first = startCatalog("Journal", "journal");
            const NativeServer *entry = findNativeServer("Journal");
            gen::StartOptions o;
            o.name = Atom::intern("journal");
            second = gen::start(proc::runtime(), entry->make(), Term(), o);
        });
        QCOMPARE(second, Term::tuple({ "error"_a, Term::tuple({ "already_started"_a, Term(first) }) }));
        // As OTP's gen:start, no process was spawned for the second (the BEAM, tst_beam's
        // scenario 43, spawns none): the record has the test's process and the first server.
        std::vector<Event> record;
        rt.events().read(1, 100'000, record);
        size_t spawns = 0;
        for (const Event &e : record)
            spawns += e.type == EventType::Spawn ? 1 : 0;
        QCOMPARE(spawns, size_t(2));
    }

    void stopRunsTerminateAndEndsTheServer()
    {
        Runtime rt(options(nullptr));
        Pid journal;
        Term reason;
        runProcess(rt, [&] {
            journal = startCatalog("Journal");
            const Ref ref = proc::monitor(Term(journal));
            gen::stop(Term(journal));
            reason = proc::receive([&](const Term &m) { return m.isTuple(5) && m[1] == Term(ref); })->term[4];
        });
        QCOMPARE(reason, "normal"_a);
        QVERIFY(!rt.alive(journal));
    }

    void pledgeServerKeepsTheMostRecentPledges()
    {
        Runtime rt(options(nullptr));
        Term recent;
        Term total;
        Term state;
        runProcess(rt, [&] {
            const NativeServer *entry = findNativeServer("PledgeServer");
            const auto fn = [&](std::string_view name) {
                for (const auto &f : entry->clientFunctions)
                    if (f.name == name)
                        return f.call;
                qFatal("missing client function");
            };
            (void)fn("start")({});
            for (const auto &[who, amount] : std::vector<std::pair<const char *, int>>{ { "larry", 10 }, { "moe", 20 }, { "curly", 30 }, { "daisy", 40 } })
                (void)fn("create_pledge")({ Term::binary(who), Term::integer(amount) });
            recent = fn("recent_pledges")({});
            total = fn("total_pledged")({});
            (void)fn("set_cache_size")({ Term::integer(1) });
            state = sys::getState("pledge_server"_a);
        });
        QCOMPARE(recent, Term::list({ Term::tuple({ "daisy"_s, Term::integer(40) }), Term::tuple({ "curly"_s, Term::integer(30) }), Term::tuple({ "moe"_s, Term::integer(20) }) }));
        QCOMPARE(total, Term::integer(90));
        QCOMPARE(*state.mapFind("pledges"_a), Term::list({ Term::tuple({ "daisy"_s, Term::integer(40) }) }));
        QCOMPARE(*state.structModule(), "Elixir.PledgeServer.State"_a);
    }

    void pauseWorldHoldsMessagesAndStepHandlesExactlyOne()
    {
        Runtime rt(options(nullptr, Clock::Mode::Real));
        Pid journal;
        runProcess(rt, [&] { journal = startCatalog("Journal"); });
        rt.setPaused(true);
        for (int i = 1; i <= 3; ++i)
            gen::cast(rt, Term(journal), Term::tuple({ "add_entry"_a, Term::integer(i) }));
        QTRY_COMPARE(rt.messageQueueLen(journal).value_or(99), size_t(3));
        QVERIFY(rt.step(journal));
        // Its HandlerEnd is readable once it is parked at the pause in its next receive:
        // from then on nothing more can be handled until the next step.
        QTRY_COMPARE(eventsOf(rt, journal, EventType::HandlerEnd), size_t(1));
        QCOMPARE(eventsOf(rt, journal, EventType::HandlerBegin), size_t(1)); // nothing before the step
        QCOMPARE(rt.messageQueueLen(journal).value_or(99), size_t(2)); // exactly one
        QVERIFY(rt.step(journal));
        QTRY_COMPARE(rt.messageQueueLen(journal).value_or(99), size_t(1));
        rt.setPaused(false);
        QTRY_COMPARE(rt.messageQueueLen(journal).value_or(99), size_t(0));
        Term state;
        runProcess(rt, [&] { state = sys::getState(Term(journal)); });
        QCOMPARE(state, Term::list({ Term::integer(3), Term::integer(2), Term::integer(1) }));
    }

    void pauseWorldFreezesTimers()
    {
        Runtime rt(options(nullptr, Clock::Mode::Real));
        std::atomic<bool> fired{ false };
        const Pid p = rt.spawn([&] {
            (void)proc::receive([](const Term &) { return true; });
            fired = true;
        });
        const Pid probe = rt.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        rt.setPaused(true);
        rt.sendAfter(Term(p), "tick"_a, 30);
        // Paused, the virtual clock stands still: no real instant brings the timer due.
        const int64_t frozen = rt.clock().now();
        QCOMPARE(rt.clock().realDeadline(frozen + 1), Clock::RealTime::max());
        // The timer thread still takes its turns: a 0 ms timer set now reaches the probe's
        // mailbox (messages arrive while paused), and timers fire in deadline order.
        (void)rt.sendAfter(Term(probe), "probe"_a, 0);
        QTRY_COMPARE(rt.messageQueueLen(probe), std::optional<size_t>(1));
        QCOMPARE(rt.messageQueueLen(p), std::optional<size_t>(0));
        QVERIFY(!fired.load());
        QCOMPARE(rt.clock().now(), frozen); // virtual time stood still
        rt.setPaused(false);
        QTRY_VERIFY(fired.load());
    }

    void tickingCountersFollowTheVirtualClock()
    {
        Runtime rt(options(nullptr));
        Pid up;
        Pid down;
        runProcess(rt, [&] {
            up = startCatalog("IncrementingCounter");
            down = startCatalog("DecrementingCounter");
        });
        const auto stateOf = [&](Pid pid) {
            Term state;
            runProcess(rt, [&] { state = sys::getState(Term(pid)); });
            return state;
        };
        for (int i = 1; i <= 6; ++i) {
            rt.advance(500);
            QTRY_COMPARE(stateOf(down), Term::integer(-i)); // one tick per 500 ms
        }
        QTRY_COMPARE(stateOf(up), Term::integer(3)); // one tick per 1000 ms
    }
};

QTEST_GUILESS_MAIN(TestGenServer)
#include "tst_genserver.moc"
