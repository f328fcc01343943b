// SPDX-License-Identifier: MIT
// The iex-like session the console and the buttons use.
#include "script/session.h"

#include <QtTest>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

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

    // The editor underlines where code failed. Lines and columns as `elixir FILE.exs` reports
    // them: a SyntaxError at s4.exs:2:10, an ArithmeticError in a module's function at s3.exs:3.
    void anErrorTellsItsLineAndColumn()
    {
        Session session(quiet());
        const EvalResult syntax = eval(session, "x = 1\ny = (x  )) \n");
        QVERIFY(!syntax.ok);
        QCOMPARE(syntax.errorLine, 2U);
        QCOMPARE(syntax.errorColumn, 10U);
        const EvalResult raised = eval(session, "defmodule M do\n  def f(x) do\n    x + :a\n  end\nend\nM.f(1)\n");
        QVERIFY(!raised.ok);
        QCOMPARE(raised.errorLine, 3U);
        QVERIFY(raised.errorColumn > 0);
        const EvalResult fresh = eval(session, "x = 1\ny = x + :a", true);
        QVERIFY(!fresh.ok);
        QCOMPARE(fresh.errorLine, 2U);
        QVERIFY(eval(session, "1 + 1").errorLine == 0);
    }

    // A card's menu offers what the module's clause heads accept: a literal is sent as it is,
    // a pattern with variables asks for them («name» in the code); a catalog server keeps
    // its entry, with the `# Try:` lines of its source.
    void aModuleDefinedInTheSessionDescribesItsMessages()
    {
        Session session(quiet());
        QVERIFY(eval(session,
            "defmodule Greeter do\n  use GenServer\n  def init(n), do: {:ok, n}\n"
            "  def handle_call(:hello, _from, n), do: {:reply, :hi, n}\n"
            "  def handle_cast({:rename, name}, _n), do: {:noreply, name}\n"
            "  def handle_info(%{tick: _count} = _message, n), do: {:noreply, n}\n"
            "  def handle_info([head | _], n), do: {:noreply, [head | n]}\nend")
                    .ok);
        const auto entry = session.describeModule("Greeter");
        QVERIFY(entry.has_value());
        QCOMPARE(entry->messages.size(), size_t(3)); // a list's tail is no value a form asks for
        const MessageSpec &hello = entry->messages[0];
        QVERIFY(hello.kind == MessageKind::Call);
        QCOMPARE(hello.label, std::string(":hello"));
        QCOMPARE(hello.code, std::string("GenServer.call({server}, :hello)"));
        QVERIFY(hello.fields.empty());
        const MessageSpec &rename = entry->messages[1];
        QVERIFY(rename.kind == MessageKind::Cast);
        QCOMPARE(rename.label, std::string("{:rename, name}"));
        QCOMPARE(rename.code, std::string("GenServer.cast({server}, {:rename, «name»})"));
        QVERIFY(rename.fields == (std::vector<std::string>{ "name" }));
        const MessageSpec &tick = entry->messages[2];
        QVERIFY(tick.kind == MessageKind::Info);
        QCOMPARE(tick.code, std::string("send({server}, %{:tick => «count»})"));
        QVERIFY(tick.fields == (std::vector<std::string>{ "count" }));

        const auto counter = session.describeModule("Counter");
        QVERIFY(counter.has_value());
        QCOMPARE(counter->messages.size(), findCatalogEntry("Counter")->messages.size());
        QVERIFY(!session.describeModule("Nobody").has_value());
        QVERIFY(!session.describeModule("Enum").has_value());
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

    void aModuleDefinedInOneEntryServesEveryProcess()
    {
        Session session(quiet());
        const EvalResult defined = eval(session,
            "defmodule Tally do\n  use GenServer\n  def init(n), do: {:ok, n}\n"
            "  def handle_cast(:add, n), do: {:noreply, n + 1}\n"
            "  def handle_call(:get, _from, n), do: {:reply, n, n}\nend");
        QVERIFY2(defined.ok, defined.text.c_str());
        // A later entry starts it as a GenServer, named like a catalog server would be.
        const EvalResult started = eval(session, "{:ok, _} = GenServer.start(Tally, 40, name: Tally)");
        QVERIFY2(started.ok, started.text.c_str());
        // Another process casts and calls it.
        const EvalResult used = eval(session, "GenServer.cast(Tally, :add)\nGenServer.cast(Tally, :add)\n"
                                              "GenServer.call(Tally, :get)",
            true);
        QVERIFY2(used.ok, used.text.c_str());
        QCOMPARE(QString::fromStdString(used.text), QStringLiteral("42"));
        // A redefinition takes over at the server's next message.
        QVERIFY(eval(session, "defmodule Tally do\n  use GenServer\n"
                              "  def handle_call(:get, _from, n), do: {:reply, {:v2, n}, n}\nend")
                    .ok);
        QCOMPARE(QString::fromStdString(eval(session, "GenServer.call(Tally, :get)").text), QStringLiteral("{:v2, 42}"));
    }

    void anUncaughtErrorNamesWhereItHappened()
    {
        Session session(quiet());
        const EvalResult r = session.runFile("defmodule M do\n  def f(x), do: x + 1\nend\nM.f(:a)\n", "m.exs");
        QCOMPARE(r.status, 1);
        QCOMPARE(QString::fromStdString(r.text),
            QStringLiteral("** (ArithmeticError) bad argument in arithmetic expression\n    m.exs:2: M.f/1"));
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
        for (const char *name : { "AsyncLogger", "Counter", "SlowServer", "Journal", "Receiver", "IncrementingCounter",
                 "DecrementingCounter" })
            QVERIFY2(session.runtime().whereis(Atom::intern(std::string("Elixir.") + name)).isValid(), name);
        const EvalResult r = eval(session, "AsyncLogger.log(\"hi\"); length(AsyncLogger.get_logs())");
        QCOMPARE(QString::fromStdString(r.text), QStringLiteral("1"));
    }

    /// The shell is woken for a job by a message of its own, which a job never finds in its
    /// mailbox: not the line's own wake-up, nor one for a line queued while it runs.
    void aLineNeverSeesTheShellsWakeUp()
    {
        Session session(quiet());
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(QString::fromStdString(eval(session, "Process.info(self(), :message_queue_len)").text),
                QStringLiteral("{:message_queue_len, 0}"));
            // Not needed for the result: gives the shell time to wait, so that lines also come
            // to an idle shell (woken by a message) and not only to a busy one.
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }

        auto first = std::make_shared<std::promise<EvalResult>>();
        auto second = std::make_shared<std::promise<EvalResult>>();
        auto firstDone = first->get_future();
        auto secondDone = second->get_future();
        session.evaluate("receive do\n  m -> {m, Process.info(self(), :message_queue_len)}\nend", false,
            [first](const EvalResult &r) { first->set_value(r); });
        session.evaluate("Process.info(self(), :message_queue_len)", false,
            [second](const EvalResult &r) { second->set_value(r); });
        session.runtime().send(Term(session.shell()), Term::atom("go"));
        QVERIFY(firstDone.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        QCOMPARE(
            QString::fromStdString(firstDone.get().text), QStringLiteral("{:go, {:message_queue_len, 0}}"));
        QVERIFY(secondDone.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        QCOMPARE(QString::fromStdString(secondDone.get().text), QStringLiteral("{:message_queue_len, 0}"));

        // Nor does the record show a wake-up waiting while a line ran: each is taken at once.
        session.runtime().shutdown(); // publishes every event
        std::vector<Event> events;
        session.runtime().events().read(1, 1'000'000, events);
        std::unordered_map<uint64_t, const Event *> wakeUps; // by the send's seq
        for (const Event &e : events)
            if (e.type == EventType::Send && e.term.isAtom("$mailroom_job"))
                wakeUps.emplace(e.seq, &e);
        for (size_t i = 0; i < events.size(); ++i) {
            if (events[i].type != EventType::Dequeue || !wakeUps.contains(events[i].ref))
                continue;
            for (size_t j = 0; j < i; ++j) // nothing ran in the shell between the send and the dequeue
                if (events[j].seq > events[i].ref && events[j].pid == events[i].pid)
                    QVERIFY2(events[j].type == EventType::BlockEnd || events[j].type == EventType::BlockBegin,
                        qPrintable(QString::fromUtf8(toString(events[j].type).data())));
            wakeUps.erase(events[i].ref);
        }
        QVERIFY2(wakeUps.empty(), "a wake-up was never taken");
    }

    /// IEx's pid/1 and pid/3 name a live process by its number.
    void onlyUseGenServersDefaultHandleInfoReportsAnUnexpectedMessage()
    {
        // Elixir shows `use GenServer`'s error report; for a module without it, gen_server's
        // own warning is not shown and the server goes on.
        auto reports = std::make_shared<std::vector<std::string>>();
        auto mutex = std::make_shared<std::mutex>();
        RuntimeOptions options = quiet();
        options.errorReport = [reports, mutex](std::string_view text) {
            std::lock_guard lock(*mutex);
            reports->emplace_back(text);
        };
        Session session(options);
        const EvalResult r = eval(session,
            "defmodule Plain do\n  def init(x), do: {:ok, x}\n  def handle_call(:get, _, s), do: {:reply, s, s}\nend\n"
            "defmodule Used do\n  use GenServer\n  def init(x), do: {:ok, x}\n"
            "  def handle_call(:get, _, s), do: {:reply, s, s}\nend\n"
            "{:ok, plain} = GenServer.start(Plain, 1)\n{:ok, used} = GenServer.start(Used, 2)\n"
            "send(plain, :hello)\nsend(used, :hello)\n"
            "{GenServer.call(plain, :get), GenServer.call(used, :get)}");
        QCOMPARE(QString::fromStdString(r.text), QStringLiteral("{1, 2}"));
        std::lock_guard lock(*mutex);
        QCOMPARE(reports->size(), size_t(1));
        QVERIFY2(reports->front().find("Used #PID<") != std::string::npos, reports->front().c_str());
        QVERIFY(reports->front().find("received unexpected message in handle_info/2: :hello") != std::string::npos);
    }

    void aLineThatBuildsTooMuchEndsTheShellNotTheSession()
    {
        // Past the shell's max_heap_size: the shell is killed (the console says so) and the next
        // line runs in a new one with the same variables, as the BEAM kills only that process.
        Session session(quiet());
        (void)eval(session, "kept = :yes");
        const EvalResult r = eval(session, "Enum.to_list(1..200_000_000)");
        QVERIFY(!r.ok);
        QVERIFY2(r.text.starts_with("** (EXIT from #PID<") && r.text.ends_with(") killed"), r.text.c_str());
        QCOMPARE(QString::fromStdString(eval(session, "kept").text), QStringLiteral(":yes"));
    }

    void aLineThatGrowsALittleAtATimeEndsTheShellNotTheSession()
    {
        // A list grown a cell at a time (each step small, the whole past the budget): the
        // shell is killed as the BEAM kills it, and another process and the console go on.
        Session session(quiet());
        (void)eval(session, "kept = :yes");
        (void)eval(session, "{:ok, agent} = Agent.start(fn -> 5 end)");
        const EvalResult r = eval(session,
            "Process.flag(:max_heap_size, 100_000)\n"
            "Enum.reduce(1..200_000, [], &[&1 | &2]) |> length()");
        QVERIFY(!r.ok);
        QVERIFY2(r.text.starts_with("** (EXIT from #PID<") && r.text.ends_with(") killed"), r.text.c_str());
        QCOMPARE(QString::fromStdString(eval(session, "{kept, Agent.get(agent, & &1)}").text),
            QStringLiteral("{:yes, 5}"));
    }

    void pidReachesAProcessByItsNumber()
    {
        Session session(quiet());
        const EvalResult started = eval(session,
            "{:ok, counter} = Agent.start(fn -> 5 end)\n"
            "Process.register(counter, :my_counter)\n"
            "counter");
        QVERIFY2(started.ok && started.value.isPid(), started.text.c_str());
        const std::string n = std::to_string(started.value.asPid().number);
        QCOMPARE(QString::fromStdString(eval(session, "Agent.get(pid(\"0." + n + ".0\"), & &1)").text),
            QStringLiteral("5"));
        QCOMPARE(QString::fromStdString(
                     eval(session, "{pid(0, " + n + ", 0) == counter, pid(:my_counter) == counter}").text),
            QStringLiteral("{true, true}"));
        const EvalResult missing = eval(session, "pid(:nobody)");
        QVERIFY(!missing.ok);
        QCOMPARE(QString::fromStdString(missing.text),
            QStringLiteral("** (ArgumentError) could not find registered process with name: :nobody"));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
