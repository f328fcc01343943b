// SPDX-License-Identifier: MIT
// The Mermaid sequence diagram export: exact statements for small known records (calls with
// their replies, casts, plain messages, timers, exits, filters, escaping), and a real
// recorded run whose participants and arrows come out in the order they happened.
#include "export_mermaid.h"
#include "genserver.h"
#include "native_servers.h"

#include <QtTest>

#include <sstream>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

/// Builds a record by hand, one event a microsecond apart.
class Record {
public:
    uint64_t add(EventType type, uint32_t pid, uint32_t other = 0, Term term = {}, MessageKind kind = MessageKind::Info,
        uint64_t ref = 0, Term extra = {}, uint8_t flags = 0)
    {
        Event e;
        e.seq = ++m_seq;
        e.time = int64_t(m_seq) * 1000;
        e.type = type;
        e.pid = Pid{ pid };
        e.other = Pid{ other };
        e.term = std::move(term);
        e.kind = kind;
        e.ref = ref;
        e.extra = std::move(extra);
        e.flags = flags;
        m_events.push_back(e);
        return e.seq;
    }
    /// A call from `client` to `server` answered with `reply`: request, handler, reply.
    void call(uint32_t client, uint32_t server, const Term &request, const Term &reply)
    {
        const Term from = Term::tuple({ Term(Pid{ client }), Term(Ref{ 7 }) });
        add(EventType::BlockBegin, client, server, "call"_a, MessageKind::Call, 0, 5000_i);
        const uint64_t id
            = add(EventType::Send, client, server, Term::tuple({ "$gen_call"_a, from, request }), MessageKind::Call);
        add(EventType::Dequeue, server, client, {}, MessageKind::Call, id);
        add(EventType::HandlerBegin, server, client, Term::tuple({ "$gen_call"_a, from, request }), MessageKind::Call, id);
        const uint64_t answer = add(EventType::Send, server, client, Term::tuple({ Term(Ref{ 7 }), reply }), MessageKind::Reply);
        add(EventType::HandlerEnd, server, client, Term(), MessageKind::Call, id, Term::tuple({ "reply"_a, reply }));
        add(EventType::Dequeue, client, server, {}, MessageKind::Reply, answer);
        add(EventType::BlockEnd, client, server, "ok"_a, MessageKind::Call, 0, reply);
    }
    /// A message `server` handles in handle_cast or handle_info.
    void handled(uint32_t from, uint32_t server, const Term &message, MessageKind kind)
    {
        const uint64_t id = add(EventType::Send, from, server, message, kind);
        add(EventType::Dequeue, server, from, {}, kind, id);
        add(EventType::HandlerBegin, server, from, message, kind, id);
        add(EventType::HandlerEnd, server, from, Term(), kind, id, "noreply"_a);
    }
    /// `server` started by `parent` as GenServer.start does: spawn, init, acknowledgement.
    void started(uint32_t parent, uint32_t server, std::string_view module)
    {
        const Term label = Term::atom("Elixir." + std::string(module));
        add(EventType::Spawn, server, parent, label);
        add(EventType::StateInit, server, 0, Term(), MessageKind::Info, 0, label);
        const uint64_t ack = add(EventType::Send, server, parent,
            Term::tuple({ "$ack"_a, Term(Ref{ 1 }), Term::tuple({ "ok"_a, Term(Pid{ server }) }) }),
            MessageKind::System);
        add(EventType::Dequeue, parent, server, {}, MessageKind::System, ack);
    }
    [[nodiscard]] const std::vector<Event> &events() const { return m_events; }

private:
    uint64_t m_seq = 0;
    std::vector<Event> m_events;
};

QStringList diagram(const std::vector<Event> &events, const MermaidOptions &options = {})
{
    std::ostringstream out;
    (void)writeMermaidSequence(events, out, options);
    QStringList lines = QString::fromStdString(out.str()).split('\n');
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}

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

} // namespace

Q_DECLARE_METATYPE(std::vector<mailroom::Event>)
Q_DECLARE_METATYPE(mailroom::MermaidOptions)

class TestExportMermaid : public QObject {
    Q_OBJECT

private slots:
    void smallRecords_data()
    {
        QTest::addColumn<std::vector<Event>>("events");
        QTest::addColumn<MermaidOptions>("options");
        QTest::addColumn<QStringList>("expected");

        {
            // 18_slow_server_call: a call that sleeps in its handler, then the runtime ends.
            Record r;
            r.add(EventType::Spawn, 96, 0, "iex"_a);
            r.started(96, 132, "SlowServer");
            const Term from = Term::tuple({ Term(Pid{ 96 }), Term(Ref{ 2 }) });
            r.add(EventType::BlockBegin, 96, 132, "call"_a, MessageKind::Call, 0, 5000_i);
            const uint64_t id = r.add(EventType::Send, 96, 132, Term::tuple({ "$gen_call"_a, from, "sleep"_a }), MessageKind::Call);
            r.add(EventType::Dequeue, 132, 96, {}, MessageKind::Call, id);
            r.add(EventType::HandlerBegin, 132, 96, Term::tuple({ "$gen_call"_a, from, "sleep"_a }), MessageKind::Call, id);
            r.add(EventType::Output, 132, 0, "Starting sleep\n"_s);
            r.add(EventType::BlockBegin, 132, 0, "sleep"_a, MessageKind::Info, 0, 1000_i);
            r.add(EventType::BlockEnd, 132, 0, "ok"_a);
            const uint64_t reply = r.add(EventType::Send, 132, 96, Term::tuple({ Term(Ref{ 2 }), "response!"_s }), MessageKind::Reply);
            r.add(EventType::HandlerEnd, 132, 96, "nil"_a, MessageKind::Call, id, Term::tuple({ "reply"_a, "response!"_s }));
            r.add(EventType::Dequeue, 96, 132, {}, MessageKind::Reply, reply);
            r.add(EventType::BlockEnd, 96, 132, "ok"_a, MessageKind::Call, 0, "response!"_s);
            r.add(EventType::Exit, 96, 0, "normal"_a);
            r.add(EventType::Exit, 132, 0, "killed"_a, MessageKind::Info, 0, {}, EventCrashed);
            QTest::addRow("a call and its reply") << r.events() << MermaidOptions{}
                                                  << QStringList{
                                                         "sequenceDiagram",
                                                         "    participant p96 as iex #lt;0.96.0#gt;",
                                                         "    participant p132 as SlowServer #lt;0.132.0#gt;",
                                                         "    Note over p96,p132: spawn",
                                                         "    p132-->>p96: init ack {:ok, #35;PID#lt;0.132.0#gt;}",
                                                         "    p96->>p132: call :sleep",
                                                         "    activate p132",
                                                         "    Note over p132: sleep 1000 ms",
                                                         "    p132-->>p96: \"response!\"",
                                                         "    deactivate p132",
                                                         "    Note over p96: exit :normal",
                                                         "    Note over p132: exit :killed",
                                                     };
        }
        {
            // A named server gets casts and a plain message; a cast to a dead pid is lost.
            Record r;
            r.started(96, 132, "Counter");
            r.add(EventType::Register, 132, 0, "counter"_a);
            r.handled(96, 132, Term::tuple({ "$gen_cast"_a, "increment"_a }), MessageKind::Cast);
            r.handled(96, 132, "hello"_a, MessageKind::Info);
            r.add(EventType::Send, 96, 140, Term::tuple({ "$gen_cast"_a, "increment"_a }), MessageKind::Cast, 0, {},
                EventDropped);
            QTest::addRow("casts, plain messages and lost ones")
                << r.events() << MermaidOptions{}
                << QStringList{
                       "sequenceDiagram",
                       "    participant p96 as #lt;0.96.0#gt;",
                       "    participant p132 as counter",
                       "    participant p140 as #lt;0.140.0#gt;",
                       "    Note over p96,p132: spawn",
                       "    p132-->>p96: init ack {:ok, #35;PID#lt;0.132.0#gt;}",
                       "    p96-)p132: cast :increment",
                       "    activate p132",
                       "    deactivate p132",
                       "    p96--)p132: :hello",
                       "    activate p132",
                       "    deactivate p132",
                       "    p96-xp140: cast :increment (dropped)",
                   };
        }
        {
            // send_after to a server, fired and handled; a second timer cancelled.
            Record r;
            r.add(EventType::TimerSet, 96, 132, "tick"_a, MessageKind::Info, 3, Term::integer(2000 + 50'000'000));
            r.add(EventType::TimerSet, 96, 96, "later"_a, MessageKind::Info, 4, Term::integer(3000 + 1'000'000'000));
            r.add(EventType::TimerFire, 96, 0, "tick"_a, MessageKind::Info, 3);
            r.add(EventType::Output, 97, 0, "unrelated\n"_s); // another process between the firing and its delivery
            r.handled(96, 132, "tick"_a, MessageKind::Info);
            r.add(EventType::TimerCancel, 96, 0, {}, MessageKind::Info, 4);
            QTest::addRow("timers") << r.events() << MermaidOptions{}
                                    << QStringList{
                                           "sequenceDiagram",
                                           "    participant p96 as #lt;0.96.0#gt;",
                                           "    participant p132 as #lt;0.132.0#gt;",
                                           "    Note over p96,p132: timer 3: :tick in 50 ms",
                                           "    Note over p96: timer 4: :later in 1000 ms",
                                           "    p96--)p132: timer 3: :tick",
                                           "    activate p132",
                                           "    deactivate p132",
                                           "    Note over p96: timer 4 cancelled",
                                       };
        }
        {
            // Two timers of one setter fire together: each delivery names its timer, so
            // neither is taken for the other's (nor for a plain send).
            Record r;
            r.add(EventType::TimerSet, 96, 132, "tick"_a, MessageKind::Info, 3, Term::integer(2000 + 50'000'000));
            r.add(EventType::TimerSet, 96, 132, "tock"_a, MessageKind::Info, 4, Term::integer(3000 + 50'000'000));
            r.add(EventType::TimerFire, 96, 0, "tick"_a, MessageKind::Info, 3, {}, EventDeliveryTagged);
            r.add(EventType::TimerFire, 96, 0, "tock"_a, MessageKind::Info, 4, {}, EventDeliveryTagged);
            r.add(EventType::Send, 96, 132, "tick"_a, MessageKind::Info, 3);
            r.add(EventType::Send, 96, 132, "tock"_a, MessageKind::Info, 4);
            QTest::addRow("timers fired together") << r.events() << MermaidOptions{}
                                                   << QStringList{
                                                          "sequenceDiagram",
                                                          "    participant p96 as #lt;0.96.0#gt;",
                                                          "    participant p132 as #lt;0.132.0#gt;",
                                                          "    Note over p96,p132: timer 3: :tick in 50 ms",
                                                          "    Note over p96,p132: timer 4: :tock in 50 ms",
                                                          "    p96--)p132: timer 3: :tick",
                                                          "    p96--)p132: timer 4: :tock",
                                                      };
        }
        {
            // The setter sends the timer's message itself while its timer fires: only the
            // Send that names the timer is the delivery.
            Record r;
            r.add(EventType::TimerSet, 96, 132, "tick"_a, MessageKind::Info, 3, Term::integer(2000 + 50'000'000));
            r.add(EventType::TimerFire, 96, 0, "tick"_a, MessageKind::Info, 3, {}, EventDeliveryTagged);
            r.add(EventType::Send, 96, 132, "tick"_a, MessageKind::Info);
            r.add(EventType::Send, 96, 132, "tick"_a, MessageKind::Info, 3);
            QTest::addRow("own send beside a delivery") << r.events() << MermaidOptions{}
                                                        << QStringList{
                                                               "sequenceDiagram",
                                                               "    participant p96 as #lt;0.96.0#gt;",
                                                               "    participant p132 as #lt;0.132.0#gt;",
                                                               "    Note over p96,p132: timer 3: :tick in 50 ms",
                                                               "    p96--)p132: :tick",
                                                               "    p96--)p132: timer 3: :tick",
                                                           };
        }
        {
            // A call that times out; the reply comes late and is thrown away.
            Record r;
            const Term from = Term::tuple({ Term(Pid{ 96 }), Term(Ref{ 9 }) });
            r.add(EventType::BlockBegin, 96, 132, "call"_a, MessageKind::Call, 0, 100_i);
            const uint64_t id = r.add(EventType::Send, 96, 132, Term::tuple({ "$gen_call"_a, from, "slow"_a }), MessageKind::Call);
            r.add(EventType::Dequeue, 132, 96, {}, MessageKind::Call, id);
            r.add(EventType::HandlerBegin, 132, 96, Term::tuple({ "$gen_call"_a, from, "slow"_a }), MessageKind::Call, id);
            r.add(EventType::BlockEnd, 96, 132, "timeout"_a, MessageKind::Call, 0, {}, EventTimedOut);
            const uint64_t late = r.add(EventType::Send, 132, 96, Term::tuple({ Term(Ref{ 9 }), "done"_a }), MessageKind::Reply);
            r.add(EventType::HandlerEnd, 132, 96, Term(), MessageKind::Call, id, Term::tuple({ "reply"_a, "done"_a }));
            r.add(EventType::Dequeue, 96, 132, Term::tuple({ Term(Ref{ 9 }), "done"_a }), MessageKind::Reply, late, {},
                EventDiscarded);
            QTest::addRow("a call that times out")
                << r.events() << MermaidOptions{}
                << QStringList{
                       "sequenceDiagram",
                       "    participant p96 as #lt;0.96.0#gt;",
                       "    participant p132 as #lt;0.132.0#gt;",
                       "    p96->>p132: call :slow",
                       "    activate p132",
                       "    Note over p96: call timed out",
                       "    p132-->>p96: :done",
                       "    deactivate p132",
                       "    Note over p96: late reply discarded",
                   };
        }
        {
            // Texts that would end a statement, start a comment or read as HTML; long ones.
            Record r;
            r.add(EventType::Send, 96, 132, "a;b#c<d>%%e"_s);
            r.add(EventType::Send, 96, 132, Term::list({ 1_i, 2_i, 3_i, 4_i, 5_i, 6_i, 7_i, 8_i, 9_i }));
            r.add(EventType::Send, 96, 132, "héllo wörld"_s);
            MermaidOptions o;
            o.maxTextChars = 12;
            QTest::addRow("escaped and shortened texts") << r.events() << o
                                                         << QStringList{
                                                                "sequenceDiagram",
                                                                "    participant p96 as #lt;0.96.0#gt;",
                                                                "    participant p132 as #lt;0.132.0#gt;",
                                                                "    p96--)p132: \"a#59;b#35;c#lt;d#gt;#37;%…",
                                                                "    p96--)p132: [1, 2, 3, 4…",
                                                                "    p96--)p132: \"héllo wörl…",
                                                            };
        }
        {
            // Three processes; only what 132 does and what it exchanges is kept.
            Record r;
            r.call(96, 132, "get"_a, 1_i);
            r.call(96, 133, "get"_a, 2_i);
            r.handled(133, 132, "hello"_a, MessageKind::Info);
            r.add(EventType::Exit, 133, 0, "normal"_a);
            r.add(EventType::Exit, 132, 0, "normal"_a);
            MermaidOptions o;
            o.pids = { Pid{ 132 } };
            QTest::addRow("only one process") << r.events() << o
                                              << QStringList{
                                                     "sequenceDiagram",
                                                     "    participant p96 as #lt;0.96.0#gt;",
                                                     "    participant p132 as #lt;0.132.0#gt;",
                                                     "    participant p133 as #lt;0.133.0#gt;",
                                                     "    p96->>p132: call :get",
                                                     "    activate p132",
                                                     "    p132-->>p96: 1",
                                                     "    deactivate p132",
                                                     "    p133--)p132: :hello",
                                                     "    activate p132",
                                                     "    deactivate p132",
                                                     "    Note over p132: exit :normal",
                                                 };
        }
        {
            // A range that starts inside one handler and ends inside the next.
            Record r;
            r.handled(96, 132, "first"_a, MessageKind::Info); // seq 1-4
            r.handled(96, 132, "second"_a, MessageKind::Info); // seq 5-8
            MermaidOptions o;
            o.firstSeq = 4; // the first handler's end
            o.lastSeq = 7; // the second handler's begin
            QTest::addRow("a range of events") << r.events() << o
                                               << QStringList{
                                                      "sequenceDiagram",
                                                      "    participant p96 as #lt;0.96.0#gt;",
                                                      "    participant p132 as #lt;0.132.0#gt;",
                                                      "    p96--)p132: :second",
                                                      "    activate p132",
                                                      "    deactivate p132",
                                                  };
        }
    }
    void smallRecords()
    {
        QFETCH(std::vector<Event>, events);
        QFETCH(MermaidOptions, options);
        QFETCH(QStringList, expected);
        const QStringList lines = diagram(events, options);
        if (lines != expected) {
            qWarning().noquote() << "got:\n" + lines.join('\n');
        }
        QCOMPARE(lines, expected);
    }

    void escaping_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("escaped");
        QTest::addRow("plain") << "call :get_count"
                               << "call :get_count";
        QTest::addRow("semicolon") << "a;b"
                                   << "a#59;b";
        QTest::addRow("hash") << "#PID"
                              << "#35;PID";
        QTest::addRow("angle brackets") << "<0.96.0>"
                                        << "#lt;0.96.0#gt;";
        QTest::addRow("comment start") << "%%{x}"
                                       << "#37;%{x}";
        QTest::addRow("a map") << "%{a: 1}"
                               << "%{a: 1}";
        QTest::addRow("line breaks") << "a\nb\tc"
                                     << "a b c";
        QTest::addRow("utf-8 stays") << "héllo"
                                     << "héllo";
    }
    void escaping()
    {
        QFETCH(QString, text);
        QFETCH(QString, escaped);
        QCOMPARE(QString::fromStdString(mermaidEscape(text.toStdString())), escaped);
    }

    /// A real run: a client starts a named Counter and a Receiver, calls, casts and sends.
    void aRecordedRun()
    {
        RuntimeOptions o;
        o.schedulers = 2;
        o.clockMode = Clock::Mode::Real;
        o.speed = 50;
        o.output = [](Pid, std::string_view) {};
        o.errorReport = [](std::string_view) {};
        Runtime rt(o);
        struct Pids {
            Pid client, counter, receiver;
        } pids;
        Pids *p = &pids;
        SpawnOptions s;
        s.joinable = true;
        const Pid client = rt.spawn(
            [p] {
                p->client = proc::self();
                p->counter = startCatalog("Counter", "counter");
                p->receiver = startCatalog("Receiver");
                (void)gen::call("counter"_a, "get_count"_a, std::nullopt);
                gen::cast(proc::runtime(), "counter"_a, "increment"_a);
                proc::send(Term(p->receiver), "message"_a);
                (void)gen::call("counter"_a, "get_count"_a, std::nullopt);
            },
            s);
        QVERIFY(rt.join(client, 20'000).has_value());
        rt.shutdown();

        std::ostringstream out;
        const size_t statements = writeMermaidSequence(rt.events(), out);
        const QStringList lines = QString::fromStdString(out.str()).split('\n', Qt::SkipEmptyParts);
        QVERIFY(statements > 10);
        QCOMPARE(size_t(lines.size()), statements + 4); // the header and three participants

        const QString c = QString("p%1").arg(pids.client.number);
        const QString n = QString("p%1").arg(pids.counter.number);
        const QString r = QString("p%1").arg(pids.receiver.number);
        QCOMPARE(lines.mid(0, 4), QStringList({ "sequenceDiagram", "    participant " + c + " as #lt;0." + c.mid(1) + ".0#gt;", "    participant " + n + " as counter", "    participant " + r + " as Receiver #lt;0." + r.mid(1) + ".0#gt;" }));
        // What the client did, in order, with the replies and handlers in between.
        const QStringList expected{
            "    " + n + "-->>" + c + ": init ack {:ok, #35;PID#lt;0." + n.mid(1) + ".0#gt;}",
            "    " + c + "->>" + n + ": call :get_count",
            "    " + n + "-->>" + c + ": 0",
            "    " + c + "-)" + n + ": cast :increment",
            "    " + c + "--)" + r + ": :message",
            "    " + c + "->>" + n + ": call :get_count",
            "    " + n + "-->>" + c + ": 1",
            "    Note over " + c + ": exit :normal",
        };
        qsizetype at = 0;
        for (const QString &line : expected) {
            at = lines.indexOf(line, at);
            QVERIFY2(at >= 0, qPrintable("missing or out of order: " + line + "\n" + lines.join('\n')));
        }
        // Every statement is one Mermaid knows.
        const QRegularExpression statement(
            R"(^    (p\d+(->>|-->>|-\)|--\)|-x)p\d+: .+|activate p\d+|deactivate p\d+|Note over p\d+(,p\d+)?: .+)$)");
        for (const QString &line : lines.mid(4))
            QVERIFY2(statement.match(line).hasMatch(), qPrintable(line));
        // Activations balance per process.
        for (const QString &who : { c, n, r })
            QCOMPARE(lines.count("    activate " + who), lines.count("    deactivate " + who));
        QCOMPARE(lines.count("    activate " + n), 3);
        QCOMPARE(lines.count("    activate " + r), 1);
    }
};

QTEST_GUILESS_MAIN(TestExportMermaid)
#include "tst_export_mermaid.moc"
