// The event record's JSON Lines: a real run exports and reads back identically; bad lines
// are rejected with the column of the problem.
#include "eventjson.h"
#include "genserver.h"
#include "catalog.h"

#include <QtTest>

#include <sstream>

using namespace mailroom;
using namespace mailroom::literals;

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
                const CatalogEntry *entry = findCatalogEntry("PledgeServer");
                gen::StartOptions start;
                start.name = Atom::intern("pledge_server");
                (void)gen::start(proc::runtime(), entry->make(), entry->defaultArg, start);
                (void)gen::call("pledge_server"_a, Term::tuple({"create_pledge"_a, "héllo\n\"q\""_s, Term::integer(20)}));
                proc::send(Term(proc::self()), Term::tuple({Term::floating(0.1), Term::list({Term::integer(1)}, "tail"_a),
                                                            Term::binary(std::string("\xff\x00", 2)),
                                                            Term::integer(INT64_MIN)}));
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

        std::istringstream in(out.str());
        std::string line;
        size_t i = 0;
        while (std::getline(in, line)) {
            Event back;
            std::string error;
            QVERIFY2(readEventJsonLine(line, back, error), error.c_str());
            const Event &e = original[i++];
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
            QCOMPARE(eventToJson(back), line); // and writes the same line again
        }
        QCOMPARE(i, written);
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
        QTest::addRow("trailing text") << good + "x" << "unexpected text after the event";
        QTest::addRow("negative seq") << QString(good).replace("\"seq\":1", "\"seq\":-3") << "\"seq\" must be a positive integer";
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
