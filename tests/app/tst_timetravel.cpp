// SPDX-License-Identifier: MIT
// Time travel: the views rebuilt at a playhead show what the live views showed at that
// moment; pause world freezes timers; step handles exactly one message; a recording saved as
// JSON Lines and opened again replays to the same views; bad files are refused by line.
#include "callmodel.h"
#include "callstatsmodel.h"
#include "consolemodel.h"
#include "controller.h"
#include "fixture.h"
#include "mailboxmodel.h"
#include "processmodel.h"
#include "session.h"
#include "timermodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <fstream>
#include <random>

using namespace mailroom;
using namespace mailroom::testing;

namespace {

/// Every row of `model` with every role, as text: what a view bound to it would show.
QStringList dump(const QAbstractItemModel &model)
{
    QStringList rows;
    const auto roles = model.roleNames();
    QList<int> keys = roles.keys();
    std::sort(keys.begin(), keys.end());
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList cells;
        for (int role : keys)
            cells << QString::fromLatin1(roles[role]) + QLatin1Char('=')
                    + model.index(r, 0).data(role).toString();
        rows << cells.join(QLatin1Char(' '));
    }
    return rows;
}

struct Views {
    explicit Views(EventBridge &bridge, Pid counter)
    {
        for (BridgedModel *m :
            std::initializer_list<BridgedModel *>{ &processes, &mailbox, &timers, &calls, &stats })
            m->setBridge(&bridge);
        mailbox.setPid(int(counter.number));
        calls.setIncludeSystem(true);
    }
    [[nodiscard]] QStringList all() const
    {
        QStringList text;
        for (const QAbstractItemModel *m : std::initializer_list<const QAbstractItemModel *>{
                 &processes, &mailbox, &timers, &calls, &stats })
            text << dump(*m) << QStringLiteral("--");
        return text;
    }
    ProcessModel processes;
    MailboxModel mailbox;
    TimerModel timers;
    CallModel calls;
    CallStatsModel stats;
};

template<typename Predicate> bool pumpUntil(Controller &c, Predicate done, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        c.liveBridge()->pump(true);
        QTest::qWait(5);
    }
    return true;
}

RuntimeOptions realClock()
{
    RuntimeOptions o;
    o.schedulers = 2;
    o.output = [](Pid, std::string_view) {};
    return o;
}

int countEvents(const EventBridge &bridge, EventType type, Pid pid, uint64_t after)
{
    int n = 0;
    const History &h = bridge.history();
    for (uint64_t s = std::max(after + 1, h.firstSeq()); s < h.endSeq(); ++s)
        if (const Event *e = h.event(s); e != nullptr && e->type == type && (!pid.isValid() || e->pid == pid))
            ++n;
    return n;
}

} // namespace

class TestTimeTravel : public QObject {
    Q_OBJECT

private slots:
    void scrubbingShowsWhatTheLiveViewsShowed()
    {
        Fixture f;
        const Pid journal = f.startServer("Journal");
        f.startServer("Counter");
        f.startServer("Receiver");
        Views views(f.bridge, journal);
        QAbstractItemModelTester tester(
            &views.processes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<std::pair<uint64_t, QStringList>> seen;
        const auto look = [&] {
            f.settle();
            QVERIFY(f.bridge.live());
            seen.emplace_back(f.bridge.limitSeq(), views.all());
        };
        const Term name = Term::atom("Elixir.Journal");
        const auto entry = [](int i) { return Term::tuple({ Term::atom("add_entry"), Term::integer(i) }); };
        look();
        // Casts queue behind a suspended server: a mailbox of three.
        f.run([&] {
            sys::suspend(name);
            for (int i = 0; i < 3; ++i)
                gen::cast(proc::runtime(), name, entry(i));
        });
        look();
        QCOMPARE(views.mailbox.rowCount(), 3);
        f.run([&] { sys::resume(name); });
        look();
        QCOMPARE(views.mailbox.rowCount(), 0);
        // A timer pending, then fired.
        f.run([&] { proc::runtime().sendAfter(Term::atom("Elixir.Receiver"), Term::atom("message"), 1000); });
        look();
        QCOMPARE(views.timers.rowCount(), 1);
        f.advance(1000);
        look();
        QCOMPARE(views.timers.rowCount(), 0);
        // A call with its reply.
        f.run([&] { gen::call(Term::atom("Elixir.Counter"), Term::atom("get_count")); });
        look();
        // Many more events, so that the points above lie behind several snapshots.
        f.run([&] {
            for (int i = 0; i < 3000; ++i)
                gen::cast(proc::runtime(), name, entry(i));
        });
        look();
        QVERIFY(f.bridge.snapshotCount() >= 2);

        // In an order that jumps back and forth.
        std::vector<size_t> order(seen.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::mt19937 random(7);
        std::shuffle(order.begin(), order.end(), random);
        for (size_t i : order) {
            f.bridge.seek(double(seen[i].first));
            QVERIFY(!f.bridge.live());
            QCOMPARE(f.bridge.limitSeq(), seen[i].first);
            QCOMPARE(views.all(), seen[i].second);
        }
        // Step by step forward from the first point reaches the second one's views.
        f.bridge.seek(double(seen[1].first));
        while (f.bridge.limitSeq() < seen[2].first)
            f.bridge.stepBy(1);
        QCOMPARE(views.all(), seen[2].second);
        // Going live shows now again.
        f.bridge.goLive();
        QCOMPARE(views.all(), seen.back().second);
    }

    void frozenViewsStayWhileTheRuntimeRuns()
    {
        Fixture f;
        const Pid journal = f.startServer("Journal");
        Views views(f.bridge, journal);
        f.settle();
        f.bridge.freeze();
        const QStringList frozen = views.all();
        const uint64_t at = f.bridge.limitSeq();
        f.run([&] {
            for (int i = 0; i < 10; ++i)
                gen::cast(proc::runtime(), Term::atom("Elixir.Journal"),
                    Term::tuple({ Term::atom("add_entry"), Term::integer(i) }));
        });
        f.settle();
        QCOMPARE(f.bridge.limitSeq(), at);
        QVERIFY(f.bridge.lastSeqValue() > double(at)); // still recording
        QCOMPARE(views.all(), frozen);
        f.bridge.goLive();
        QVERIFY(views.all() != frozen);
    }

    void pauseWorldFreezesTimersAndResumeContinues()
    {
        Controller c(nullptr);
        c.start(false, realClock());
        c.evaluate(QStringLiteral("Process.send_after(self(), :late, 400)"));
        EventBridge *b = c.liveBridge();
        QVERIFY(pumpUntil(c, [&] { return c.running() == 0; }));
        c.setPaused(true);
        QVERIFY(c.paused());
        const uint64_t pausedAt = b->history().endSeq() - 1; // the last event before the pause
        // Paused, the virtual clock stands still: the timer thread finds no real instant at
        // which the timer comes due, however long it would wait.
        Runtime &runtime = c.session()->runtime();
        QCOMPARE(runtime.clock().speed(), 0.0);
        const int64_t frozen = runtime.clock().now();
        QCOMPARE(runtime.clock().realDeadline(frozen + 1), Clock::RealTime::max());
        // And the timer thread has taken its turns since the pause: a 0 ms timer set now fires
        // (aimed at a name nobody holds, it goes nowhere), and timers fire in deadline order.
        const Ref probe = runtime.sendAfter(Term::atom("nobody"), Term::atom("probe"), 0);
        const auto fired = [&](uint64_t ref) {
            int n = 0;
            const History &h = b->history();
            for (uint64_t s = std::max(pausedAt + 1, h.firstSeq()); s < h.endSeq(); ++s)
                if (const Event *e = h.event(s); e != nullptr && e->type == EventType::TimerFire && e->ref == ref)
                    ++n;
            return n;
        };
        QVERIFY(pumpUntil(c, [&] { return fired(probe.value) == 1; }));
        QCOMPARE(runtime.clock().now(), frozen);
        QCOMPARE(countEvents(*b, EventType::TimerFire, Pid{}, pausedAt), 1); // the probe's alone
        QCOMPARE(b->liveState().timers().size(), size_t(1));
        c.setPaused(false);
        QVERIFY(pumpUntil(c, [&] { return countEvents(*b, EventType::TimerFire, Pid{}, pausedAt) == 2; }));
    }

    void stepHandlesExactlyOneMessage()
    {
        Controller c(nullptr);
        c.start(false, realClock());
        c.evaluate(QStringLiteral("GenServer.start(Journal, [], name: Journal)"));
        EventBridge *b = c.liveBridge();
        QVERIFY2(pumpUntil(c,
                     [&] { return b->liveState().processNamed("Journal") != nullptr && c.running() == 0; }),
            qPrintable(dump(*c.console()).join(QLatin1Char('\n'))));
        const Pid journal = b->liveState().processNamed("Journal")->pid;
        QSignalSpy notices(&c, &Controller::notice);
        QVERIFY(!c.step()); // not paused
        QCOMPARE(notices.count(), 1);
        c.setPaused(true);
        QVERIFY(!c.step()); // nothing queued
        QCOMPARE(notices.count(), 2);
        // Three casts queue while the world stands still.
        Runtime &runtime = c.session()->runtime();
        for (int i = 0; i < 3; ++i)
            runtime.send(journal,
                Term::tuple(
                    { Term::atom("$gen_cast"), Term::tuple({ Term::atom("add_entry"), Term::integer(i) }) }),
                MessageKind::Cast);
        QVERIFY(pumpUntil(c, [&] { return b->liveState().process(journal)->mailbox.size() == 3; }));
        const uint64_t before = b->history().endSeq() - 1;
        QVERIFY(c.step()); // the oldest message anywhere: the journal's
        // Its HandlerEnd is readable once it is parked at the pause in its next receive: from
        // then on nothing more is handled until the next step, so no wait is needed to see that.
        QVERIFY(pumpUntil(c, [&] { return countEvents(*b, EventType::HandlerEnd, journal, before) == 1; }));
        QCOMPARE(countEvents(*b, EventType::HandlerBegin, journal, before), 1);
        QCOMPARE(b->liveState().process(journal)->mailbox.size(), size_t(2));
        QCOMPARE(b->liveState().process(journal)->state, Term::list({ Term::integer(0) }));
        QVERIFY(c.step(int(journal.number)));
        QVERIFY(pumpUntil(c, [&] { return b->liveState().process(journal)->mailbox.size() == 1; }));
        c.setPaused(false);
        QVERIFY(pumpUntil(c, [&] {
            return b->liveState().process(journal)->state
                == Term::list({ Term::integer(2), Term::integer(1), Term::integer(0) });
        }));
    }

    void aSavedRecordingReplaysToTheSameViews()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.jsonl"));
        Controller c(nullptr);
        c.start(false, realClock());
        c.evaluate(QStringLiteral("GenServer.start(Counter, 0, name: Counter)"));
        c.evaluate(QStringLiteral("GenServer.start(Journal, [], name: Journal)"));
        c.evaluate(QStringLiteral("for i <- 1..50, do: GenServer.cast(Journal, {:add_entry, i})"));
        c.evaluate(QStringLiteral("GenServer.call(Counter, :get_count)"));
        c.evaluate(QStringLiteral("Process.send_after(Counter, :tick, 60_000)"));
        QVERIFY(pumpUntil(c, [&] { return c.running() == 0; }));
        QTest::qWait(100);
        c.liveBridge()->pump(true);
        c.bridge()->freeze(); // what is saved is what is shown
        const QStringList live = Views(*c.bridge(), Pid{}).all();
        const QStringList traceLive = dump(*c.trace());

        QSignalSpy done(&c, &Controller::fileDone);
        c.saveRecording(QUrl::fromLocalFile(path));
        QVERIFY(done.wait(10000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(1).toString()));
        c.bridge()->goLive();

        c.openRecording(QUrl::fromLocalFile(path));
        QVERIFY(done.wait(10000));
        QVERIFY2(done.at(1).at(0).toBool(), qPrintable(done.at(1).at(1).toString()));
        QVERIFY(c.replaying());
        QCOMPARE(c.replayName(), QStringLiteral("run.jsonl"));
        c.bridge()->seek(c.bridge()->lastSeqValue());
        QCOMPARE(Views(*c.bridge(), Pid{}).all(), live);
        QCOMPARE(dump(*c.trace()), traceLive);
        // Read-only: code does not run while a recording is open.
        const int running = c.running();
        c.evaluate(QStringLiteral("1 + 1"));
        QCOMPARE(c.running(), running);
        c.closeRecording();
        QVERIFY(!c.replaying());
        QCOMPARE(c.bridge(), c.liveBridge());
    }

    void aBadFileIsRefusedByLineAndNothingIsLost_data()
    {
        QTest::addColumn<QByteArray>("tail");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\"seq\":99999,\"t") << QStringLiteral("line %1: ");
        QTest::newRow("not json") << QByteArray("hello\n") << QStringLiteral("line %1: ");
        QTest::newRow("out of order") << QByteArray() << QStringLiteral("line %1: seq");
    }
    void aBadFileIsRefusedByLineAndNothingIsLost()
    {
        QFETCH(QByteArray, tail);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("good.jsonl"));
        const QString bad = dir.filePath(QStringLiteral("bad.jsonl"));
        Controller c(nullptr);
        c.start(false, realClock());
        c.evaluate(QStringLiteral("GenServer.start(Journal, [], name: Journal)"));
        c.evaluate(QStringLiteral("GenServer.cast(Journal, {:add_entry, 1})"));
        QVERIFY(pumpUntil(c, [&] { return c.running() == 0; }));
        c.liveBridge()->pump(true);
        QSignalSpy done(&c, &Controller::fileDone);
        c.saveRecording(QUrl::fromLocalFile(good));
        QVERIFY(done.wait(10000));
        QVERIFY(done.at(0).at(0).toBool());

        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArrayList lines = in.readAll().split('\n');
        if (lines.last().isEmpty())
            lines.removeLast();
        QVERIFY(lines.size() > 3);
        if (tail.isEmpty())
            lines.swapItemsAt(1, 2); // seq 3 before seq 2
        else
            lines.append(tail);
        const int badLine = tail.isEmpty() ? 2 : int(lines.size()); // seq 3 after seq 1: not dense
        QFile out(bad);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines.join('\n'));
        out.close();

        // Open the good one, then the bad one: the good one stays.
        c.openRecording(QUrl::fromLocalFile(good));
        QVERIFY(done.wait(10000));
        QVERIFY(done.at(1).at(0).toBool());
        EventBridge *shown = c.bridge();
        const QStringList before = dump(*c.processes());
        c.openRecording(QUrl::fromLocalFile(bad));
        QVERIFY(done.wait(10000));
        QVERIFY(!done.at(2).at(0).toBool());
        const QString message = done.at(2).at(1).toString();
        QVERIFY2(message.contains(expected.arg(badLine)), qPrintable(message));
        QCOMPARE(c.bridge(), shown);
        QCOMPARE(dump(*c.processes()), before);
    }

    void theChromeTraceHasATrackPerProcessAndFlows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.json"));
        Controller c(nullptr);
        c.start(false, realClock());
        c.evaluate(QStringLiteral("GenServer.start(Counter, 0, name: Counter)"));
        c.evaluate(QStringLiteral("GenServer.start(Journal, [], name: Journal)"));
        c.evaluate(QStringLiteral("GenServer.cast(Journal, {:add_entry, 1})"));
        c.evaluate(QStringLiteral("GenServer.call(Counter, :get_count)"));
        QVERIFY(pumpUntil(c, [&] { return c.running() == 0; }));
        QTest::qWait(100);
        c.liveBridge()->pump(true);
        QSignalSpy done(&c, &Controller::fileDone);
        c.exportChromeTrace(QUrl::fromLocalFile(path));
        QVERIFY(done.wait(10000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(1).toString()));
        QFile in(path);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray events
            = doc.isArray() ? doc.array() : doc.object().value(QStringLiteral("traceEvents")).toArray();
        QStringList tracks;
        int flows = 0;
        int slices = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            const QString ph = e.value(QStringLiteral("ph")).toString();
            if (ph == QStringLiteral("M")
                && e.value(QStringLiteral("name")).toString() == QStringLiteral("thread_name"))
                tracks << e.value(QStringLiteral("args")).toObject().value(QStringLiteral("name")).toString();
            if (ph == QStringLiteral("s") || ph == QStringLiteral("f"))
                ++flows;
            if (ph == QStringLiteral("X") || ph == QStringLiteral("B"))
                ++slices;
        }
        QVERIFY2(std::any_of(tracks.begin(), tracks.end(),
                     [](const QString &t) { return t.contains(QStringLiteral("Counter")); }),
            qPrintable(tracks.join(QLatin1Char(','))));
        QVERIFY(flows >= 4); // the cast, the call and its reply: a start and an end each
        QVERIFY(slices >= 2); // the handlers
    }
};

QTEST_MAIN(TestTimeTravel)
#include "tst_timetravel.moc"
