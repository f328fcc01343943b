// SPDX-License-Identifier: MIT
// A handler that throws: the server dies with the exception's message as its reason, its
// caller sees that reason, a crash report names it, and the runtime goes on.
#include "fixture.h"

using namespace reliability;
using namespace mailroom::literals;

namespace {

/// A server whose handlers throw on :boom and answer :ping.
class Fragile final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "Fragile"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCall(const Term &request, const Term & /*from*/, const Term &state) override
    {
        if (request.isAtom("boom"))
            throw std::runtime_error("disk on fire");
        return gen::reply("pong"_a, state);
    }
    Term handleCast(const Term &request, const Term &state) override
    {
        if (request.isAtom("boom"))
            throw std::runtime_error("cast on fire");
        return gen::noreply(state);
    }
    Term handleInfo(const Term &message, const Term &state) override
    {
        if (message.isAtom("boom"))
            throw std::out_of_range("info on fire");
        return gen::noreply(state);
    }
};

/// {%RuntimeError{message: text}, []}: what a C++ exception escaping a callback becomes.
Term crashed(std::string_view message)
{
    return reasons::fromException(message);
}

} // namespace

class TestFaultsHandlers : public QObject {
    Q_OBJECT

private slots:
    void callHandlerThrows()
    {
        Captured captured;
        Runtime rt(options(captured));
        const Pid fragile = startServer(rt, std::make_shared<Fragile>());
        const Pid bystander = startServer(rt, std::make_shared<Fragile>());
        Term callerReason;
        Term serverReason;
        Term afterwards;
        runProcess(rt, [&] {
            const Ref ref = proc::monitor(Term(fragile));
            callerReason = exitReasonOf([&] { (void)gen::call(Term(fragile), "boom"_a); });
            const auto down
                = proc::receive([&](const Term &m) { return m.isTuple(5) && m[1] == Term(ref); }, 0);
            serverReason = down ? down->term[4] : "no_down"_a;
            afterwards = gen::call(Term(bystander), "ping"_a); // the runtime goes on
        });
        QCOMPARE(serverReason, crashed("disk on fire"));
        QCOMPARE(
            callerReason, Term::tuple({ crashed("disk on fire"), callMfa(Term(fragile), "boom"_a, 5000_i) }));
        QCOMPARE(afterwards, "pong"_a);
        QVERIFY(!rt.alive(fragile));
        QVERIFY(rt.alive(bystander));
        QVERIFY(captured.reportHas("disk on fire"));
        QVERIFY(captured.reportHas("terminating"));
        // A new process starts and runs as before.
        QCOMPARE(runProcess(rt, [] {}), "normal"_a);
    }

    void castAndInfoHandlersThrow_data()
    {
        QTest::addColumn<bool>("viaCast");
        QTest::addColumn<QString>("message");
        QTest::addRow("handle_cast") << true << QStringLiteral("cast on fire");
        QTest::addRow("handle_info") << false << QStringLiteral("info on fire");
    }

    void castAndInfoHandlersThrow()
    {
        QFETCH(bool, viaCast);
        QFETCH(QString, message);
        Captured captured;
        Runtime rt(options(captured));
        const Pid fragile = startServer(rt, std::make_shared<Fragile>());
        Term reason;
        runProcess(rt, [&] {
            const Ref ref = proc::monitor(Term(fragile));
            if (viaCast)
                gen::cast(proc::runtime(), Term(fragile), "boom"_a); // returns :ok at once, as always
            else
                proc::send(Term(fragile), "boom"_a);
            const auto down
                = proc::receive([&](const Term &m) { return m.isTuple(5) && m[1] == Term(ref); }, 60'000);
            reason = down ? down->term[4] : "no_down"_a;
        });
        QCOMPARE(reason, crashed(message.toStdString()));
        QVERIFY(captured.reportHas(message.toStdString()));
    }

    void aLinkedClientDiesWithTheServerUnlessItTrapsExits()
    {
        Captured captured;
        Runtime rt(options(captured));
        Term trapped;
        const Term reason = runProcess(rt, [&] {
            proc::setTrapExit(true);
            gen::StartOptions o;
            o.link = true;
            const Pid fragile
                = gen::start(proc::runtime(), std::make_shared<Fragile>(), Term(), o)[1].asPid();
            gen::cast(proc::runtime(), Term(fragile), "boom"_a);
            trapped = proc::receive([](const Term &m) { return m.isTuple(3) && m[0].isAtom("EXIT"); }, 60'000)
                          ->term;
        });
        QCOMPARE(reason, "normal"_a);
        QCOMPARE(trapped[2], crashed("cast on fire"));

        const Term untrapped = runProcess(rt, [&] {
            gen::StartOptions o;
            o.link = true;
            const Pid fragile
                = gen::start(proc::runtime(), std::make_shared<Fragile>(), Term(), o)[1].asPid();
            gen::cast(proc::runtime(), Term(fragile), "boom"_a);
            (void)proc::receive([](const Term &) { return false; }); // the link's exit signal ends this
        });
        QCOMPARE(untrapped, crashed("cast on fire"));
    }

    void aScriptAgentFunctionRaises()
    {
        Captured captured;
        RuntimeOptions o = options(captured, Clock::Mode::Real);
        Session session(o);
        const auto started = evaluate(session, "{:ok, agent} = Agent.start(fn -> 0 end)");
        QVERIFY(started && started->ok);
        const auto failed = evaluate(session, "Agent.get(agent, fn _ -> raise \"disk on fire\" end)");
        QVERIFY(failed);
        QVERIFY(!failed->ok);
        // As Elixir 1.14 prints it (the stack line differs).
        QVERIFY2(failed->text.starts_with("** (exit) exited in: GenServer.call(#PID<"), failed->text.c_str());
        QVERIFY2(failed->text.find(
                     "\n    ** (EXIT) an exception was raised:\n        ** (RuntimeError) disk on fire")
                != std::string::npos,
            failed->text.c_str());
        QTRY_VERIFY(captured.reportHas("disk on fire"));
        // The console goes on, with its variables, and the agent is gone.
        const auto alive = evaluate(session, "Process.alive?(agent)");
        QVERIFY(alive && alive->ok);
        QCOMPARE(QString::fromStdString(alive->text), QStringLiteral("false"));
        const auto sum = evaluate(session, "1 + 1");
        QVERIFY(sum && sum->ok);
        QCOMPARE(QString::fromStdString(sum->text), QStringLiteral("2"));
        QVERIFY(captured.printed().empty());
    }
};

QTEST_GUILESS_MAIN(TestFaultsHandlers)
#include "tst_faults_handlers.moc"
