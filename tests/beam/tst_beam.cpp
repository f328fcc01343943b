// SPDX-License-Identifier: MIT
// The real BEAM as Mailroom's second backend (docs/beam.md), checked with real Elixir: what
// `mailroom-run --beam` and `mailroom-run --attach` record, what the tracer leaves behind on the
// node it watched, and the BEAM as an oracle for the embedded runtime's record.

#include "beamnode.h"
#include "eventjson.h"
#include "eventlog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>
#include <map>

using namespace mailroom;

namespace {

const QString kRun = QStringLiteral(MAILROOM_RUN_PATH);
const QString kScripts = QStringLiteral(BEAM_TEST_SCRIPTS);
const QString kEbin = QStringLiteral(MAILROOM_BEAM_EBIN);
const QString kConformance = QStringLiteral(CONFORMANCE_DIR);

struct Run {
    int status = -1;
    QByteArray out;
    QByteArray err;
    std::vector<Event> events;
    QString readError;
};

std::vector<Event> readRecord(const QString &path, QString &error)
{
    std::vector<Event> events;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = "no record at " + path;
        return events;
    }
    JsonlReader reader;
    int line = 0;
    while (!file.atEnd()) {
        const QByteArray text = file.readLine().chopped(1);
        ++line;
        Event e;
        std::string why;
        if (!reader.read(std::string_view(text.constData(), size_t(text.size())), e, why)) {
            error = QString("line %1: %2").arg(line).arg(QString::fromStdString(why));
            return events;
        }
        events.push_back(std::move(e));
    }
    return events;
}

Run runMailroom(const QStringList &args, int timeoutMs = 120000)
{
    QTemporaryDir dir;
    const QString events = dir.filePath("out.jsonl");
    QProcess p;
    p.setWorkingDirectory(QDir(kScripts).absoluteFilePath("../../.."));
    p.start(kRun, QStringList{ "--events", events } + args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.readError = "mailroom-run did not finish";
        return r;
    }
    r.status = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    if (QFile::exists(events))
        r.events = readRecord(events, r.readError);
    return r;
}

bool isAtom(const Term &t, const char *name) { return t.isAtom() && t.isAtom(name); }

std::vector<const Event *> ofType(const std::vector<Event> &events, EventType type, Pid pid = {})
{
    std::vector<const Event *> out;
    for (const Event &e : events)
        if (e.type == type && (!pid.isValid() || e.pid == pid))
            out.push_back(&e);
    return out;
}

Pid spawnedAs(const std::vector<Event> &events, const char *label)
{
    for (const Event &e : events)
        if (e.type == EventType::Spawn && isAtom(e.term, label))
            return e.pid;
    return {};
}

// ---- The oracle: a record reduced to what both runtimes must agree on --------------------------

/// The rule (docs/beam.md, "The BEAM as an oracle"): processes are those with a spawn event,
/// numbered in spawn order; a message counts when both ends are such processes and it is a call,
/// cast, reply or plain message (not :sys traffic, whose shapes are each runtime's own, and not an
/// EXIT or DOWN, which the BEAM delivers as signals); pids print as their number, references and
/// funs as R and F, and an alias tag [alias | R] as R. A record counts up to the exit of the
/// script's process (the first spawned): what comes after is each runtime's own way of ending a
/// script (the embedded runtime ends its processes at once; elixir halts once its at_exit
/// callbacks are done, and a timer may fire before that).
struct Reduced {
    std::vector<std::string> processes;
    std::map<std::pair<size_t, size_t>, std::vector<std::string>> messages;
    std::map<size_t, std::vector<std::string>> states;
};

class Reducer {
public:
    explicit Reducer(const std::vector<Event> &events)
    {
        for (const Event &e : events)
            if (e.type == EventType::Spawn && !m_index.count(e.pid.number)) {
                m_index[e.pid.number] = m_reduced.processes.size() + 1;
                m_reduced.processes.push_back(e.term.isAtom() ? e.term.inspect() : std::string("[]"));
            }
        uint64_t end = UINT64_MAX;
        for (const Event &e : events)
            if (e.type == EventType::Exit && !m_reduced.processes.empty() && index(e.pid) == 1) {
                end = e.seq;
                break;
            }
        for (const Event &e : events) {
            if (e.seq > end)
                break;
            if (e.type == EventType::Send) {
                const size_t from = index(e.pid), to = index(e.other);
                if (from == 0 || to == 0 || e.kind == MessageKind::System || (e.flags & EventDropped) != 0)
                    continue;
                if (e.term.isTuple() && e.term.tupleSize() > 0
                    && (isAtom(e.term[0], "EXIT") || isAtom(e.term[0], "DOWN")))
                    continue;
                m_reduced.messages[{ from, to }].push_back(std::string(toString(e.kind)) + " " + print(e.term));
            } else if (e.type == EventType::HandlerEnd && e.kind != MessageKind::System) {
                // The embedded runtime marks the default handle_info's answer to a message it does not
                // know as :unexpected; the BEAM's is a plain {:noreply, state}.
                const std::string shape = isAtom(e.extra, "unexpected") ? std::string(":noreply") : print(e.extra);
                if (const size_t server = index(e.pid); server != 0)
                    m_reduced.states[server].push_back(print(e.term) + " / " + shape);
            }
        }
    }
    [[nodiscard]] const Reduced &reduced() const { return m_reduced; }

private:
    [[nodiscard]] size_t index(Pid p) const
    {
        const auto it = m_index.find(p.number);
        return it == m_index.end() ? 0 : it->second;
    }
    [[nodiscard]] std::string print(const Term &t) const
    {
        switch (t.kind()) {
        case TermKind::Pid:
            return "P" + std::to_string(index(t.asPid()));
        case TermKind::Reference:
            return "R";
        case TermKind::Function:
            return "F";
        case TermKind::Tuple: {
            std::string s = "{";
            for (size_t i = 0; i < t.tupleSize(); ++i)
                s += (i ? "," : "") + print(t[i]);
            return s + "}";
        }
        case TermKind::Map: {
            std::string s = "%{";
            bool first = true;
            for (const auto &[k, v] : t.mapEntries()) {
                s += (first ? "" : ",") + print(k) + "=>" + print(v);
                first = false;
            }
            return s + "}";
        }
        case TermKind::Cons: {
            Term tail;
            const std::vector<Term> items = t.listElements(&tail);
            if (items.size() == 1 && isAtom(items[0], "alias") && tail.isReference())
                return "R";
            std::string s = "[";
            for (size_t i = 0; i < items.size(); ++i)
                s += (i ? "," : "") + print(items[i]);
            if (!tail.isNil())
                s += "|" + print(tail);
            return s + "]";
        }
        default:
            return t.inspect();
        }
    }
    std::map<uint32_t, size_t> m_index;
    Reduced m_reduced;
};

QString describe(const Reduced &a, const Reduced &b)
{
    if (a.processes != b.processes) {
        QStringList l, r;
        for (const auto &p : a.processes)
            l << QString::fromStdString(p);
        for (const auto &p : b.processes)
            r << QString::fromStdString(p);
        return "processes differ: embedded " + l.join(' ') + " / BEAM " + r.join(' ');
    }
    const auto join = [](const std::vector<std::string> &list) {
        QStringList l;
        for (const std::string &s : list)
            l << QString::fromStdString(s);
        return l.isEmpty() ? QString("(none)") : l.join(" ; ");
    };
    for (const auto &[pair, list] : a.messages) {
        const auto it = b.messages.find(pair);
        const std::vector<std::string> other = it == b.messages.end() ? std::vector<std::string>{} : it->second;
        if (list != other)
            return QString("messages from %1 to %2 differ:\n  embedded: %3\n  BEAM:     %4")
                .arg(pair.first)
                .arg(pair.second)
                .arg(join(list), join(other));
    }
    for (const auto &[pair, list] : b.messages)
        if (!a.messages.count(pair))
            return QString("the BEAM has messages from %1 to %2 the embedded runtime has not: %3")
                .arg(pair.first)
                .arg(pair.second)
                .arg(QString::fromStdString(list.front()));
    if (a.states != b.states) {
        for (const auto &[server, list] : a.states) {
            const auto it = b.states.find(server);
            const std::vector<std::string> other = it == b.states.end() ? std::vector<std::string>{} : it->second;
            for (size_t i = 0; i < std::max(list.size(), other.size()); ++i) {
                const std::string l = i < list.size() ? list[i] : "(none)";
                const std::string r = i < other.size() ? other[i] : "(none)";
                if (l != r)
                    return QString("state of process %1 after handler %2: embedded %3 / BEAM %4")
                        .arg(server)
                        .arg(i + 1)
                        .arg(QString::fromStdString(l), QString::fromStdString(r));
            }
        }
        for (const auto &[server, list] : b.states)
            if (!a.states.count(server))
                return QString("process %1 has states on the BEAM only: %2").arg(server).arg(join(list));
        return "a server has states on the BEAM only";
    }
    return {};
}

using Node = testing::BeamNode;

} // namespace

class TestBeam : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("elixir").isEmpty())
            QSKIP("needs elixir on PATH (tools/bootstrap.sh installs it)");
        QVERIFY2(QFile::exists(kEbin + "/mailroom_tracer.beam"), "the tracer is not built (target mailroom_tracer)");
    }

    void castsAndCallsArriveWithTheirKindsAndStates()
    {
        const Run r = runMailroom({ "--beam", kScripts + "/stack.exs" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.out, QByteArray(":c\n")); // what `elixir stack.exs` prints, nothing more
        const Pid script{ 96 };
        const Pid stack = spawnedAs(r.events, "Elixir.Stack");
        QVERIFY(stack.isValid());

        std::vector<std::string> sent;
        for (const Event *e : ofType(r.events, EventType::Send, script))
            if (e->other == stack)
                sent.push_back(std::string(toString(e->kind)) + " " + e->term.inspect());
        QCOMPARE(sent.size(), size_t(3));
        QCOMPARE(QString::fromStdString(sent[0]), QString("cast {:\"$gen_cast\", {:push, :b}}"));
        QCOMPARE(QString::fromStdString(sent[1]), QString("cast {:\"$gen_cast\", {:push, :c}}"));
        QVERIFY(sent[2].rfind("call {:\"$gen_call\"", 0) == 0);

        const auto inits = ofType(r.events, EventType::StateInit, stack);
        QCOMPARE(inits.size(), size_t(1));
        QCOMPARE(QString::fromStdString(inits[0]->term.inspect()), QString("[:a]"));
        QStringList states;
        for (const Event *e : ofType(r.events, EventType::HandlerEnd, stack))
            states << QString("%1 %2 %3").arg(QString::fromStdString(std::string(toString(e->kind))), QString::fromStdString(e->term.inspect()), QString::fromStdString(e->extra.inspect()));
        QCOMPARE(states, QStringList({ "cast [:b, :a] :noreply", "cast [:c, :b, :a] :noreply", "call [:b, :a] {:reply, :c}" }));

        // The caller waited for the reply: a block with its end, which carries the reply.
        const auto ends = ofType(r.events, EventType::BlockEnd, script);
        QCOMPARE(ends.size(), size_t(1));
        QCOMPARE(ends[0]->other, stack);
        QVERIFY(isAtom(ends[0]->term, "ok") && isAtom(ends[0]->extra, "c"));
        // Each handler begins with the message its dequeue took, in the record's order.
        for (const Event *b : ofType(r.events, EventType::HandlerBegin, stack)) {
            QVERIFY(b->ref != 0 && b->ref < b->seq);
            QVERIFY(r.events[b->ref - 1].type == EventType::Send);
            QVERIFY(r.events[b->ref - 1].term == b->term);
        }
    }

    void messagesOnlyHasTheMessagesWithoutTheHandlers()
    {
        const Run r = runMailroom({ "--beam", "--messages-only", kScripts + "/stack.exs" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.out, QByteArray(":c\n"));
        const Pid script{ 96 };
        const Pid stack = spawnedAs(r.events, "Elixir.Stack");
        QVERIFY(stack.isValid());
        // The same messages as in full ...
        std::vector<uint64_t> sent;
        QStringList kinds;
        for (const Event *e : ofType(r.events, EventType::Send, script))
            if (e->other == stack) {
                sent.push_back(e->seq);
                kinds << QString::fromStdString(std::string(toString(e->kind)));
            }
        QCOMPARE(kinds, QStringList({ "cast", "cast", "call" }));
        // ... each taken by the server as it comes into its queue, and the reply to the caller,
        // with no handler and no state.
        std::vector<uint64_t> taken;
        for (const Event *e : ofType(r.events, EventType::Dequeue, stack))
            if (e->other == script)
                taken.push_back(e->ref);
        QCOMPARE(taken, sent);
        QVERIFY(ofType(r.events, EventType::HandlerBegin).empty());
        QVERIFY(ofType(r.events, EventType::HandlerEnd).empty());
        QVERIFY(ofType(r.events, EventType::StateInit).empty());
        const auto ends = ofType(r.events, EventType::BlockEnd, script);
        QCOMPARE(ends.size(), size_t(1));
        QVERIFY(ends[0]->other == stack && isAtom(ends[0]->extra, "c"));
    }

    void aCrashCarriesItsReasonAndTakesItsLinkDown()
    {
        const Run r = runMailroom({ "--beam", kScripts + "/crash.exs" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.out, QByteArray("server down\nbuddy down\n"));
        const Pid server = spawnedAs(r.events, "Elixir.Fragile");
        QVERIFY(server.isValid());
        const auto exits = ofType(r.events, EventType::Exit, server);
        QCOMPARE(exits.size(), size_t(1));
        QCOMPARE(exits[0]->flags & EventCrashed, int(EventCrashed));
        const Term &reason = exits[0]->term;
        QVERIFY2(reason.isTuple(2) && reason[0].isMap(), reason.inspect().c_str());
        QVERIFY2(reason.inspect().find("RuntimeError") != std::string::npos
                && reason.inspect().find("\"boom\"") != std::string::npos,
            reason.inspect().c_str());
        // The handler that raised ended as a crash, on the state it had.
        const auto ends = ofType(r.events, EventType::HandlerEnd, server);
        QVERIFY(!ends.empty());
        QVERIFY(isAtom(ends.back()->extra, "crash"));
        QVERIFY(ends.back()->kind == MessageKind::Cast);

        // The buddy spawned and linked in init went down with the server's reason.
        Pid buddy;
        for (const Event *e : ofType(r.events, EventType::Spawn))
            if (e->other == server)
                buddy = e->pid;
        QVERIFY(buddy.isValid());
        bool linked = false;
        for (const Event *e : ofType(r.events, EventType::Link))
            linked = linked || (e->pid == server && e->other == buddy);
        QVERIFY(linked);
        const auto buddyExits = ofType(r.events, EventType::Exit, buddy);
        QCOMPARE(buddyExits.size(), size_t(1));
        QVERIFY(buddyExits[0]->term == reason);
        QVERIFY(buddyExits[0]->seq > exits[0]->seq);

        // A cast to the dead server is still the script's send, lost.
        bool lost = false;
        for (const Event *e : ofType(r.events, EventType::Send, Pid{ 96 }))
            if (e->other == server && e->term.inspect() == "{:\"$gen_cast\", :after_death}")
                lost = (e->flags & EventDropped) != 0 && e->seq > exits[0]->seq;
        QVERIFY(lost);
    }

    void aScriptUsesTheCatalogWithoutDefiningIt()
    {
        const Run r = runMailroom({ "--beam", kScripts + "/catalog_use.exs" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QVERIFY2(r.status == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("0\n"));
        QVERIFY(spawnedAs(r.events, "Elixir.Counter").isValid());
        // Without the catalog, real Elixir knows no Counter.
        const Run bare = runMailroom({ "--beam", "--no-catalog", kScripts + "/catalog_use.exs" });
        QCOMPARE(bare.status, 1);
        QVERIFY2(bare.err.contains("{:undef, [{Counter, :init"), bare.err.constData());
    }

    void theRateLimitTripsUnderAFloodAndTheWatchGoesOnAfterIt()
    {
        QTemporaryDir dir;
        const QString tracePath = dir.filePath("flood.txt");
        const Run r = runMailroom({ "--beam", "--rate-limit", "5000", "--trace", tracePath, kScripts + "/flood.exs" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError));
        QCOMPARE(r.status, 0);
        // The script ran to its end; its own flags (and its server's) were switched off in the
        // flood, and on again after it.
        QCOMPARE(r.out,
            QByteArray("own flags gone: true\nserver flags: {:flags, []}\ncount: 50000\nwatched again: true\n"
                       "count: 50001\n"));
        QVERIFY2(r.err.contains("the tracer stopped itself"), r.err.constData());
        QVERIFY2(r.err.contains("above the limit of 5000"), r.err.constData());
        QVERIFY2(r.err.contains("the tracer watches again"), r.err.constData());

        // The record says where it stopped and where it goes on, with what it missed ...
        const auto flags = ofType(r.events, EventType::TraceFlag, Pid{ 0 });
        QCOMPARE(flags.size(), size_t(2));
        QVERIFY(isAtom(flags[0]->term, "false") && isAtom(flags[1]->term, "true"));
        const std::string missed = flags[1]->extra.inspect();
        QVERIFY2(missed.rfind("[missed_ms: ", 0) == 0 && missed.find(", dropped: ") != std::string::npos
                && missed.find(", dropped: 0,") == std::string::npos,
            missed.c_str());
        // ... far short of the flood before the gap, and the server's handler after it, on the
        // state it has then.
        const Pid sink = spawnedAs(r.events, "Elixir.Sink");
        QVERIFY(sink.isValid());
        size_t before = 0;
        std::vector<std::string> after;
        for (const Event *e : ofType(r.events, EventType::HandlerEnd, sink)) {
            if (e->seq < flags[0]->seq)
                ++before;
            else if (e->kind == MessageKind::Cast)
                after.push_back(e->term.inspect());
            else
                QVERIFY(e->seq > flags[1]->seq);
        }
        QVERIFY(before > 0 && before < 50000);
        QCOMPARE(after, std::vector<std::string>{ "50001" });
        // The trace pane says both.
        QFile trace(tracePath);
        QVERIFY(trace.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(trace.readAll());
        static const QRegularExpression stopped(QStringLiteral(
            R"(\*DBG\* the tracer stopped watching: \d+ events (within a second|waiting), above its limit of 5000)"));
        QVERIFY2(stopped.match(text).hasMatch(), qPrintable(text.right(2000)));
        static const QRegularExpression again(
            QStringLiteral(R"(\*DBG\* the tracer watches again after \d+ ms unwatched: [1-9]\d* trace messages dropped)"));
        QVERIFY2(again.match(text).hasMatch(), qPrintable(text.right(2000)));
    }

    void aTermTooDeepToReadIsCutAndTheRecordGoesOn()
    {
        const Run r = runMailroom({ "--beam", kScripts + "/deep.exs" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.out, QByteArray(":after_the_deep_one\n"));
        QVERIFY2(r.err.contains("nested too deeply") && r.err.contains("written cut"), r.err.constData());
        // The deep message is in the record, cut; the one after it whole, and so is the end.
        QStringList sent;
        for (const Event *e : ofType(r.events, EventType::Send, Pid{ 96 }))
            sent << QString::fromStdString(e->term.inspect());
        QCOMPARE(sent, QStringList({ ":\"mailroom:cut\"", ":after_the_deep_one" }));
        QVERIFY(!ofType(r.events, EventType::Exit).empty());
    }

    void stoppingOrLosingTheReaderLeavesNothingOnTheNode()
    {
        QProcess p;
        p.start("elixir", { "-pa", kEbin, kScripts + "/detach.exs" });
        QVERIFY(p.waitForFinished(60000));
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QCOMPARE(lines.size(), 4);
        // While watched, the flags, the tracer and the call patterns are there ...
        for (int i : { 0, 2 }) {
            QVERIFY2(lines[i].contains(":send") && lines[i].contains("send_after: {:traced, :global}")
                    && lines[i].contains("handlers: {:traced, :local}"),
                qPrintable(lines[i]));
        }
        // ... and after a stop, or once the process that owned the tracer died, none is (and the
        // server's sys debug options were never touched).
        const QString gone = "flags: [flags: [], flags: []] tracers: [tracer: [], tracer: []] sys debug: [] "
                             "send_after: {:traced, false} handlers: {:traced, false}";
        QCOMPARE(lines[1], "stopped " + gone);
        QCOMPARE(lines[3], "owner died " + gone);
    }

    void aSendByNameNamesItsReceiverWhenTheTracerReadsItLate()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("late.jsonl");
        QProcess p;
        p.start("elixir", { "-pa", kEbin, kScripts + "/late_name.exs", out });
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QString said = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        QVERIFY2(said.startsWith("greeter: "), qPrintable(said));
        const uint32_t greeter = said.mid(9).toUInt();
        // The tracer's own stream: events with their states in full, and its end line.
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        std::vector<Event> events;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith("{\"tracer\""))
                continue;
            Event e;
            std::string why;
            QVERIFY2(readEventJsonLine(line.toStdString(), e, why), why.c_str());
            events.push_back(std::move(e));
        }
        // By the time the tracer read the send, :greeter named no process; the record's own
        // register event says whom it named when it was sent.
        int sends = 0;
        for (const Event *e : ofType(events, EventType::Send))
            if (e->term.isTuple(2) && isAtom(e->term[0], "greet")) {
                ++sends;
                QCOMPARE(e->other.number, greeter);
            }
        QCOMPARE(sends, 1);
    }

    void attachWatchesANamedServerAndItsMessageToAnotherNode()
    {
        const QString suffix = QString::number(QCoreApplication::applicationPid());
        const QString host = testing::shortHost();
        const QString peerName = "mr_test_b" + suffix, bankName = "mr_test_a" + suffix;
        Node peer(peerName, "tst_beam", kScripts + "/node_inbox.exs");
        QVERIFY(!peer.waitForLine("ready").isEmpty());
        Node bank(bankName, "tst_beam", kScripts + "/node_bank.exs", { peerName + "@" + host });
        QVERIFY2(!bank.waitForLine("ready").isEmpty(), qPrintable(bank.lines().join('\n')));

        const Run r = runMailroom({ "--attach", bankName + "@" + host, "--cookie", "tst_beam", "--procs", "Bank",
            "--seconds", "3" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QVERIFY2(r.status == 0, r.err.constData());
        QVERIFY(r.out.isEmpty());

        // The node did its work while watched, and nothing of Mailroom's is left on it.
        QVERIFY2(!bank.waitForLine("told").isEmpty(), qPrintable(bank.lines().join('\n')));
        QCOMPARE(bank.waitForLine("after:"), QString("after: {:flags, []} [] false"));
        QCOMPARE(peer.waitForLine("got:"), QString("got: {:balance, 5}"));

        const Pid server = spawnedAs(r.events, "Elixir.Bank");
        QVERIFY(server.isValid());
        bool registered = false;
        for (const Event *e : ofType(r.events, EventType::Register, server))
            registered = registered || isAtom(e->term, "Elixir.Bank");
        QVERIFY(registered);
        QStringList states;
        for (const Event *e : ofType(r.events, EventType::HandlerEnd, server))
            states << QString("%1 %2 %3").arg(QString::fromStdString(std::string(toString(e->kind))), QString::fromStdString(e->term.inspect()), QString::fromStdString(e->extra.inspect()));
        QCOMPARE(states, QStringList({ "cast 5 :noreply", "call 5 {:reply, 5}", "cast 5 :noreply", "call 5 {:reply, 5}" }));
        // The message to the other node: its pid numbered as the first other node's (2^24 + N).
        bool toPeer = false;
        for (const Event *e : ofType(r.events, EventType::Send, server))
            if (e->term.inspect() == "{:balance, 5}")
                toPeer = e->other.number > (1U << 24) && e->other.number < (2U << 24);
        QVERIFY(toPeer);
    }

    void attachWatchesTheNodesOfAClusterAndTheCallBetweenThem()
    {
        const QString suffix = QString::number(QCoreApplication::applicationPid());
        const QString host = testing::shortHost();
        const QString farName = "mr_test_far" + suffix, oddName = "mr_test_odd" + suffix, nearName = "mr_test_near" + suffix;
        Node far(farName, "tst_beam", kScripts + "/node_far.exs");
        // A peer of the near node's with a cookie of its own, which Mailroom is not given.
        Node odd(oddName, "tst_beam_odd", kScripts + "/node_inbox.exs");
        QVERIFY2(!far.waitForLine("ready").isEmpty(), qPrintable(far.said()));
        QVERIFY2(!odd.waitForLine("ready").isEmpty(), qPrintable(odd.said()));
        // global would part the near node from one of two peers that cannot meet.
        Node near(nearName, "tst_beam", kScripts + "/node_near.exs", { far.name(), odd.name() + "=tst_beam_odd" },
            { "--erl", "-kernel prevent_overlapping_partitions false" });
        QVERIFY2(!near.waitForLine("ready").isEmpty(), qPrintable(near.said()));

        const Run r = runMailroom({ "--attach", near.name(), "--cookie", "tst_beam", "--procs", "Near,Far", "--seconds", "4" });
        QVERIFY2(r.readError.isEmpty(), qPrintable(r.readError + "\n" + r.err));
        QVERIFY2(r.status == 0, r.err.constData());
        // The peer that refused the cookie is said, by name, and the others are watched.
        QVERIFY2(r.err.contains(("not watching the peer " + odd.name() + ": " + odd.name()
                     + " refused the connection: is the cookie right?")
                                    .toUtf8()),
            r.err.constData());
        QVERIFY2(!near.waitForLine("called").isEmpty(), qPrintable(near.said()));
        // Nothing of Mailroom's is left on either node.
        QCOMPARE(near.waitForLine("after:"), QString("after: {:flags, []} {:flags, []} false false"));

        // Each process is on its node: the spawn says which, and the far node's pids are numbered
        // apart (2^24 + N), so that no two processes of the cluster share a number.
        const Pid nearPid = spawnedAs(r.events, "Elixir.Near"), farPid = spawnedAs(r.events, "Elixir.Far");
        QVERIFY(nearPid.isValid() && farPid.isValid());
        for (const Event *e : ofType(r.events, EventType::Spawn)) {
            if (e->pid == nearPid)
                QCOMPARE(QString::fromStdString(e->extra.inspect()), ":" + near.name());
            if (e->pid == farPid)
                QCOMPARE(QString::fromStdString(e->extra.inspect()), ":" + far.name());
        }
        QVERIFY(nearPid.number < (1U << 24));
        QVERIFY(farPid.number > (1U << 24) && farPid.number < (2U << 24));

        // The call from one node to the other is one message: its send, the far server's handler
        // on it (naming the send), the reply, and the caller's wait ending with it.
        const Event *call = nullptr;
        for (const Event *e : ofType(r.events, EventType::Send, nearPid))
            if (e->other == farPid && e->kind == MessageKind::Call)
                call = e;
        QVERIFY(call != nullptr);
        const auto begins = ofType(r.events, EventType::HandlerBegin, farPid);
        QCOMPARE(begins.size(), size_t(1));
        QCOMPARE(begins[0]->ref, call->seq);
        QCOMPARE(begins[0]->other, nearPid);
        const auto ends = ofType(r.events, EventType::HandlerEnd, farPid);
        QCOMPARE(ends.size(), size_t(1));
        QCOMPARE(QString::fromStdString(ends[0]->term.inspect() + " " + ends[0]->extra.inspect()), QString("1 {:reply, :pong}"));
        bool replied = false;
        for (const Event *e : ofType(r.events, EventType::Send, farPid))
            replied = replied || (e->other == nearPid && e->kind == MessageKind::Reply && e->seq > ends[0]->seq);
        QVERIFY(replied);
        const auto waited = ofType(r.events, EventType::BlockEnd, nearPid);
        QCOMPARE(waited.size(), size_t(1));
        QCOMPARE(waited[0]->other, farPid);
        QVERIFY(isAtom(waited[0]->extra, "pong"));
        // The record is one stream: one send per message, in seq order.
        size_t sends = 0;
        for (const Event *e : ofType(r.events, EventType::Send))
            sends += e->term == call->term ? 1 : 0;
        QCOMPARE(sends, size_t(1));
    }

    void aWatcherKilledMidWatchLeavesNothingOnTheNode()
    {
        Node shop("mr_test_d" + QString::number(QCoreApplication::applicationPid()), "tst_beam",
            kScripts + "/node_shop.exs");
        QVERIFY2(!shop.waitForLine("ready").isEmpty(), qPrintable(shop.said()));
        QProcess run;
        run.start(kRun, { "--attach", shop.name(), "--cookie", "tst_beam", "--procs", "Cart,Stock", "--seconds", "600" });
        QVERIFY2(!shop.waitForLine("shopped").isEmpty(), qPrintable(shop.said()));
        // No stop, no clean-up of its own: the watcher is gone, and its hidden node with it.
        run.kill();
        QVERIFY(run.waitForFinished(10000));
        QCOMPARE(shop.waitForLine("after:"), QString("after: {:flags, []} false"));
    }

    void attachWithAWrongCookieOrToNoNodeSaysSo()
    {
        const QString suffix = QString::number(QCoreApplication::applicationPid());
        const QString host = testing::shortHost();
        Node peer("mr_test_c" + suffix, "tst_beam", kScripts + "/node_inbox.exs");
        QVERIFY(!peer.waitForLine("ready").isEmpty());
        const Run wrong = runMailroom({ "--attach", "mr_test_c" + suffix + "@" + host, "--cookie", "not_it", "--seconds", "1" });
        QCOMPARE(wrong.status, 3);
        QVERIFY2(wrong.err.contains("refused the connection: is the cookie right?"), wrong.err.constData());
        const Run none = runMailroom({ "--attach", "mr_nobody" + suffix + "@" + host, "--cookie", "tst_beam", "--seconds", "1" });
        QCOMPARE(none.status, 3);
        QVERIFY2(none.err.contains("no node named mr_nobody" + suffix.toUtf8() + " on " + host.toUtf8()), none.err.constData());
        const Run usage = runMailroom({ "--attach", "nohost", "--cookie", "tst_beam" });
        QCOMPARE(usage.status, 2);
        QVERIFY2(usage.err.contains("NAME@HOST"), usage.err.constData());
    }

    void theEmbeddedRuntimeAgreesWithTheBeam_data()
    {
        QTest::addColumn<QString>("scenario");
        // The scenarios whose output does not depend on the wall clock and which send messages
        // between processes; docs/beam.md says why the others are left out.
        for (const char *name : {
                 "11_receive_after",
                 "12_spawn_and_send",
                 "13_process_send_and_timers",
                 "14_register_whereis",
                 "16_message_queue_len",
                 "18_slow_server_call",
                 "19_counter_cast",
                 "20_script_ends_before_casts",
                 "21_journal",
                 "22_receiver_handle_info",
                 "23_misbehaving_linked",
                 "24_misbehaving_caught",
                 "25_misbehaving_trap_exit",
                 "26_incrementing_counter",
                 "27_decrementing_counter",
                 "28_pledge_server",
                 "29_pledge_trace",
                 "32_trace_timers",
                 "33_trace_system_events",
                 "35_replace_suspend_resume",
                 "36_call_timeout_uncaught",
                 "37_call_timeout_caught",
                 "39_server_dies_mid_call_caught",
                 "40_server_dies_mid_call_uncaught",
                 "41_linked_crash_kills_script",
                 "43_genserver_start_variants",
                 "44_gen_protocol_by_hand",
                 "45_agent",
                 "46_task",
                 "47_spawn_link_and_calls",
                 "48_misbehaving_unlinked_uncaught",
                 "80_genserver_counter",
                 "82_pledge_server_lesson",
                 "83_handle_info_no_clause",
                 "84_default_handle_call_cast",
                 "85_callback_exit_reasons",
                 "86_callback_return_shapes",
                 "88_child_spec_and_names",
                 "89_ticking_counter_lesson",
                 "90_replace_catalog_name",
                 "91_misbehaving_lesson",
                 "92_journal_and_slow_lessons",
                 "94_struct_state_trace",
                 "96_deferred_reply",
                 "98_trace_continue_timeout",
                 "138_register_names",
                 "139_task_await_outcomes",
                 "151_use_genserver_default_init",
                 "153_max_heap_size_in_a_server",
                 "160_calling_self_by_name",
                 "170_undef_in_handler",
             })
            QTest::addRow("%s", name) << QString(name);
    }

    void theEmbeddedRuntimeAgreesWithTheBeam()
    {
        QFETCH(QString, scenario);
        const QString script = kConformance + "/scenarios/" + scenario + ".exs";
        const Run embedded = runMailroom({ script });
        QVERIFY2(embedded.readError.isEmpty(), qPrintable(embedded.readError));
        // Real Elixir loads what tests/conformance/record loads: the catalog (--beam defines it
        // first), then the Logger line.
        const Run beam = runMailroom({ "--beam", "-r", kConformance + "/stderr_logger.exs", script });
        QVERIFY2(beam.readError.isEmpty(), qPrintable(beam.readError + "\n" + beam.err));
        // The tracer is a process of the watched node, so the script's pids come a few numbers later.
        static const QRegularExpression pid(QStringLiteral("<0\\.\\d+\\.0>"));
        QCOMPARE(QString::fromUtf8(beam.out).replace(pid, "<0.N.0>"), QString::fromUtf8(embedded.out).replace(pid, "<0.N.0>"));
        const Reducer a(embedded.events), b(beam.events);
        const QString difference = describe(a.reduced(), b.reduced());
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        QVERIFY(!a.reduced().messages.empty());
    }
};

QTEST_MAIN(TestBeam)
#include "tst_beam.moc"
