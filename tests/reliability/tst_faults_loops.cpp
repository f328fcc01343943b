// SPDX-License-Identifier: MIT
// A script that never ends: the other processes keep answering calls while it loops, and
// Process.exit(pid, :kill) (what the UI's kill button sends) ends it, and a loop on every
// scheduler thread still leaves injected work its turn. One known gap is kept as an expected
// failure: a client killed before it first runs never reports.
#include "fixture.h"

using namespace reliability;
using namespace mailroom::literals;

class TestFaultsLoops : public QObject {
    Q_OBJECT

private slots:
    void aLoopingScriptLeavesTheRuntimeResponsiveAndCanBeKilled_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addRow("self-application") << QStringLiteral("f = fn f -> f.(f) end\nf.(f)");
        QTest::addRow("counting tail call")
            << QStringLiteral("loop = fn loop, n -> loop.(loop, n + 1) end\nloop.(loop, 0)");
        QTest::addRow("Enum.each over a huge range")
            << QStringLiteral("Enum.each(1..1_000_000_000_000, fn _ -> :ok end)");
        QTest::addRow("Enum.reduce over a huge range")
            << QStringLiteral("Enum.reduce(1..1_000_000_000_000, 0, fn x, acc -> x + acc end)");
        QTest::addRow("for with a filter that never holds")
            << QStringLiteral("for x <- 1..1_000_000_000_000, x < 0, do: x");
        QTest::addRow("receive with a timeout, forever")
            << QStringLiteral("f = fn f -> receive do :never -> :ok after 0 -> f.(f) end end\nf.(f)");
    }

    void aLoopingScriptLeavesTheRuntimeResponsiveAndCanBeKilled()
    {
        QFETCH(QString, code);
        Captured captured;
        // Two scheduler threads: the loop holds one, the rest of the world runs on the other.
        Session session(options(captured, Clock::Mode::Real, 2));
        session.startDefaultServers();
        Runtime &rt = session.runtime();
        const size_t baseline = rt.processCount();

        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto looping = promise->get_future();
        session.evaluate("IO.puts(\"looping\")\n" + code.toStdString(), false,
            [promise](const EvalResult &r) { promise->set_value(r); });
        const Pid shell = session.shell();
        QVERIFY(shell.isValid());
        QTRY_COMPARE(captured.printed(), std::vector<std::string>{ "looping\n" });

        // While it loops, other processes are scheduled: calls from fresh clients are answered.
        for (int i = 0; i < 20; ++i) {
            const auto answer = evaluate(session, "GenServer.call(Counter, :get_count)", true, 30);
            QVERIFY2(answer, "a call went unanswered while the script looped");
            QVERIFY2(answer->ok, answer->text.c_str());
            QCOMPARE(QString::fromStdString(answer->text), QStringLiteral("0"));
        }
        QCOMPARE(looping.wait_for(std::chrono::seconds(0)), std::future_status::timeout); // still looping
        QVERIFY(rt.alive(shell));

        // The kill button: Process.exit(pid, :kill) from outside.
        rt.exit(shell, "kill"_a);
        QCOMPARE(looping.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const EvalResult killed = looping.get();
        QVERIFY(!killed.ok);
        QCOMPARE(killed.value, "killed"_a);
        QVERIFY2(killed.text == "** (EXIT from " + Term(shell).inspect() + ") killed", killed.text.c_str());
        QTRY_VERIFY(!rt.alive(shell));

        // The console goes on with a new shell; nothing was left behind.
        const auto sum = evaluate(session, "1 + 1");
        QVERIFY(sum && sum->ok);
        QCOMPARE(QString::fromStdString(sum->text), QStringLiteral("2"));
        QTRY_COMPARE(rt.processCount(), baseline + 1); // the servers and the new shell
        QCOMPARE(captured.printed().size(), size_t(1));
    }

    void aLoopOnEverySchedulerLeavesRoomForInjectedWork()
    {
        Captured captured;
        // One scheduler thread, and a loop on it that yields: work injected from other threads
        // (a fresh client started by the console) still gets its turn, once in 61 picks.
        Session session(options(captured, Clock::Mode::Real, 1));
        session.startDefaultServers();
        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto looping = promise->get_future();
        session.evaluate("IO.puts(\"looping\")\nf = fn f -> f.(f) end\nf.(f)", false,
            [promise](const EvalResult &r) { promise->set_value(r); });
        QTRY_COMPARE(captured.printed(), std::vector<std::string>{ "looping\n" });
        const auto answer = evaluate(session, "GenServer.call(Counter, :get_count)", true, 2);
        QVERIFY2(answer.has_value(), "the console's call went unanswered while the script looped");
        // The kill still gets through: it goes to the mailbox, which the loop drains when it yields.
        session.runtime().exit(session.shell(), "kill"_a);
        QCOMPARE(looping.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        QCOMPARE(looping.get().value, "killed"_a);
    }

    void aLoopingFreshClientCanBeKilledByPid()
    {
        Captured captured;
        Session session(options(captured, Clock::Mode::Real, 2));
        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto looping = promise->get_future();
        session.evaluate("IO.puts(\"looping\")\nf = fn f -> f.(f) end\nf.(f)", true,
            [promise](const EvalResult &r) { promise->set_value(r); });
        QTRY_COMPARE(captured.printed(), std::vector<std::string>{ "looping\n" });
        const Pid client = spawnedPid(session.runtime());
        QVERIFY(session.runtime().alive(client));
        session.runtime().exit(client, "kill"_a);
        QCOMPARE(looping.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const EvalResult killed = looping.get();
        QVERIFY(!killed.ok);
        QCOMPARE(killed.value, "killed"_a);
        QTRY_COMPARE(session.runtime().processCount(), size_t(0));
    }

    void aClientKilledBeforeItStartsStillReports()
    {
        Captured captured;
        Session session(options(captured, Clock::Mode::Real, 2));
        // Paused, the world schedules nothing: the kill lands before the client's first run.
        session.runtime().setPaused(true);
        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto result = promise->get_future();
        session.evaluate("1 + 1", true, [promise](const EvalResult &r) { promise->set_value(r); });
        const Pid client = spawnedPid(session.runtime());
        QVERIFY(client.isValid());
        session.runtime().exit(client, "kill"_a);
        session.runtime().setPaused(false);
        QTRY_VERIFY(!session.runtime().alive(client));
        QEXPECT_FAIL("",
            "the runtime acts on a waiting kill before the process body (Session's try) starts, so "
            "Session::evaluate never calls `done`: the console would wait for ever",
            Abort);
        QCOMPARE(result.wait_for(std::chrono::seconds(2)), std::future_status::ready);
        QCOMPARE(result.get().value, "killed"_a);
    }

private:
    /// The pid of the last process spawned, from the event record.
    static Pid spawnedPid(Runtime &rt)
    {
        Pid pid;
        QDeadlineTimer deadline(30'000);
        while (!pid.isValid() && !deadline.hasExpired()) {
            for (const Event &e : keptEvents(rt))
                if (e.type == EventType::Spawn)
                    pid = e.pid;
            if (!pid.isValid())
                QTest::qWait(2);
        }
        return pid;
    }
};

QTEST_GUILESS_MAIN(TestFaultsLoops)
#include "tst_faults_loops.moc"
