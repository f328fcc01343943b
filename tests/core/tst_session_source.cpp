// SPDX-License-Identifier: MIT
// What the source view reads: a module's source as the session keeps it, and the lines the
// record gives for the clause that handled each message and for where a handler crashed.
#include "script/session.h"

#include "catalog_sources.h"

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

EvalResult eval(Session &session, const std::string &code, const std::string &file = "iex", uint32_t firstLine = 1,
    uint32_t firstColumn = 1)
{
    auto promise = std::make_shared<std::promise<EvalResult>>();
    auto future = promise->get_future();
    session.evaluate(
        code, false, [promise](const EvalResult &r) { promise->set_value(r); }, file, firstLine, firstColumn);
    if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
        qFatal("evaluation did not finish");
    return future.get();
}

/// Every event of the session, once its runtime has stopped (which publishes them all).
std::vector<Event> allEvents(Session &session)
{
    session.runtime().shutdown();
    std::vector<Event> events;
    session.runtime().events().read(1, 1'000'000, events);
    return events;
}

// Line 1 is the editor's first line: a comment and a blank line put the module at line 3.
const char *const kTally = R"(# a learner's server
  
defmodule Tally do
  use GenServer

  def init(n), do: {:ok, n}

  def handle_call(:get, _from, n) do
    {:reply, n, n}
  end

  def handle_call({:add, k}, _from, n) when is_integer(k) do
    {:reply, :ok, n + k}
  end

  def handle_call({:add, k}, _from, n) do
    {:reply, {:not_a_number, k}, n}
  end

  def handle_call(:boom, _from, n) do
    x = n + 1
    raise "boom at #{x}"
  end

  def handle_cast(:reset, _n), do: {:noreply, 0}

  def handle_info(msg, n) do
    _ = msg
    {:noreply, n}
  end
end
)";

} // namespace

class TestSessionSource : public QObject {
    Q_OBJECT

private slots:
    // The source view highlights the clause that ran: each HandlerBegin names the line of the
    // `def` whose head matched, the guard deciding between two heads of the same pattern.
    void theRecordNamesTheClauseThatHandledEachMessage_data()
    {
        QTest::addColumn<QString>("send");
        QTest::addColumn<QString>("message");
        QTest::addColumn<uint>("line");
        QTest::addRow("the first clause") << "GenServer.call(pid, :get)"
                                          << ":get" << 8U;
        QTest::addRow("a guard that holds") << "GenServer.call(pid, {:add, 2})"
                                            << "{:add, 2}" << 12U;
        QTest::addRow("a guard that fails") << "GenServer.call(pid, {:add, :x})"
                                            << "{:add, :x}" << 16U;
        QTest::addRow("a one-line cast") << "GenServer.cast(pid, :reset)"
                                         << ":reset" << 25U;
        QTest::addRow("a plain message") << "send(pid, :hello)"
                                         << ":hello" << 27U;
    }
    void theRecordNamesTheClauseThatHandledEachMessage()
    {
        QFETCH(QString, send);
        QFETCH(QString, message);
        QFETCH(uint, line);
        Session session(quiet());
        QVERIFY(eval(session, kTally, "tally.exs").ok);
        const EvalResult started = eval(session, "{:ok, pid} = GenServer.start(Tally, 0)");
        QVERIFY2(started.ok, started.text.c_str());
        QVERIFY(eval(session, send.toStdString()).ok);
        QVERIFY(eval(session, ":sys.get_state(pid)").ok); // the message above has been handled
        const Pid server = started.value[1].asPid();
        const std::vector<Event> events = allEvents(session);
        int begins = 0;
        for (const Event &e : events) {
            if (e.pid != server || e.type != EventType::HandlerBegin)
                continue;
            if (e.kind == MessageKind::System) {
                QCOMPARE(e.line, 0U); // :sys is gen_server's, not the module's
                continue;
            }
            ++begins;
            QVERIFY(QString::fromStdString(e.term.inspect()).contains(message));
            QCOMPARE(e.line, line);
        }
        QCOMPARE(begins, 1);
        for (const Event &e : events)
            if (e.type != EventType::HandlerBegin && !(e.type == EventType::HandlerEnd && (e.flags & EventCrashed) != 0))
                QCOMPARE(e.line, 0U);
    }

    // A crash marks its line: the crashed HandlerEnd names the line that raised; a message no
    // clause matches, the first clause's line (where Elixir's stacktrace puts it).
    void aCrashedHandlerEndNamesTheLineThatFailed_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<uint>("begin");
        QTest::addColumn<uint>("failed");
        QTest::addRow("raise") << ":boom" << 20U << 22U;
        QTest::addRow("no clause matches") << ":nothing" << 0U << 8U;
    }
    void aCrashedHandlerEndNamesTheLineThatFailed()
    {
        QFETCH(QString, request);
        QFETCH(uint, begin);
        QFETCH(uint, failed);
        Session session(quiet());
        QVERIFY(eval(session, kTally, "tally.exs").ok);
        const EvalResult started = eval(session, "{:ok, pid} = GenServer.start(Tally, 0)");
        QVERIFY(started.ok);
        const EvalResult r = eval(session, "try do\n  GenServer.call(pid, " + request.toStdString() + ")\ncatch\n  :exit, e -> e\nend");
        QVERIFY2(r.ok, r.text.c_str());
        const Pid server = started.value[1].asPid();
        bool sawBegin = false;
        bool sawCrash = false;
        for (const Event &e : allEvents(session)) {
            if (e.pid != server || e.kind != MessageKind::Call)
                continue;
            if (e.type == EventType::HandlerBegin) {
                sawBegin = true;
                QCOMPARE(e.line, begin);
            } else if (e.type == EventType::HandlerEnd) {
                QVERIFY((e.flags & EventCrashed) != 0);
                sawCrash = true;
                QCOMPARE(e.line, failed);
            }
        }
        QVERIFY(sawBegin);
        QVERIFY(sawCrash);
    }

    // A crash inside another module's function (a helper the handler calls) marks the line of
    // the server's own module that it came from: the innermost frame of the server's module
    // in the stacktrace, as Elixir's report lists it. A helper called last (a tail call)
    // leaves no frame of the handler, on the BEAM as here: nothing is marked.
    void aCrashInAnotherModulesFunctionMarksWhereTheServersModuleCalledIt_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<uint>("failed");
        QTest::addRow("from the handler") << ":helper" << 14U;
        QTest::addRow("from a private function of the server") << ":local" << 21U;
        QTest::addRow("a helper's own missing clause") << ":clause" << 18U;
        QTest::addRow("a tail call") << ":tail" << 0U;
    }
    void aCrashInAnotherModulesFunctionMarksWhereTheServersModuleCalledIt()
    {
        QFETCH(QString, request);
        QFETCH(uint, failed);
        Session session(quiet());
        const char *const code = R"(defmodule Helper do
  def divide(n) do
    x = n * 2
    div(x, 0)
  end
  def last(n), do: div(n, 0)
  def only_zero(0), do: :zero
end

defmodule Srv do
  use GenServer
  def init(n), do: {:ok, n}
  def handle_call(:helper, _from, n) do
    result = Helper.divide(n)
    {:reply, result, n}
  end
  def handle_call(:local, _from, n), do: {:reply, through(n), n}
  def handle_call(:clause, _from, n), do: {:reply, Helper.only_zero(n), n}
  def handle_call(:tail, _from, n), do: Helper.last(n)
  defp through(n) do
    y = Helper.divide(n)
    y + 1
  end
end
)";
        QVERIFY(eval(session, code, "srv.exs").ok);
        const EvalResult started = eval(session, "{:ok, pid} = GenServer.start(Srv, 1)");
        QVERIFY(started.ok);
        const EvalResult r = eval(session, "try do GenServer.call(pid, " + request.toStdString() + ") catch :exit, e -> e end");
        QVERIFY2(r.ok, r.text.c_str());
        const Pid server = started.value[1].asPid();
        bool sawCrash = false;
        for (const Event &e : allEvents(session)) {
            if (e.pid == server && e.type == EventType::HandlerEnd && e.kind == MessageKind::Call) {
                QVERIFY((e.flags & EventCrashed) != 0);
                sawCrash = true;
                QCOMPARE(e.line, failed);
            }
        }
        QVERIFY(sawCrash);
    }

    // The source view shows a module's own lines, numbered as in the code that defined it; a
    // redefinition replaces them.
    void theSessionKeepsEachModulesSource()
    {
        Session session(quiet());
        QVERIFY(eval(session, kTally, "tally.exs").ok);
        auto source = session.moduleSource("Tally");
        QVERIFY(source);
        QCOMPARE(QString::fromStdString(source->file), QStringLiteral("tally.exs"));
        QCOMPARE(source->firstLine, 3U);
        QVERIFY(source->text.starts_with("defmodule Tally do\n  use GenServer\n"));
        QVERIFY(source->text.ends_with("    {:noreply, n}\n  end\nend"));
        QCOMPARE(std::count(source->text.begin(), source->text.end(), '\n'), 28);
        QCOMPARE(source->clauses.size(), size_t(7));
        QCOMPARE(QString::fromStdString(source->clauses[1].function), QStringLiteral("handle_call"));
        QCOMPARE(source->clauses[1].arity, 3);
        QCOMPARE(source->clauses[1].firstLine, 8U);
        QCOMPARE(source->clauses[1].lastLine, 10U);
        QCOMPARE(source->clauses[5].firstLine, 25U);
        QCOMPARE(source->clauses[5].lastLine, 25U); // a do: one-liner

        QVERIFY(eval(session, "defmodule Tally do\n  def handle_call(:get, _, n), do: {:reply, n, n}\nend").ok);
        source = session.moduleSource("Tally");
        QVERIFY(source);
        QCOMPARE(QString::fromStdString(source->file), QStringLiteral("iex"));
        QCOMPARE(source->firstLine, 1U);
        QCOMPARE(QString::fromStdString(source->text),
            QStringLiteral("defmodule Tally do\n  def handle_call(:get, _, n), do: {:reply, n, n}\nend"));
        QVERIFY(!session.moduleSource("Nowhere"));
    }

    // A selection run from the editor stands at its line of the buffer: the module's source,
    // the clause lines the record names (what the source view highlights) and its errors are
    // numbered as the buffer is, not from the selection's first line.
    void aSelectionIsNumberedAsTheBufferIs()
    {
        Session session(quiet());
        QVERIFY(eval(session, kTally, "tally.exs", 41).ok); // kTally from the buffer's line 41
        const auto source = session.moduleSource("Tally");
        QVERIFY(source);
        QCOMPARE(source->firstLine, 43U);
        QVERIFY(source->text.starts_with("defmodule Tally do\n"));
        QCOMPARE(source->clauses[1].firstLine, 48U);
        const EvalResult started = eval(session, "{:ok, pid} = GenServer.start(Tally, 0)");
        QVERIFY(started.ok);
        QVERIFY(eval(session, "GenServer.call(pid, {:add, 2})").ok);
        QVERIFY(eval(session, "try do GenServer.call(pid, :boom) catch :exit, _ -> :ok end").ok);
        const Pid server = started.value[1].asPid();

        // A selection that starts mid-line: its first line's columns count from there.
        const EvalResult bad = eval(session, "x = ) + 1", "tally.exs", 7, 5);
        QVERIFY(!bad.ok);
        QCOMPARE(bad.errorLine, 7U);
        QCOMPARE(bad.errorColumn, 9U);
        const EvalResult later = eval(session, "x = 1\ny = x +\n", "tally.exs", 20, 3);
        QVERIFY(!later.ok);
        QCOMPARE(later.errorLine, 21U);

        std::vector<uint32_t> begins;
        uint32_t crashed = 0;
        for (const Event &e : allEvents(session)) {
            if (e.pid != server || e.kind != MessageKind::Call)
                continue;
            if (e.type == EventType::HandlerBegin)
                begins.push_back(e.line);
            else if (e.type == EventType::HandlerEnd && (e.flags & EventCrashed) != 0)
                crashed = e.line;
        }
        QCOMPARE(begins, (std::vector<uint32_t>{ 52U, 60U }));
        QCOMPARE(crashed, 62U);
    }

    // Scrubbing back past a redefinition shows the source an event ran: each definition is
    // kept as a version, found by the time of the record's event.
    void eachDefinitionKeepsItsSourceForTheEventsThatRanIt()
    {
        Session session(quiet());
        QVERIFY(eval(session, kTally, "tally.exs").ok);
        const EvalResult started = eval(session, "{:ok, pid} = GenServer.start(Tally, 0)");
        QVERIFY(started.ok);
        QVERIFY(eval(session, "GenServer.call(pid, :get)").ok);
        // The same clause three lines lower, from another buffer.
        QVERIFY(eval(session,
            "# v2\n\n\ndefmodule Tally do\n  use GenServer\n  def handle_call(:get, _from, n) do\n    {:reply, n + 1, n}\n  end\nend\n",
            "v2.exs")
                    .ok);
        QVERIFY(eval(session, "GenServer.call(pid, :get)").ok);
        const Pid server = started.value[1].asPid();
        std::vector<std::pair<int64_t, uint32_t>> begins; // (time, line)
        for (const Event &e : allEvents(session))
            if (e.pid == server && e.type == EventType::HandlerBegin && e.kind == MessageKind::Call)
                begins.emplace_back(e.time, e.line);
        QCOMPARE(begins.size(), size_t(2));
        QCOMPARE(begins[0].second, 8U);
        QCOMPARE(begins[1].second, 6U);

        const auto first = session.moduleSource("Tally", begins[0].first);
        QVERIFY(first);
        QCOMPARE(QString::fromStdString(first->file), QStringLiteral("tally.exs"));
        QCOMPARE(first->firstLine, 3U);
        QCOMPARE(first->clauses.size(), size_t(7));
        QCOMPARE(first->clauses[1].firstLine, begins[0].second);
        const auto second = session.moduleSource("Tally", begins[1].first);
        QVERIFY(second);
        QCOMPARE(QString::fromStdString(second->file), QStringLiteral("v2.exs"));
        QCOMPARE(second->firstLine, 4U);
        QCOMPARE(second->clauses.size(), size_t(1));
        QCOMPARE(second->clauses[0].firstLine, begins[1].second);
        QVERIFY(second->text.find("n + 1") != std::string::npos);
        const auto now = session.moduleSource("Tally");
        QVERIFY(now);
        QCOMPARE(now->text, second->text);
        // Before its first definition, a module shows its oldest version.
        QCOMPARE(session.moduleSource("Tally", 0)->file, first->file);
    }

    // The catalog's servers are Elixir embedded in the app: their source is their file's.
    void aCatalogServersSourceIsItsFile()
    {
        Session session(quiet());
        const auto source = session.moduleSource("Counter");
        QVERIFY(source);
        QCOMPARE(QString::fromStdString(source->file), QStringLiteral("catalog/counter.ex"));
        std::string_view file;
        for (const CatalogSource &s : catalogSources())
            if (s.file == "catalog/counter.ex")
                file = s.text;
        QVERIFY(!file.empty());
        QVERIFY(file.find(source->text) != std::string_view::npos);
        QVERIFY(source->text.starts_with("defmodule Counter do"));
    }
};

QTEST_MAIN(TestSessionSource)
#include "tst_session_source.moc"
