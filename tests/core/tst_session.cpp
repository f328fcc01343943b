// The iex-like session the console and the buttons use.
#include "script/session.h"

#include <QtTest>

#include <future>

using namespace mailroom;

namespace {

RuntimeOptions quiet()
{
    RuntimeOptions o;
    o.schedulers = 2;
    o.output = [](Pid, std::string_view) {};
    o.errorReport = [](std::string_view) {};
    return o;
}

/// Evaluates and waits for the result (what the console shows).
EvalResult eval(Session &session, const std::string &code, bool fresh = false)
{
    auto promise = std::make_shared<std::promise<EvalResult>>();
    auto future = promise->get_future();
    session.evaluate(code, fresh, [promise](const EvalResult &r) { promise->set_value(r); });
    if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
        qFatal("evaluation did not finish");
    return future.get();
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT

private slots:
    void variablesSurviveBetweenLines()
    {
        Session session(quiet());
        QCOMPARE(QString::fromStdString(eval(session, "x = 40").text), QStringLiteral("40"));
        const EvalResult r = eval(session, "x + 2");
        QVERIFY(r.ok);
        QCOMPARE(QString::fromStdString(r.text), QStringLiteral("42"));
    }

    void aSyntaxErrorRunsNothing()
    {
        Session session(quiet());
        (void)eval(session, "n = 1");
        const EvalResult r = eval(session, "n = 2\nIO.puts(\"unterminated)");
        QVERIFY(!r.ok);
        QVERIFY2(r.text.starts_with("** (TokenMissingError) iex:2:"), r.text.c_str());
        QCOMPARE(QString::fromStdString(eval(session, "n").text), QStringLiteral("1"));
    }

    void anUncaughtExitReplacesTheShellButKeepsVariables()
    {
        Session session(quiet());
        (void)eval(session, "kept = :yes");
        const EvalResult before = eval(session, "self()");
        const EvalResult failed = eval(session, "GenServer.call(:nobody, :hi)");
        QVERIFY(!failed.ok);
        QVERIFY2(failed.text.starts_with("** (exit) exited in: GenServer.call(:nobody, :hi, 5000)"),
                 failed.text.c_str());
        const EvalResult after = eval(session, "{self(), kept}");
        QVERIFY(after.ok);
        QVERIFY(after.value.isTuple(2));
        QVERIFY(!(after.value[0] == before.value)); // a new shell process
        QCOMPARE(after.value[1], Term::atom("yes"));
    }

    void freshProcessesRunConcurrently()
    {
        Session session(quiet());
        session.startDefaultServers();
        // Two slow calls from two fresh clients overlap: together they take one second, not two.
        auto a = std::make_shared<std::promise<EvalResult>>();
        auto b = std::make_shared<std::promise<EvalResult>>();
        auto fa = a->get_future();
        auto fb = b->get_future();
        session.evaluate("GenServer.call(SlowServer, {:sleep, 300})", true, [a](const EvalResult &r) { a->set_value(r); });
        session.evaluate("Process.sleep(10); GenServer.call(Counter, :get_count)", true,
                         [b](const EvalResult &r) { b->set_value(r); });
        const EvalResult rb = fb.get();
        const EvalResult ra = fa.get();
        QVERIFY(ra.ok);
        QCOMPARE(QString::fromStdString(ra.text), QStringLiteral("\"response!\""));
        QCOMPARE(QString::fromStdString(rb.text), QStringLiteral("0"));
        QVERIFY(rb.finishedNs < ra.finishedNs); // the Counter call did not wait for SlowServer
        QVERIFY(!(ra.pid == rb.pid));
    }

    void defaultServersAreRegisteredByModuleName()
    {
        Session session(quiet());
        session.startDefaultServers();
        for (const char *name : {"AsyncLogger", "Counter", "SlowServer", "Journal", "Receiver", "IncrementingCounter",
                                 "DecrementingCounter"})
            QVERIFY2(session.runtime().whereis(Atom::intern(std::string("Elixir.") + name)).isValid(), name);
        const EvalResult r = eval(session, "AsyncLogger.log(\"hi\"); length(AsyncLogger.get_logs())");
        QCOMPARE(QString::fromStdString(r.text), QStringLiteral("1"));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
