// SPDX-License-Identifier: MIT
// A script that never ends: the other processes keep answering calls while it loops, and
// Process.exit(pid, :kill) (what the UI's kill button sends) ends it, and a loop on every
// scheduler thread still leaves injected work its turn; a client killed before it first runs
// still reports, and the console's interrupt (Session::interrupt) gives back the prompt.
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
        // No time limit beyond the suite's: the answer is the event waited for (a runtime that
        // starves injected work never gives it, and the suite's timeout fails it).
        const auto answer = evaluate(session, "GenServer.call(Counter, :get_count)", true);
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
        // The runtime acts on the waiting kill before the body (and its handlers) start: the
        // process's onExit still answers the console.
        QCOMPARE(result.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const EvalResult killed = result.get();
        QVERIFY(!killed.ok);
        QCOMPARE(killed.value, "killed"_a);
        QCOMPARE(QString::fromStdString(killed.text), "** (EXIT from " + QString::fromStdString(Term(client).inspect()) + ") killed");
    }

    void aShellKilledBeforeItStartsHandsItsLinesToANewShell()
    {
        Captured captured;
        Session session(options(captured, Clock::Mode::Real, 2));
        session.runtime().setPaused(true);
        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto result = promise->get_future();
        session.evaluate("1 + 1", false, [promise](const EvalResult &r) { promise->set_value(r); });
        const Pid first = session.shell();
        QVERIFY(first.isValid());
        session.runtime().exit(first, "kill"_a);
        session.runtime().setPaused(false);
        QCOMPARE(result.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const EvalResult sum = result.get();
        QVERIFY2(sum.ok, sum.text.c_str());
        QCOMPARE(QString::fromStdString(sum.text), QStringLiteral("2"));
        QVERIFY(sum.pid != first);
    }

    // The console's Ctrl+C and Stop (Session::interrupt): a runaway line in the shell is killed,
    // its entry says so, and the next line runs in a new shell with the variables kept.
    void anInterruptedShellLineGivesBackThePrompt_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("all");
        QTest::addRow("self-application, Stop") << QStringLiteral("f = fn f -> f.(f) end\nf.(f)") << false;
        QTest::addRow("self-application, Ctrl+C") << QStringLiteral("f = fn f -> f.(f) end\nf.(f)") << true;
        QTest::addRow("trapping exits") << QStringLiteral("Process.flag(:trap_exit, true)\nf = fn f -> f.(f) end\nf.(f)") << false;
        QTest::addRow("receive for ever") << QStringLiteral("receive do :never -> :ok end") << true;
        QTest::addRow("sleep for ever") << QStringLiteral("Process.sleep(:infinity)") << false;
    }

    void anInterruptedShellLineGivesBackThePrompt()
    {
        QFETCH(QString, code);
        QFETCH(bool, all);
        Captured captured;
        Session session(options(captured, Clock::Mode::Real, 2));
        const auto x = evaluate(session, "x = 41");
        QVERIFY(x && x->ok);
        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto looping = promise->get_future();
        const uint64_t id = session.evaluate("IO.puts(\"looping\")\n" + code.toStdString(), false,
            [promise](const EvalResult &r) { promise->set_value(r); });
        // A line typed while it loops waits behind it; the interrupt leaves it to run.
        auto nextPromise = std::make_shared<std::promise<EvalResult>>();
        auto next = nextPromise->get_future();
        QTRY_COMPARE(captured.printed(), std::vector<std::string>{ "looping\n" });
        const Pid shell = session.shell();
        QCOMPARE(looping.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
        if (all) {
            QCOMPARE(session.interruptAll(), size_t(1));
        } else {
            session.evaluate("x + 1", false, [nextPromise](const EvalResult &r) { nextPromise->set_value(r); });
            QVERIFY(session.interrupt(id));
        }
        QCOMPARE(looping.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const EvalResult stopped = looping.get();
        QVERIFY(!stopped.ok);
        QCOMPARE(QString::fromStdString(stopped.text), QStringLiteral("** (EXIT) interrupted"));
        QCOMPARE(stopped.value, "interrupted"_a);
        QCOMPARE(stopped.pid, shell);
        QVERIFY(!session.interrupt(id)); // over
        if (!all) {
            QCOMPARE(next.wait_for(std::chrono::seconds(60)), std::future_status::ready);
            const EvalResult queued = next.get();
            QVERIFY2(queued.ok, queued.text.c_str());
            QCOMPARE(QString::fromStdString(queued.text), QStringLiteral("42"));
        }
        const auto after = evaluate(session, "x + 2");
        QVERIFY(after && after->ok);
        QCOMPARE(QString::fromStdString(after->text), QStringLiteral("43"));
        QVERIFY(session.shell() != shell);
        QTRY_VERIFY(!session.runtime().alive(shell));
    }

    void anInterruptedQueuedLineNeverRuns()
    {
        Captured captured;
        Session session(options(captured, Clock::Mode::Real, 2));
        auto first = std::make_shared<std::promise<EvalResult>>();
        auto looping = first->get_future();
        const uint64_t loop = session.evaluate("IO.puts(\"looping\")\nf = fn f -> f.(f) end\nf.(f)", false,
            [first](const EvalResult &r) { first->set_value(r); });
        auto second = std::make_shared<std::promise<EvalResult>>();
        auto queued = second->get_future();
        const uint64_t print = session.evaluate("IO.puts(\"never\")", false,
            [second](const EvalResult &r) { second->set_value(r); });
        QTRY_COMPARE(captured.printed(), std::vector<std::string>{ "looping\n" });
        QVERIFY(session.interrupt(print));
        QCOMPARE(queued.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        QCOMPARE(QString::fromStdString(queued.get().text), QStringLiteral("** (EXIT) interrupted"));
        QVERIFY(session.interrupt(loop));
        QCOMPARE(looping.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const auto after = evaluate(session, "IO.puts(\"after\")");
        QVERIFY(after && after->ok);
        QCOMPARE(captured.printed(), (std::vector<std::string>{ "looping\n", "after\n" }));
    }

    void anInterruptedFreshLineEndsItsProcess()
    {
        Captured captured;
        Session session(options(captured, Clock::Mode::Real, 2));
        auto promise = std::make_shared<std::promise<EvalResult>>();
        auto looping = promise->get_future();
        const uint64_t id = session.evaluate("IO.puts(\"looping\")\nf = fn f -> f.(f) end\nf.(f)", true,
            [promise](const EvalResult &r) { promise->set_value(r); });
        QTRY_COMPARE(captured.printed(), std::vector<std::string>{ "looping\n" });
        const Pid client = spawnedPid(session.runtime());
        QVERIFY(session.interrupt(id));
        QCOMPARE(looping.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        const EvalResult stopped = looping.get();
        QCOMPARE(QString::fromStdString(stopped.text), QStringLiteral("** (EXIT) interrupted"));
        QCOMPARE(stopped.pid, client);
        QTRY_COMPARE(session.runtime().processCount(), size_t(0));
        QVERIFY(!session.interrupt(id));
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
