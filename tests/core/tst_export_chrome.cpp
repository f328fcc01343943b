// SPDX-License-Identifier: MIT
// The Chrome trace export of a real recorded run parses as JSON and shows what happened:
// one named track per process, a slice per handler execution and blocked wait at the
// recorded times, one arrow per delivered message bound to the handler that ran it, and
// the exits with their reasons.
#include "export_chrome.h"
#include "genserver.h"
#include "native_servers.h"

#include <QtTest>

#include <map>
#include <sstream>

using namespace mailroom;
using namespace mailroom::literals;

namespace {

/// One trace event as the test reads it back.
struct TraceEvent {
    int index = 0; // position in the file
    QString ph;
    QString name;
    QString cat;
    qint64 tid = 0;
    qint64 ns = 0; // ts in virtual nanoseconds
    qint64 id = 0;
    QString bp;
    QJsonObject args;
};

/// A slice rebuilt from its B and E events.
struct Slice {
    qint64 tid = 0;
    QString name;
    QString cat;
    qint64 begin = 0;
    qint64 end = -1;
    int beginIndex = 0;
};

struct Parsed {
    QString error;
    std::vector<TraceEvent> events;
    std::map<qint64, QStringList> threadNames;
    std::vector<Slice> slices;
    QStringList problems; // flows with nothing to bind to, E without B
};

Parsed parse(const std::string &json)
{
    Parsed p;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
    if (error.error != QJsonParseError::NoError) {
        p.error = error.errorString() + " at " + QString::number(error.offset);
        return p;
    }
    const QJsonArray array = doc.object().value("traceEvents").toArray();
    for (int i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        TraceEvent e;
        e.index = i;
        e.ph = o.value("ph").toString();
        e.name = o.value("name").toString();
        e.cat = o.value("cat").toString();
        e.tid = o.value("tid").toInteger();
        e.ns = std::llround(o.value("ts").toDouble() * 1000.0);
        e.id = o.value("id").toInteger();
        e.bp = o.value("bp").toString();
        e.args = o.value("args").toObject();
        if (e.ph == "M" && e.name == "thread_name")
            p.threadNames[e.tid].append(e.args.value("name").toString());
        p.events.push_back(e);
    }
    // Per track, in file order: the open slices, and whether an instant was just written
    // (an arrow with no open slice binds to the instant written right before it).
    std::map<qint64, std::vector<size_t>> open;
    std::map<qint64, const TraceEvent *> last;
    for (const TraceEvent &e : p.events) {
        if (e.ph == "M")
            continue;
        auto &stack = open[e.tid];
        if (e.ph == "B") {
            p.slices.push_back(Slice{ e.tid, e.name, e.cat, e.ns, -1, e.index });
            stack.push_back(p.slices.size() - 1);
        } else if (e.ph == "E") {
            if (stack.empty()) {
                p.problems.append(QString("E without B at %1").arg(e.index));
            } else {
                p.slices[stack.back()].end = e.ns;
                stack.pop_back();
            }
        } else if (e.ph == "s" || e.ph == "f") {
            const TraceEvent *before = last[e.tid];
            const bool anchored = before != nullptr && before->ph == "i" && before->ns == e.ns;
            if (stack.empty() && !anchored)
                p.problems.append(QString("flow %1 %2 has no slice to bind to").arg(e.ph).arg(e.id));
            if (e.ph == "f" && e.bp != "e")
                p.problems.append(QString("flow end %1 does not bind to its enclosing slice").arg(e.id));
        }
        last[e.tid] = &e;
    }
    for (const auto &[tid, stack] : open)
        if (!stack.empty())
            p.problems.append(QString("slice left open on track %1").arg(tid));
    return p;
}

qint64 tidOf(Pid pid) { return pid.number; }

QString pidText(Pid pid) { return QString("<0.%1.0>").arg(pid.number); }

/// The pids of the recorded run, filled in by its client process.
struct Cast {
    Pid client;
    Pid counter;
    Pid slow;
    Pid receiver;
    Pid doomed;
};

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

class TestExportChrome : public QObject {
    Q_OBJECT

    std::vector<Event> m_record;
    Cast m_cast;
    std::string m_json;
    size_t m_written = 0;
    std::string m_jsonFromLog;
    Parsed m_trace;

    [[nodiscard]] std::vector<const Event *> recorded(EventType type) const
    {
        std::vector<const Event *> out;
        for (const Event &e : m_record)
            if (e.type == type)
                out.push_back(&e);
        return out;
    }

    [[nodiscard]] std::vector<const TraceEvent *> traced(const QString &ph) const
    {
        std::vector<const TraceEvent *> out;
        for (const TraceEvent &e : m_trace.events)
            if (e.ph == ph)
                out.push_back(&e);
        return out;
    }

    [[nodiscard]] Pid pidNamed(const QString &who) const
    {
        if (who == "client")
            return m_cast.client;
        if (who == "counter")
            return m_cast.counter;
        if (who == "slow")
            return m_cast.slow;
        if (who == "receiver")
            return m_cast.receiver;
        return m_cast.doomed;
    }

private slots:
    /// A client calls and casts to catalog servers, sends a plain message, sets a timer,
    /// and spawns a process that exits with :boom; the runtime's shutdown kills the servers.
    void initTestCase()
    {
        RuntimeOptions o;
        o.schedulers = 2;
        o.clockMode = Clock::Mode::Real;
        o.speed = 50; // Counter's one-second cast takes 20 ms
        o.output = [](Pid, std::string_view) {};
        o.errorReport = [](std::string_view) {};
        Runtime rt(o);
        Cast *cast = &m_cast;
        SpawnOptions s;
        s.joinable = true;
        const Pid client = rt.spawn(
            [cast] {
                cast->client = proc::self();
                cast->counter = startCatalog("Counter", "counter");
                cast->slow = startCatalog("SlowServer");
                cast->receiver = startCatalog("Receiver");
                (void)gen::call("counter"_a, "get_count"_a, std::nullopt);
                gen::cast(proc::runtime(), "counter"_a, "increment"_a);
                (void)gen::call(Term(cast->slow), Term::tuple({ "sleep"_a, 100_i }), std::nullopt);
                (void)proc::runtime().sendAfter(Term(cast->receiver), "message"_a, 50);
                proc::send(Term(cast->receiver), "message"_a);
                (void)gen::call("counter"_a, "get_count"_a, std::nullopt); // waits for the increment
                cast->doomed = proc::spawn([] { proc::exit("boom"_a); });
                proc::sleep(200); // the timer fires meanwhile
            },
            s);
        QVERIFY(rt.join(client, 20'000).has_value());
        rt.shutdown();
        rt.events().read(1, 1'000'000, m_record);
        QVERIFY(m_record.size() > 50);

        std::ostringstream fromVector;
        m_written = writeChromeTrace(m_record, fromVector);
        m_json = fromVector.str();
        std::ostringstream fromLog;
        (void)writeChromeTrace(rt.events(), fromLog);
        m_jsonFromLog = fromLog.str();
        m_trace = parse(m_json);
    }

    void parsesAsJson()
    {
        QVERIFY2(m_trace.error.isEmpty(), qPrintable(m_trace.error));
        QCOMPARE(m_trace.events.size(), m_written);
        QVERIFY2(m_trace.problems.isEmpty(), qPrintable(m_trace.problems.join("\n")));
    }

    void theLogAndItsCopyExportTheSame() { QVERIFY(m_json == m_jsonFromLog); }

    void everyTrackIsNamedOnce()
    {
        for (const TraceEvent &e : m_trace.events) {
            if (e.ph == "M")
                continue;
            QVERIFY2(m_trace.threadNames.count(e.tid) == 1, qPrintable(QString("track %1 has no name").arg(e.tid)));
        }
        for (const auto &[tid, names] : m_trace.threadNames)
            QVERIFY2(names.size() == 1, qPrintable(names.join(", ")));
    }

    void tracksAreNamedAfterTheirProcess_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("registered");
        QTest::addRow("plain client") << "client"
                                      << ""
                                      << "";
        QTest::addRow("named server") << "counter"
                                      << "Counter"
                                      << "counter";
        QTest::addRow("unnamed server") << "slow"
                                        << "SlowServer"
                                        << "";
        QTest::addRow("info handler") << "receiver"
                                      << "Receiver"
                                      << "";
        QTest::addRow("short-lived process") << "doomed"
                                             << ""
                                             << "";
    }
    void tracksAreNamedAfterTheirProcess()
    {
        QFETCH(QString, who);
        QFETCH(QString, module);
        QFETCH(QString, registered);
        const Pid pid = pidNamed(who);
        QString expected = module.isEmpty() ? pidText(pid) : module + " " + pidText(pid);
        if (!registered.isEmpty())
            expected = registered + " (" + expected + ")";
        QVERIFY(m_trace.threadNames.count(tidOf(pid)) == 1);
        QCOMPARE(m_trace.threadNames.at(tidOf(pid)).front(), expected);
    }

    /// Every handler execution is one slice on its server's track, from HandlerBegin to
    /// HandlerEnd; the cast that sleeps a second lasts at least that long.
    void handlerExecutionsAreSlices()
    {
        std::vector<const Slice *> handlers;
        for (const Slice &s : m_trace.slices)
            if (s.cat == "handler")
                handlers.push_back(&s);
        const auto begins = recorded(EventType::HandlerBegin);
        QCOMPARE(handlers.size(), begins.size());
        for (const Event *begin : begins) {
            const Event *end = nullptr;
            for (const Event &e : m_record)
                if (e.type == EventType::HandlerEnd && e.ref == begin->ref)
                    end = &e;
            QVERIFY(end != nullptr);
            const auto match = std::find_if(handlers.begin(), handlers.end(), [&](const Slice *s) {
                return s->tid == tidOf(begin->pid) && s->begin == begin->time;
            });
            QVERIFY2(match != handlers.end(), begin->term.inspect().c_str());
            QCOMPARE((*match)->end, end->time);
            QVERIFY((*match)->end >= (*match)->begin);
        }
    }

    void slicesHaveTheExpectedNamesAndDurations_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("count");
        QTest::addColumn<qint64>("atLeastMs");
        QTest::addRow("calls") << "counter"
                               << "call :get_count" << 2 << qint64(0);
        QTest::addRow("a cast that sleeps") << "counter"
                                            << "cast :increment" << 1 << qint64(1000);
        QTest::addRow("a slow call") << "slow"
                                     << "call {:sleep, 100}" << 1 << qint64(100);
        QTest::addRow("the server's sleep") << "slow"
                                            << "sleep 100 ms" << 1 << qint64(100);
        QTest::addRow("plain message and timer") << "receiver"
                                                 << "info :message" << 2 << qint64(0);
        QTest::addRow("the client's sleep") << "client"
                                            << "sleep 200 ms" << 1 << qint64(200);
    }
    void slicesHaveTheExpectedNamesAndDurations()
    {
        QFETCH(QString, who);
        QFETCH(QString, name);
        QFETCH(int, count);
        QFETCH(qint64, atLeastMs);
        const qint64 first = m_record.front().time;
        const qint64 last = m_record.back().time;
        int found = 0;
        for (const Slice &s : m_trace.slices) {
            if (s.tid != tidOf(pidNamed(who)) || s.name != name)
                continue;
            ++found;
            QVERIFY(s.begin >= first && s.end <= last);
            QVERIFY2(s.end - s.begin >= atLeastMs * 1'000'000,
                qPrintable(QString("%1 lasted %2 ns").arg(name).arg(s.end - s.begin)));
            QVERIFY(s.end - s.begin < 60'000'000'000); // and not a minute of virtual time
        }
        QCOMPARE(found, count);
    }

    /// The client's calls are slices on its track while it waits for the reply.
    void blockedCallsAreSlicesOnTheCaller()
    {
        QStringList waits;
        for (const Slice &s : m_trace.slices)
            if (s.tid == tidOf(m_cast.client) && s.cat == "blocked")
                waits.append(s.name);
        const QString counter = "call to counter (Counter " + pidText(m_cast.counter) + ")";
        const QString slow = "call to SlowServer " + pidText(m_cast.slow);
        QCOMPARE(waits, QStringList({ counter, slow, counter, "sleep 200 ms" }));
    }

    /// The record says which Send delivers the timer's message: the TimerFire is tagged and
    /// that one Send carries the timer's id, every other Send none.
    void theTimersDeliveryNamesItsTimer()
    {
        const auto timerSets = recorded(EventType::TimerSet);
        QCOMPARE(timerSets.size(), size_t(1));
        const uint64_t timer = timerSets[0]->ref;
        const auto fires = recorded(EventType::TimerFire);
        QCOMPARE(fires.size(), size_t(1));
        QCOMPARE(fires[0]->ref, timer);
        QVERIFY((fires[0]->flags & EventDeliveryTagged) != 0);
        std::vector<const Event *> deliveries;
        for (const Event *e : recorded(EventType::Send))
            if (e->ref != 0)
                deliveries.push_back(e);
        QCOMPARE(deliveries.size(), size_t(1));
        QCOMPARE(deliveries[0]->ref, timer);
        QCOMPARE(deliveries[0]->pid, m_cast.client);
        QCOMPARE(deliveries[0]->other, m_cast.receiver);
        QVERIFY(deliveries[0]->seq > fires[0]->seq);
    }

    /// One flow start and one flow end per delivered message, with the same id; the end
    /// sits on the receiver's handler when one ran the message.
    void everyDeliveredMessageIsOneArrow()
    {
        std::map<std::pair<QString, qint64>, std::vector<const TraceEvent *>> starts;
        std::map<std::pair<QString, qint64>, std::vector<const TraceEvent *>> ends;
        for (const TraceEvent *e : traced("s"))
            starts[{ e->cat, e->id }].push_back(e);
        for (const TraceEvent *e : traced("f"))
            ends[{ e->cat, e->id }].push_back(e);

        std::map<uint64_t, const Event *> sends;
        for (const Event *e : recorded(EventType::Send))
            sends[e->seq] = e;
        const auto timerSets = recorded(EventType::TimerSet);
        QCOMPARE(timerSets.size(), size_t(1));

        const auto dequeues = recorded(EventType::Dequeue);
        QCOMPARE(ends.size(), dequeues.size());
        int timerArrows = 0;
        for (const Event *dq : dequeues) {
            const Event *send = sends.at(dq->ref);
            // The timer's message flows from the send_after, under the TimerSet's seq.
            const bool byTimer = send->pid == m_cast.client && send->other == m_cast.receiver
                && dq->pid == m_cast.receiver && !ends.contains({ "message", qint64(dq->ref) });
            const std::pair<QString, qint64> key = byTimer ? std::pair<QString, qint64>("timer", timerSets[0]->seq)
                                                           : std::pair<QString, qint64>("message", dq->ref);
            timerArrows += byTimer ? 1 : 0;
            QVERIFY2(starts[key].size() == 1, qPrintable(QString("message %1 has %2 starts").arg(dq->ref).arg(starts[key].size())));
            QVERIFY2(ends[key].size() == 1, qPrintable(QString("message %1 has %2 ends").arg(dq->ref).arg(ends[key].size())));
            const TraceEvent *start = starts[key].front();
            const TraceEvent *end = ends[key].front();
            QCOMPARE(start->name, end->name);
            QCOMPARE(start->tid, byTimer ? tidOf(timerSets[0]->pid) : tidOf(send->pid));
            QCOMPARE(start->ns, byTimer ? timerSets[0]->time : send->time);
            QCOMPARE(end->tid, tidOf(dq->pid));

            const Event *handler = nullptr;
            for (const Event &e : m_record)
                if (e.type == EventType::HandlerBegin && e.ref == dq->ref)
                    handler = &e;
            if (handler != nullptr) {
                // Bound to the handler: written right after the handler's slice begins.
                QCOMPARE(end->ns, handler->time);
                const TraceEvent &before = m_trace.events[size_t(end->index - 1)];
                QCOMPARE(before.ph, QString("B"));
                QCOMPARE(before.cat, QString("handler"));
                QCOMPARE(before.tid, end->tid);
            } else {
                QCOMPARE(end->ns, dq->time);
            }
        }
        QCOMPARE(timerArrows, 1);
        // No other flow ends, and starts only for messages nobody took out of a mailbox.
        for (const auto &[key, list] : ends)
            QVERIFY(starts.contains(key));
    }

    void repliesEndOnTheWaitingCall()
    {
        int replies = 0;
        for (const TraceEvent *f : traced("f")) {
            if (f->name != "reply")
                continue;
            ++replies;
            QCOMPARE(f->tid, tidOf(m_cast.client));
            const auto enclosing = std::find_if(m_trace.slices.begin(), m_trace.slices.end(), [&](const Slice &s) {
                return s.tid == f->tid && s.cat == "blocked" && s.begin <= f->ns && f->ns <= s.end;
            });
            QVERIFY(enclosing != m_trace.slices.end());
            QVERIFY(enclosing->name.startsWith("call to "));
        }
        QCOMPARE(replies, 3);
    }

    void exitsAreInstantsWithTheirReason_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("reason");
        QTest::addRow("normal end") << "client"
                                    << ":normal";
        QTest::addRow("exit/1") << "doomed"
                                << ":boom";
        QTest::addRow("killed at shutdown") << "counter"
                                            << ":killed";
        QTest::addRow("killed while idle") << "receiver"
                                           << ":killed";
    }
    void exitsAreInstantsWithTheirReason()
    {
        QFETCH(QString, who);
        QFETCH(QString, reason);
        int exits = 0;
        for (const TraceEvent *e : traced("i")) {
            if (e->tid != tidOf(pidNamed(who)) || !e->name.startsWith("exit "))
                continue;
            ++exits;
            QCOMPARE(e->name, "exit " + reason);
            QCOMPARE(e->args.value("reason").toString(), reason);
        }
        QCOMPARE(exits, 1);
    }

    /// Thousands of processes come and go, each sending a DOWN after its exit: each track
    /// is named once, with the name it had, and every arrow binds.
    void processesThatComeAndGo()
    {
        std::vector<Event> events;
        uint64_t seq = 0;
        const auto add = [&](EventType type, uint32_t pid, uint32_t other, Term term = {}, MessageKind kind = MessageKind::Info,
                             uint64_t ref = 0) {
            Event e;
            e.seq = ++seq;
            e.time = int64_t(seq) * 1000;
            e.type = type;
            e.pid = Pid{ pid };
            e.other = Pid{ other };
            e.term = std::move(term);
            e.kind = kind;
            e.ref = ref;
            events.push_back(e);
            return e.seq;
        };
        constexpr uint32_t kWatcher = 80;
        constexpr uint32_t kWorkers = 5000;
        add(EventType::Spawn, kWatcher, 0);
        for (uint32_t n = 0; n < kWorkers; ++n) {
            const uint32_t worker = 100 + n;
            add(EventType::Spawn, worker, kWatcher, "Elixir.Worker"_a);
            add(EventType::Exit, worker, 0, "normal"_a);
            const uint64_t down = add(EventType::Send, worker, kWatcher, Term::tuple({ "DOWN"_a, Term(Pid{ worker }) }));
            add(EventType::Dequeue, kWatcher, worker, {}, MessageKind::Info, down);
        }
        std::ostringstream out;
        (void)writeChromeTrace(events, out);
        const Parsed p = parse(out.str());
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QVERIFY2(p.problems.isEmpty(), qPrintable(p.problems.mid(0, 5).join("\n")));
        QCOMPARE(p.threadNames.size(), size_t(kWorkers + 1));
        for (const auto &[tid, names] : p.threadNames) {
            QCOMPARE(names.size(), 1);
            if (tid != kWatcher)
                QCOMPARE(names.front(), QString("Worker <0.%1.0>").arg(tid));
        }
        QCOMPARE(int(std::count_if(p.events.begin(), p.events.end(), [](const TraceEvent &e) { return e.ph == "f"; })),
            int(kWorkers));
    }

    /// A server whose state grows to a long list: each handler's details show it as inspect
    /// does (the first 50 elements), its name the start of the message, cut.
    void aLargeStateIsShownCut()
    {
        std::vector<Term> items;
        for (int64_t i = 0; i < 200'000; ++i)
            items.push_back(Term::integer(i));
        const Term state = Term::list(items);
        std::vector<Event> events;
        uint64_t seq = 0;
        for (int n = 0; n < 200; ++n) {
            for (const EventType type : { EventType::HandlerBegin, EventType::HandlerEnd }) {
                Event e;
                e.seq = ++seq;
                e.time = int64_t(seq) * 1000;
                e.type = type;
                e.kind = MessageKind::Cast;
                e.pid = Pid{ 80 };
                e.ref = 1000 + uint64_t(n);
                e.term = type == EventType::HandlerBegin ? Term::tuple({ "$gen_cast"_a, Term::tuple({ "push"_a, state }) }) : state;
                e.extra = "noreply"_a;
                events.push_back(e);
            }
        }
        std::ostringstream out;
        (void)writeChromeTrace(events, out);
        const Parsed p = parse(out.str());
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        const QString inspected = QString::fromStdString(state.inspect());
        QVERIFY(inspected.endsWith(", 49, ...]"));
        int ends = 0;
        for (const TraceEvent &e : p.events) {
            if (e.ph == "B") {
                QVERIFY2(e.name.startsWith("cast {:push, [0, 1, 2, 3,") && e.name.endsWith("…"), qPrintable(e.name));
                QCOMPARE(e.name.size(), qsizetype(5 + 48)); // "cast " and 48 characters of the message
            }
            if (e.ph != "E")
                continue;
            ++ends;
            QCOMPARE(e.args.value("state").toString(), inspected);
        }
        QCOMPARE(ends, 200);
    }

    /// A record whose oldest events were dropped: messages sent before it begins have no
    /// arrow at all rather than an end without a start.
    void aTrimmedRecordDrawsNoHalfArrows()
    {
        std::vector<Event> events;
        const auto add = [&](uint64_t seq, EventType type, uint32_t pid, uint32_t other, uint64_t ref = 0) {
            Event e;
            e.seq = seq;
            e.time = int64_t(seq) * 1000;
            e.type = type;
            e.pid = Pid{ pid };
            e.other = Pid{ other };
            e.ref = ref;
            e.term = "ping"_a;
            events.push_back(e);
        };
        add(100, EventType::Dequeue, 81, 80, 90); // its Send (seq 90) was dropped from the log
        add(101, EventType::Send, 81, 80);
        add(102, EventType::Dequeue, 80, 81, 101);
        std::ostringstream out;
        (void)writeChromeTrace(events, out);
        const Parsed p = parse(out.str());
        QVERIFY2(p.problems.isEmpty(), qPrintable(p.problems.join("\n")));
        QStringList flows;
        for (const TraceEvent &e : p.events)
            if (e.ph == "s" || e.ph == "f")
                flows.append(e.ph + QString::number(e.id));
        QCOMPARE(flows, QStringList({ "s101", "f101" }));
    }
};

QTEST_GUILESS_MAIN(TestExportChrome)
#include "tst_export_chrome.moc"
