// SPDX-License-Identifier: MIT
// Calls that go wrong: one times out and its reply arrives late (dropped, never in the
// caller's mailbox); a server calls itself; two servers call each other (the timeout
// resolves the deadlock instead of hanging both).
#include "fixture.h"
#include "native_servers.h"

using namespace reliability;
using namespace mailroom::literals;

namespace {

/// Answers :ping, and {:ask, peer} by calling the peer with {:ask, self()} within its timeout.
class Relay final : public GenServer {
public:
    explicit Relay(int64_t timeoutMs)
        : m_timeoutMs(timeoutMs)
    {
    }
    [[nodiscard]] std::string module() const override { return "Relay"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term()); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        if (request.isTuple(2) && request[0].isAtom("ask"))
            return gen::reply(
                gen::call(request[1], Term::tuple({ "ask"_a, Term(proc::self()) }), m_timeoutMs), state);
        return gen::reply("pong"_a, state);
    }

private:
    int64_t m_timeoutMs;
};

} // namespace

class TestFaultsCalls : public QObject {
    Q_OBJECT

private slots:
    void aCallTimesOutAndItsLateReplyIsDropped_data()
    {
        QTest::addColumn<bool>("receiving");
        QTest::addRow("caller waiting in receive") << true;
        QTest::addRow("caller sleeping") << false;
    }

    void aCallTimesOutAndItsLateReplyIsDropped()
    {
        QFETCH(bool, receiving);
        Captured captured;
        Runtime rt(options(captured));
        const Pid slow = startServer(rt, findNativeServer("SlowServer")->make());
        const Term request = Term::tuple({ "sleep"_a, 1000_i });
        Term reason;
        std::optional<Message> stray;
        std::atomic<bool> timedOut{ false };
        const Pid caller = spawnJoinable(rt, [&] {
            reason = exitReasonOf([&] { (void)gen::call(Term(slow), request, 100); });
            timedOut = true;
            if (receiving) {
                // Whatever reaches the mailbox before :done would be the late reply.
                const auto m = proc::receive([](const Term &) { return true; });
                if (!m->term.isAtom("done"))
                    stray = m;
            } else {
                proc::sleep(5000);
                stray = proc::receive([](const Term &) { return true; }, 0);
            }
        });
        // The caller waiting on its call's timeout, the server asleep: a clock step before
        // either wait began would set its deadline from the later time.
        QVERIFY(waitTimed(rt, caller));
        QVERIFY(waitTimed(rt, slow));
        rt.advance(100);
        QTRY_VERIFY(timedOut.load());
        QCOMPARE(reason, Term::tuple({ "timeout"_a, callMfa(Term(slow), request, 100_i) }));
        if (!receiving)
            QVERIFY(waitTimed(rt, caller)); // asleep, so the next clock step cannot race its sleep

        rt.advance(900); // the server wakes and replies to a caller that gave up
        QTRY_COMPARE(captured.printed().size(), size_t(2)); // "Starting sleep", "Ending sleep"
        // The record shows the reply sent, then dropped as a late reply.
        const auto replyDiscarded = [&] {
            const std::vector<Event> events = keptEvents(rt);
            const auto reply = std::find_if(events.begin(), events.end(), [&](const Event &e) {
                return e.type == EventType::Send && e.kind == MessageKind::Reply && e.pid == slow
                    && e.other == caller;
            });
            return reply != events.end() && std::any_of(events.begin(), events.end(), [&](const Event &e) {
                return e.type == EventType::Dequeue && e.ref == reply->seq && (e.flags & EventDiscarded) != 0;
            });
        };
        QTRY_VERIFY(replyDiscarded());
        QCOMPARE(rt.messageQueueLen(caller), std::optional<size_t>(0)); // never counted in its mailbox
        if (receiving)
            rt.send(Term(caller), "done"_a);
        else
            rt.advance(5000);
        QCOMPARE(joinOrDie(rt, caller), "normal"_a);
        QVERIFY2(!stray.has_value(), stray ? stray->term.inspect().c_str() : "");
        QVERIFY(rt.alive(slow)); // the server goes on
    }

    void aServerCallingItselfDies()
    {
        Captured captured;
        Session session(options(captured, Clock::Mode::Real));
        const auto started = evaluate(session, "{:ok, pid} = GenServer.start(MisbehavingGenServer, [])");
        QVERIFY(started && started->ok);
        const auto failed = evaluate(session, "GenServer.call(pid, :message)");
        QVERIFY(failed && !failed->ok);
        // As `elixir` prints it (tests/conformance/scenarios/48_misbehaving_unlinked_uncaught).
        const std::string pid = started->value[1].inspect();
        QCOMPARE(QString::fromStdString(failed->text),
            QString::fromStdString("** (exit) exited in: GenServer.call(" + pid
                + ", :message, 5000)\n"
                  "    ** (EXIT) exited in: GenServer.call("
                + pid
                + ", :talking_to_myself, 5000)\n"
                  "        ** (EXIT) process attempted to call itself"));
        const auto alive = evaluate(session, "Process.alive?(pid)");
        QVERIFY(alive && alive->ok);
        QCOMPARE(QString::fromStdString(alive->text), QStringLiteral("false"));
        QVERIFY(captured.printed().empty()); // neither "Received a message!" nor "Sent a message to myself"
    }

    void twoServersCallingEachOtherAreFreedByTheTimeout()
    {
        Captured captured;
        Runtime rt(options(captured));
        const Pid a = startServer(rt, std::make_shared<Relay>(1000));
        const Pid b = startServer(rt, std::make_shared<Relay>(2000));
        const Term request = Term::tuple({ "ask"_a, Term(b) });
        // The client waits forever: only the servers' own timeouts can end this.
        const Pid client = spawnJoinable(rt, [&] { (void)gen::call(Term(a), request, std::nullopt); });
        QVERIFY(waitBlocked(rt, client));
        // Both servers parked in their calls to each other, each call's timeout armed at the
        // same virtual instant: nothing can move until the clock does.
        QVERIFY(waitTimed(rt, a));
        QVERIFY(waitTimed(rt, b));
        QVERIFY(rt.alive(client)); // deadlocked until the virtual clock reaches a's timeout
        rt.advance(1000);
        // a gives up on b and dies of the timeout; b, waiting on a, dies of a's exit; the client
        // gets a's reason.
        const Term aReason
            = Term::tuple({ "timeout"_a, callMfa(Term(b), Term::tuple({ "ask"_a, Term(a) }), 1000_i) });
        QCOMPARE(joinOrDie(rt, client), Term::tuple({ aReason, callMfa(Term(a), request, "infinity"_a) }));
        QTRY_VERIFY(!rt.alive(a));
        QTRY_VERIFY(!rt.alive(b));
        QTRY_COMPARE(rt.processCount(), size_t(0));
        QVERIFY(captured.reportHas("terminating"));
    }
};

QTEST_GUILESS_MAIN(TestFaultsCalls)
#include "tst_faults_calls.moc"
