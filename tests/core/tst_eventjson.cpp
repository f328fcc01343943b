// SPDX-License-Identifier: MIT
// The event record's JSON Lines: a real run exports and reads back identically; a state that
// did not change (or grew at the front) is not written again, so files grow with the changes;
// bad lines are rejected with the column of the problem.
#include "eventjson.h"
#include "genserver.h"
#include "native_servers.h"

#include <QtTest>

#include <sstream>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

Event stateEvent(uint64_t seq, EventType type, uint32_t pid, Term state)
{
    Event e;
    e.seq = seq;
    e.time = int64_t(seq) * 1000;
    e.type = type;
    e.kind = MessageKind::Cast;
    e.pid = Pid{ pid };
    e.other = Pid{ pid - 1 };
    e.ref = seq - 1;
    e.term = std::move(state);
    e.extra = type == EventType::StateInit ? "Elixir.AsyncLogger"_a : "noreply"_a;
    return e;
}

/// Reads every line of `text` with one JsonlReader.
std::vector<Event> readAll(const std::string &text)
{
    std::vector<Event> events;
    std::istringstream in(text);
    std::string line;
    JsonlReader reader;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        Event e;
        std::string error;
        if (!reader.read(line, e, error))
            qFatal("line %d: %s", lineNo, error.c_str());
        events.push_back(std::move(e));
    }
    return events;
}

/// A logger's record: its initial state [], then `logs` casts each consing an entry on the
/// front, then `gets` handlers that leave the state as it is.
std::vector<Event> loggerRecord(int logs, int gets)
{
    std::vector<Event> events;
    uint64_t seq = 1;
    Term state;
    events.push_back(stateEvent(seq++, EventType::StateInit, 81, state));
    for (int i = 0; i < logs; ++i) {
        state = Term::cons(Term::binary("[12:00:00.000] entry " + std::to_string(i)), state);
        events.push_back(stateEvent(seq++, EventType::HandlerEnd, 81, state));
    }
    for (int i = 0; i < gets; ++i)
        events.push_back(stateEvent(seq++, EventType::HandlerEnd, 81, state));
    return events;
}

} // namespace

class TestEventJson : public QObject {
    Q_OBJECT

private slots:
    void aRealRunRoundTrips()
    {
        RuntimeOptions o;
        o.schedulers = 2;
        o.clockMode = Clock::Mode::Manual;
        o.output = [](Pid, std::string_view) {};
        Runtime rt(o);
        SpawnOptions s;
        s.joinable = true;
        const Pid client = rt.spawn(
            [] {
                const NativeServer *entry = findNativeServer("PledgeServer");
                gen::StartOptions start;
                start.name = Atom::intern("pledge_server");
                (void)gen::start(proc::runtime(), entry->make(), entry->defaultArg, start);
                (void)gen::call("pledge_server"_a, Term::tuple({ "create_pledge"_a, "héllo\n\"q\""_s, Term::integer(20) }));
                (void)gen::call("pledge_server"_a, "total_pledged"_a); // the state stays as it is
                (void)gen::call("pledge_server"_a, "recent_pledges"_a);
                const NativeServer *logger = findNativeServer("AsyncLogger");
                gen::StartOptions named;
                named.name = Atom::intern("Elixir.AsyncLogger");
                (void)gen::start(proc::runtime(), logger->make(), logger->defaultArg, named);
                for (const char *text : { "one", "two", "three" }) // each conses onto the last state
                    gen::cast(proc::runtime(), "Elixir.AsyncLogger"_a,
                        Term::tuple({ "log"_a, Term::binary(text) }));
                (void)gen::call("Elixir.AsyncLogger"_a, "get_logs"_a);
                proc::send(Term(proc::self()), Term::tuple({ Term::floating(0.1), Term::list({ Term::integer(1) }, "tail"_a), Term::binary(std::string("\xff\x00", 2)), Term::integer(INT64_MIN) }));
                (void)proc::receive([](const Term &) { return true; });
            },
            s);
        QVERIFY(rt.join(client, 10'000).has_value());
        rt.shutdown();
        std::ostringstream out;
        const size_t written = writeEventsJsonl(rt.events(), out);
        QVERIFY(written > 10);
        std::vector<Event> original;
        rt.events().read(1, 100'000, original);
        QCOMPARE(original.size(), written);

        const std::string text = out.str();
        QVERIFY2(text.find(R"("term":{"same":true})") != std::string::npos, "no unchanged state in the run");
        QVERIFY2(
            text.find(R"("term":{"prepend":[{"s":)") != std::string::npos, "no state grown at the front");

        const std::vector<Event> read = readAll(text);
        QCOMPARE(read.size(), written);
        for (size_t i = 0; i < read.size(); ++i) {
            const Event &back = read[i];
            const Event &e = original[i];
            QCOMPARE(back.seq, e.seq);
            QCOMPARE(back.time, e.time);
            QVERIFY(back.type == e.type);
            QVERIFY(back.kind == e.kind);
            QCOMPARE(back.flags, e.flags);
            QCOMPARE(back.pid, e.pid);
            QCOMPARE(back.other, e.other);
            QCOMPARE(back.ref, e.ref);
            QVERIFY2(back.term == e.term, (back.term.inspect() + " vs " + e.term.inspect()).c_str());
            QVERIFY(back.extra == e.extra);
            QCOMPARE(eventToJson(back), eventToJson(e));
        }
        std::ostringstream again; // and writes the same file again
        QCOMPARE(writeEventsJsonl(read, again), written);
        QCOMPARE(again.str(), text);
    }

    /// Every line read on its own by readEventJsonLine, as eventToJson wrote it.
    void singleLinesRoundTrip()
    {
        for (const Event &e : loggerRecord(3, 2)) {
            const std::string line = eventToJson(e);
            QVERIFY(line.find("same") == std::string::npos);
            Event back;
            std::string error;
            QVERIFY2(readEventJsonLine(line, back, error), error.c_str());
            QVERIFY(back.term == e.term);
            QCOMPARE(eventToJson(back), line);
        }
    }

    /// A saved record keeps the source line a script server's handler names (docs/events.md):
    /// written where it is not 0, read back, and absent from every other line.
    void theSourceLineRoundTrips()
    {
        Event begin;
        begin.seq = 7;
        begin.type = EventType::HandlerBegin;
        begin.kind = MessageKind::Call;
        begin.pid = Pid{ 90 };
        begin.line = 12;
        begin.term = Term::atom("get");
        const std::string line = eventToJson(begin);
        QVERIFY2(line.find(",\"line\":12,") != std::string::npos, line.c_str());
        Event back;
        std::string error;
        QVERIFY2(readEventJsonLine(line, back, error), error.c_str());
        QCOMPARE(back.line, 12U);
        QCOMPARE(eventToJson(back), line);
        begin.line = 0;
        QVERIFY(eventToJson(begin).find("line") == std::string::npos);
        QVERIFY(readEventJsonLine(eventToJson(begin), back, error));
        QCOMPARE(back.line, 0U);
    }

    /// A term nested far deeper than the reader takes is written without recursing (a million
    /// levels overflowed the recording thread's stack) and cut where the reader's limit is, so
    /// that the line reads back: the container found kMaxJsonTermDepth levels down becomes
    /// :"mailroom:cut".
    void deepTermsAreWrittenAndCutAtTheReadersLimit_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addRow("lists") << 0;
        QTest::addRow("tuples") << 1;
        QTest::addRow("maps") << 2;
        QTest::addRow("a long improper list (not deep: written whole)") << 3;
    }
    void deepTermsAreWrittenAndCutAtTheReadersLimit()
    {
        QFETCH(int, kind);
        const auto wrap = [kind](const Term &inner) {
            switch (kind) {
            case 0:
                return Term::list({ inner });
            case 1:
                return Term::tuple({ inner });
            case 2:
                return Term::map({ { Term::atom("k"), inner } });
            default:
                return Term::list({ Term::integer(1) }, inner);
            }
        };
        Term deep = Term::atom("bottom");
        for (int i = 0; i < 1'000'000; ++i)
            deep = wrap(deep);
        Term expected = Term::atom("mailroom:cut");
        for (int i = 0; i < kMaxJsonTermDepth; ++i)
            expected = wrap(expected);
        if (kind == 3) // [1, 1, ... | :bottom]
            expected = deep;
        Event e;
        e.seq = 1;
        e.type = EventType::Send;
        e.term = deep;
        const std::string line = eventToJson(e);
        Event back;
        std::string error;
        QVERIFY2(readEventJsonLine(line, back, error), error.c_str());
        QVERIFY(back.term == expected);
        deep = Term();
        // Freed one level at a time too (Term's destructor); comparing does not recurse either.
        QVERIFY(!(back.term == Term()));
    }

    /// A state that stays as it is costs a short line whatever its size, and one that grows at
    /// the front costs its new elements: the file grows linearly, where writing every state in
    /// full grew it quadratically.
    void fileGrowsWithTheChangesNotTheState()
    {
        const auto size = [](const std::vector<Event> &events) {
            std::ostringstream out;
            (void)writeEventsJsonl(events, out);
            return out.str().size();
        };
        const size_t small = size(loggerRecord(2000, 0));
        const size_t large = size(loggerRecord(4000, 0));
        // Twice the casts, about twice the bytes (writing every state in full made it 4 times).
        QVERIFY2(
            large < small * 21 / 10, qPrintable(QStringLiteral("%1 then %2 bytes").arg(small).arg(large)));
        QVERIFY(large / 4001 < 200); // bytes per event, each event's state holding up to 4000 entries

        const size_t idle = size(loggerRecord(4000, 1000)) - large;
        QVERIFY2(
            idle / 1000 < 150, qPrintable(QStringLiteral("%1 bytes per unchanged state").arg(idle / 1000)));

        // And it reads back to the very states.
        std::ostringstream out;
        const std::vector<Event> original = loggerRecord(50, 5);
        (void)writeEventsJsonl(original, out);
        const std::vector<Event> back = readAll(out.str());
        QCOMPARE(back.size(), original.size());
        for (size_t i = 0; i < back.size(); ++i)
            QVERIFY2(back[i].term == original[i].term, qPrintable(QString::number(i)));
    }

    /// Equal states not shared in memory are still written as unchanged; -0.0 after 0.0 is a
    /// change (it would not read back), so is 1.0 after 1.
    void unchangedMeansWritesTheSame()
    {
        const auto states = [](std::vector<Term> terms) {
            std::vector<Event> events;
            uint64_t seq = 1;
            for (Term &t : terms)
                events.push_back(
                    stateEvent(seq, seq == 1 ? EventType::StateInit : EventType::HandlerEnd, 81, t)),
                    ++seq;
            std::ostringstream out;
            (void)writeEventsJsonl(events, out);
            const std::vector<Event> back = readAll(out.str());
            for (size_t i = 0; i < events.size(); ++i)
                if (eventToJson(back[i]) != eventToJson(events[i]))
                    qFatal("event %zu did not read back", i);
            return out.str();
        };
        const auto count = [](const std::string &text) {
            size_t n = 0;
            for (size_t at = text.find("{\"same\":true}"); at != std::string::npos;
                 at = text.find("{\"same\":true}", at + 1))
                ++n;
            return n;
        };
        const auto map = [] { return Term::map({ { "count"_a, Term::integer(1) }, { "name"_a, "x"_s } }); };
        QCOMPARE(count(states({ map(), map(), map() })), size_t(2));
        QCOMPARE(
            count(states({ Term::floating(0.0), Term::floating(-0.0), Term::floating(-0.0) })), size_t(1));
        QCOMPARE(count(states({ Term::integer(1), Term::floating(1.0) })), size_t(0));
        QCOMPARE(count(states({ Term::integer(7), Term::integer(7), "atom"_a, "atom"_a })), size_t(2));
    }

    /// The reader's memory of states: per pid, forgotten at the pid's exit, untouched by a bad line.
    void markersNeedAnEarlierState()
    {
        const auto line = [](const Event &e, const char *term) {
            std::string text = eventToJson(e);
            const std::string full = "\"term\":" + termToJson(e.term);
            text.replace(text.find(full), full.size(), std::string("\"term\":") + term);
            return text;
        };
        JsonlReader reader;
        Event e;
        std::string error;
        QVERIFY(reader.read(
            eventToJson(stateEvent(1, EventType::StateInit, 81, Term::list({ "a"_a }))), e, error));
        QVERIFY(
            !reader.read(line(stateEvent(2, EventType::HandlerEnd, 82, {}), R"({"same":true})"), e, error));
        QVERIFY2(QString::fromStdString(error).contains("no earlier state for pid 82"), error.c_str());
        QVERIFY(
            !reader.read(line(stateEvent(2, EventType::HandlerEnd, 81, {}), R"({"same":tru})"), e, error));
        QVERIFY(reader.read(
            line(stateEvent(2, EventType::HandlerEnd, 81, {}), R"({"prepend":[{"a":"b"}]})"), e, error));
        QCOMPARE(QString::fromStdString(e.term.inspect()), QStringLiteral("[:b, :a]"));
        QVERIFY(
            reader.read(line(stateEvent(3, EventType::HandlerEnd, 81, {}), R"({"same":true})"), e, error));
        QCOMPARE(QString::fromStdString(e.term.inspect()), QStringLiteral("[:b, :a]"));
        Event exit;
        exit.seq = 4;
        exit.type = EventType::Exit;
        exit.pid = Pid{ 81 };
        exit.term = "normal"_a;
        QVERIFY(reader.read(eventToJson(exit), e, error));
        QVERIFY(
            !reader.read(line(stateEvent(5, EventType::HandlerEnd, 81, {}), R"({"same":true})"), e, error));
        QVERIFY2(QString::fromStdString(error).contains("no earlier state for pid 81"), error.c_str());
    }

    void badLinesNameTheProblem_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("message");
        const QString good = QStringLiteral(
            R"({"seq":1,"time":5,"type":"send","kind":"cast","flags":0,"pid":80,"other":81,"ref":0,"term":{"a":"ok"},"extra":[]})");
        QTest::addRow("truncated") << good.left(40) << "column 41";
        QTest::addRow("unknown type") << QString(good).replace("\"send\"", "\"teleport\"") << "unknown event type \"teleport\"";
        QTest::addRow("missing field") << QString(good).replace(",\"ref\":0", "") << "missing field \"ref\"";
        QTest::addRow("bad term tag") << QString(good).replace("{\"a\":\"ok\"}", "{\"zz\":1}") << "unknown term tag \"zz\"";
        QTest::addRow("not json") << QStringLiteral("hello") << "expected '{' at column 1";
        QTest::addRow("trailing text") << good + "x"
                                       << "unexpected text after the event";
        QTest::addRow("negative line") << QString(good).replace(",\"ref\":0", ",\"ref\":0,\"line\":-1")
                                       << "\"line\" must be 0..4294967295";
        QTest::addRow("negative seq") << QString(good).replace("\"seq\":1", "\"seq\":-3") << "\"seq\" must be a positive integer";
        // A state marker read on its own has no earlier state to stand for; the column is the marker's.
        const QString end = QString(good).replace("\"send\"", "\"handler_end\"");
        const qsizetype column = end.indexOf(QStringLiteral("{\"a\":\"ok\"}")) + 1;
        QTest::addRow("dangling same")
            << QString(end).replace("{\"a\":\"ok\"}", "{\"same\":true}")
            << QStringLiteral("a \"same\" marker but no earlier state for pid 80 at column %1").arg(column);
        QTest::addRow("dangling prepend")
            << QString(end).replace("{\"a\":\"ok\"}", "{\"prepend\":[1]}")
            << QStringLiteral("a \"prepend\" marker but no earlier state for pid 80 at column %1")
                   .arg(column);
        QTest::addRow("marker for a message")
            << QString(good).replace("{\"a\":\"ok\"}", "{\"same\":true}")
            << QStringLiteral("stands only for the state of a handler_end or state_init at column %1")
                   .arg(good.indexOf(QStringLiteral("{\"a\":\"ok\"}")) + 1);
        // Each level of nesting is a level of the reader's recursion: past the limit a line is
        // refused (in a sanitizer's build, or on a small stack, possibly at a shallower level).
        QTest::addRow("nested too deeply")
            << QString(good).replace("\"extra\":[]",
                   "\"extra\":" + QString(100'000, u'[') + QString(100'000, u']'))
            << QStringLiteral("term nested too deeply (more than 1000 levels");
        QTest::addRow("marker inside a term")
            << QString(end).replace("{\"a\":\"ok\"}", "[{\"same\":true}]") << "unknown term tag \"same\"";
    }
    void seqsAreDenseAndAJumpIsRefusedWhereItIs()
    {
        const auto line = [](uint64_t seq) {
            return R"({"seq":)" + std::to_string(seq)
                + R"(,"time":5,"type":"send","kind":"cast","flags":0,"pid":80,"other":81,"ref":0,"term":{"a":"ok"},"extra":[]})";
        };
        JsonlReader reader;
        Event e;
        std::string error;
        QVERIFY(reader.read(line(38), e, error)); // a record that lost its oldest events starts later
        QVERIFY(!reader.read(line(9'007'199'254'740'991), e, error));
        QCOMPARE(QString::fromStdString(error),
            QStringLiteral("seq 9007199254740991 does not follow seq 38 (the next is 39) at column 8"));
        QVERIFY(!reader.read(line(38), e, error));
        QVERIFY2(QString::fromStdString(error).contains("seq 38 does not follow seq 38"), error.c_str());
        QVERIFY(!reader.read(line(37), e, error));
        QVERIFY(reader.read(line(39), e, error)); // a refused line changed nothing
        QCOMPARE(e.seq, uint64_t(39));
    }

    void badLinesNameTheProblem()
    {
        QFETCH(QString, line);
        QFETCH(QString, message);
        Event e;
        std::string error;
        QVERIFY(!readEventJsonLine(line.toStdString(), e, error));
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestEventJson)
#include "tst_eventjson.moc"
