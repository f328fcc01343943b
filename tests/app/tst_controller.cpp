// SPDX-License-Identifier: MIT
// The controller: the session with the default servers, and every action as a line of
// script echoed in the console.
#include "controller.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace mailroom;

namespace {

RuntimeOptions quiet()
{
    RuntimeOptions o;
    o.schedulers = 2;
    return o;
}

/// Pumps (as frames would) until `done` holds.
template<typename Predicate> bool pumpUntil(Controller &c, Predicate done, int timeoutMs = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        c.bridge()->pump();
        QTest::qWait(5);
    }
    return true;
}

/// The console's lines as "kind: text", for comparing whole transcripts.
QStringList consoleLines(const ConsoleModel &console)
{
    QStringList lines;
    for (int r = 0; r < console.rowCount(); ++r)
        lines << console.index(r).data(ConsoleModel::KindRole).toString() + QStringLiteral(": ")
                + console.index(r).data(ConsoleModel::TextRole).toString();
    return lines;
}

int rowNamed(const ProcessModel &model, const QString &name)
{
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r).data(ProcessModel::NameRole).toString() == name)
            return r;
    return -1;
}

} // namespace

class TestController : public QObject {
    Q_OBJECT

private slots:
    void launchStartsTheDefaultServers()
    {
        Controller c(nullptr);
        QAbstractItemModelTester tester(
            c.processes(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        c.start(true, quiet());
        QVERIFY(c.started());
        for (const char *name : { "AsyncLogger", "Counter", "SlowServer", "Journal", "Receiver",
                 "IncrementingCounter", "DecrementingCounter" })
            QVERIFY2(
                pumpUntil(c, [&] { return rowNamed(*c.processes(), QString::fromLatin1(name)) >= 0; }), name);
    }

    void aLineRunsInTheShellAndIsEchoed()
    {
        Controller c(nullptr);
        c.start(true, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.evaluate(QStringLiteral("GenServer.call(Counter, :get_count)"));
        QCOMPARE(c.running(), 1);
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        QCOMPARE(c.running(), 0);
        QCOMPARE(evaluated.first().at(1).toBool(), true);
        QCOMPARE(evaluated.first().at(2).toString(), QStringLiteral("0"));
        QVERIFY(pumpUntil(c, [&] { return c.console()->rowCount() >= 2; }));
        QCOMPARE(c.console()->index(0).data(ConsoleModel::TextRole).toString(),
            QStringLiteral("GenServer.call(Counter, :get_count)"));
        QCOMPARE(c.console()->index(1).data(ConsoleModel::KindRole).toString(), QStringLiteral("result"));
        QCOMPARE(c.console()->index(1).data(ConsoleModel::TextRole).toString(), QStringLiteral("0"));
        // The shell ran it: its card is named iex.
        QVERIFY(pumpUntil(c, [&] { return rowNamed(*c.processes(), QStringLiteral("iex")) >= 0; }));
    }

    void errorsAreReportedWithoutStoppingAnything()
    {
        Controller c(nullptr);
        c.start(false, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.evaluate(QStringLiteral("GenServer.call(NoSuchServer, :hello)"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        QCOMPARE(evaluated.first().at(1).toBool(), false);
        QVERIFY(evaluated.first().at(2).toString().startsWith(QStringLiteral("** (exit)")));
        c.evaluate(QStringLiteral("1 + 1"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("2"));
    }

    void theLoggerGetsAnyTextVerbatimAndItsReplyBySignal()
    {
        Controller c(nullptr);
        c.start(true, quiet());
        QVERIFY(pumpUntil(c, [&] { return rowNamed(*c.processes(), QStringLiteral("AsyncLogger")) >= 0; }));
        QSignalSpy evaluated(&c, &Controller::evaluated);
        QSignalSpy replied(&c, &Controller::loggerReplied);
        // Quotes, a backslash, an interpolation and a newline stay text: what was typed is logged.
        const QString message = QStringLiteral("say \"hi\" \\ #{1 + 1}\nend");
        c.log(message);
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        QCOMPARE(evaluated.first().at(0).toString(),
            QStringLiteral("AsyncLogger.log(\"say \\\"hi\\\" \\\\ \\#{1 + 1}\\nend\")"));
        QCOMPARE(replied.count(), 0); // a log is not a reply
        c.getLogs();
        QVERIFY(pumpUntil(c, [&] { return replied.count() == 1; }));
        const QString reply = replied.first().at(0).toString();
        QVERIFY2(reply.endsWith(QStringLiteral("] say \\\"hi\\\" \\\\ \\#{1 + 1}\\nend\"]")), qPrintable(reply));
        QVERIFY(replied.first().at(1).toDouble() >= 0);
        // Only the reply to getLogs() goes to the logger, not the same line typed in the console.
        c.evaluate(QStringLiteral("AsyncLogger.get_logs()"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 3; }));
        QCOMPARE(replied.count(), 1);
    }

    void theLoggerGetsLongTextAndControlCharactersVerbatim_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("past inspect's printable limit") << QString(5000, QLatin1Char('a'));
        QTest::addRow("a control character past inspect's limit")
            << QString(60, QLatin1Char('b')) + QChar(1) + QStringLiteral("c");
    }

    void theLoggerGetsLongTextAndControlCharactersVerbatim()
    {
        QFETCH(QString, text);
        Controller c(nullptr);
        c.start(true, quiet());
        QVERIFY(pumpUntil(c, [&] { return rowNamed(*c.processes(), QStringLiteral("AsyncLogger")) >= 0; }));
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.log(text);
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        QVERIFY2(evaluated.first().at(1).toBool(), qPrintable(evaluated.first().at(2).toString().left(300)));
        // The logger holds the text itself.
        c.evaluate(QStringLiteral("String.ends_with?(List.last(AsyncLogger.get_logs()), %1)").arg(Controller::quoted(text)));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("true"));
    }

    void compareSendsACastAndACallAtOnce()
    {
        Controller c(nullptr);
        c.start(true, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.compare(QStringLiteral("Counter"));
        QCOMPARE(c.running(), 1); // the call's client starts once the cast has returned
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QVERIFY(pumpUntil(c, [&] {
            const CallStatsModel &stats = *c.callStats();
            return stats.rowOf(QStringLiteral("Counter"), true) >= 0
                && stats.rowOf(QStringLiteral("Counter"), false) >= 0;
        }));
        const CallStatsModel &stats = *c.callStats();
        const double castUs = stats.index(stats.rowOf(QStringLiteral("Counter"), true))
                                  .data(CallStatsModel::MaxUsRole)
                                  .toDouble();
        const double callUs = stats.index(stats.rowOf(QStringLiteral("Counter"), false))
                                  .data(CallStatsModel::MaxUsRole)
                                  .toDouble();
        // The call waits behind the increment's second of work; the cast does not wait at all.
        QVERIFY2(callUs > 900'000, qPrintable(QString::number(callUs)));
        QVERIFY2(castUs < 100'000, qPrintable(QString::number(castUs)));
    }

    void cardActionsAreLinesOfScript_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("code");
        QTest::addRow("get_state") << "getState"
                                   << ":sys.get_state(Journal)";
        QTest::addRow("suspend") << "suspend"
                                 << ":sys.suspend(Journal)";
        QTest::addRow("trace") << "trace"
                               << ":sys.trace(Journal, true)";
        QTest::addRow("plain") << "plain"
                               << "send(Journal, :hello)";
        QTest::addRow("spec") << "spec"
                              << "GenServer.cast(Journal, {:add_entry, \"entry\"})";
        QTest::addRow("kill") << "kill"
                              << "Process.exit(Process.whereis(Journal), :kill)";
    }

    void cardActionsAreLinesOfScript()
    {
        QFETCH(QString, action);
        QFETCH(QString, code);
        Controller c(nullptr);
        c.start(true, quiet());
        QVERIFY(pumpUntil(c, [&] { return rowNamed(*c.processes(), QStringLiteral("Journal")) >= 0; }));
        const int pid = c.processes()
                            ->index(rowNamed(*c.processes(), QStringLiteral("Journal")))
                            .data(ProcessModel::PidRole)
                            .toInt();
        QCOMPARE(c.moduleOf(pid), QStringLiteral("Journal"));
        QSignalSpy evaluated(&c, &Controller::evaluated);
        if (action == "getState")
            c.getState(pid);
        else if (action == "suspend")
            c.suspend(pid);
        else if (action == "trace")
            c.setTraced(pid, true);
        else if (action == "plain")
            c.sendPlain(pid, QStringLiteral(":hello"));
        else if (action == "spec")
            c.sendSpec(QStringLiteral("GenServer.cast({server}, {:add_entry, \"entry\"})"), pid);
        else if (action == "kill")
            c.kill(pid);
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        QCOMPARE(evaluated.first().at(0).toString(), code);
        QVERIFY2(evaluated.first().at(1).toBool(), qPrintable(evaluated.first().at(2).toString()));
    }

    void anUnnamedProcessIsNamedByItsPid()
    {
        Controller c(nullptr);
        c.start(false, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.evaluate(QStringLiteral("{:ok, pid} = GenServer.start(Counter, 0)"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        QVERIFY(pumpUntil(c, [&] { return rowNamed(*c.processes(), QStringLiteral("iex")) >= 0; }));
        int pid = 0;
        for (int r = 0; r < c.processes()->rowCount(); ++r)
            if (c.processes()->index(r).data(ProcessModel::ModuleRole).toString() == QLatin1String("Counter"))
                pid = c.processes()->index(r).data(ProcessModel::PidRole).toInt();
        QVERIFY(pid != 0);
        c.evaluate(QStringLiteral("is_pid(pid(\"0.1.0\"))"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));
        c.getState(pid);
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 3; }));
        QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("0"));
    }

    void aLateResultLandsUnderTheLineThatAskedForIt()
    {
        Controller c(nullptr);
        c.start(false, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.evaluateIn(QStringLiteral("Process.sleep(300)\n:late"), true);
        c.evaluateIn(QStringLiteral(":early"), true);
        const int running = c.console()->roleNames().key("running");
        QCOMPARE(c.console()->index(0).data(running).toBool(), true); // shown as running meanwhile
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QVERIFY(pumpUntil(c, [&] { return c.console()->rowCount() == 4; }));
        const QStringList lines = consoleLines(*c.console());
        QVERIFY2(lines.at(1) == QLatin1String("result: :late"), qPrintable(lines.join(u'\n')));
        QVERIFY2(lines.at(3) == QLatin1String("result: :early"), qPrintable(lines.join(u'\n')));
        QCOMPARE(c.console()->index(0).data(running).toBool(), false);
        QCOMPARE(c.console()->index(2).data(running).toBool(), false);
    }

    void outputAndCrashReportsKeepTheOrderTheyHappenedIn()
    {
        // Lesson 4: the server prints before it calls itself and crashes; Elixir (and
        // mailroom-run) print that line before the crash report.
        Controller c(nullptr);
        c.start(true, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.runLesson(3);
        QVERIFY(pumpUntil(
            c, [&] { return evaluated.count() == 1; }, 20000));
        const auto rowOf = [&](const QString &start) {
            const QStringList lines = consoleLines(*c.console());
            for (int r = 0; r < lines.size(); ++r)
                if (lines.at(r).startsWith(start))
                    return r;
            return -1;
        };
        QVERIFY(pumpUntil(c, [&] { return rowOf(QStringLiteral("error: [error]")) >= 0; }));
        const int printed = rowOf(QStringLiteral("output: SelfCaller: asking myself for :hello"));
        QVERIFY2(printed >= 0 && printed < rowOf(QStringLiteral("error: [error]")),
            qPrintable(consoleLines(*c.console()).join(u'\n')));
    }

    void aServerStartedFromThePaletteHasItsName()
    {
        Controller c(nullptr);
        c.start(true, quiet());
        QVERIFY(pumpUntil(c, [&] { return rowNamed(*c.processes(), QStringLiteral("SlowServer")) >= 0; }));
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.evaluate(QStringLiteral("Process.exit(Process.whereis(SlowServer), :kill)"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 1; }));
        c.startServer(QStringLiteral("SlowServer"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QVERIFY2(evaluated.last().at(2).toString().startsWith(QStringLiteral("{:ok, #PID<")),
            qPrintable(evaluated.last().at(2).toString()));
        // Code that names it reaches the new one.
        c.evaluate(QStringLiteral("Process.whereis(SlowServer) == nil"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 3; }));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("false"));
    }

    void stepTakesTheOldestMessageWhenTheSelectedMailboxIsEmpty()
    {
        Controller c(nullptr);
        c.start(true, quiet());
        QVERIFY(pumpUntil(c, [&] {
            return c.processes()->pidNamed(QStringLiteral("Counter")) != 0
                && c.processes()->pidNamed(QStringLiteral("Journal")) != 0;
        }));
        const int counter = c.processes()->pidNamed(QStringLiteral("Counter"));
        const int journal = c.processes()->pidNamed(QStringLiteral("Journal"));
        QSignalSpy notices(&c, &Controller::notice);
        c.setPaused(true);
        c.session()->runtime().send(Term(Pid{ uint32_t(counter) }),
            Term::tuple({ Term::atom("$gen_cast"), Term::atom("increment") }), MessageKind::Cast);
        const auto mailboxOf = [&](int pid) {
            const ProcessRecord *p = c.bridge()->liveState().process(Pid{ uint32_t(pid) });
            return p != nullptr ? int(p->mailbox.size()) : -1;
        };
        QVERIFY(pumpUntil(c, [&] { return mailboxOf(counter) == 1; }));
        // Journal is selected and has nothing: the step goes to Counter's message, and says so.
        QVERIFY(c.step(journal));
        QVERIFY(pumpUntil(c, [&] { return mailboxOf(counter) == 0; }));
        QVERIFY(!notices.isEmpty());
        QVERIFY2(notices.first().at(0).toString().contains(QStringLiteral("Journal's mailbox is empty")),
            qPrintable(notices.first().at(0).toString()));
        QVERIFY2(notices.first().at(0).toString().contains(QStringLiteral("Stepped Counter")),
            qPrintable(notices.first().at(0).toString()));
        // Its handler sleeps a second of a clock that stands still: the window says why nothing moves.
        QVERIFY(pumpUntil(c, [&] {
            return !notices.isEmpty() && notices.last().at(0).toString().contains(QStringLiteral("Resume"));
        }));
        QVERIFY2(notices.last().at(0).toString().startsWith(QStringLiteral("Counter sleeps 1000 ms")),
            qPrintable(notices.last().at(0).toString()));
        c.setPaused(false);
    }

    void stepNamesTheSleeperWhoseMailboxHoldsTheOnlyMessages()
    {
        // Three casts: Counter sleeps a second in the first while two wait; paused there, a
        // step from an empty mailbox cannot deliver them, and says whose they are and why.
        // (Without the ticking counters, whose own messages would be stepped instead.)
        Controller c(nullptr);
        c.start(false, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.startServer(QStringLiteral("Counter"));
        c.startServer(QStringLiteral("Journal"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QVERIFY(pumpUntil(c, [&] {
            return c.processes()->pidNamed(QStringLiteral("Counter")) != 0
                && c.processes()->pidNamed(QStringLiteral("Journal")) != 0;
        }));
        const int counter = c.processes()->pidNamed(QStringLiteral("Counter"));
        const int journal = c.processes()->pidNamed(QStringLiteral("Journal"));
        for (int i = 0; i < 3; ++i)
            c.session()->runtime().send(Term(Pid{ uint32_t(counter) }),
                Term::tuple({ Term::atom("$gen_cast"), Term::atom("increment") }), MessageKind::Cast);
        QVERIFY(pumpUntil(c, [&] {
            const ProcessRecord *p = c.bridge()->liveState().process(Pid{ uint32_t(counter) });
            return p != nullptr && p->block == BlockKind::Sleep && p->mailbox.size() == 2;
        }));
        c.setPaused(true);
        QSignalSpy notices(&c, &Controller::notice);
        QVERIFY(!c.step(journal));
        QCOMPARE(int(notices.count()), 1);
        const QString said = notices.first().at(0).toString();
        QVERIFY2(said.startsWith(QStringLiteral("Journal's mailbox is empty; the messages waiting are Counter's, and it sleeps")),
            qPrintable(said));
        QVERIFY2(said.contains(QStringLiteral("Resume")), qPrintable(said));
        c.setPaused(false);
    }

    void stepPassesOverAMessageTheIdleShellCannotTake()
    {
        // send(self(), :hi) in the console leaves :hi in the shell's mailbox, the oldest
        // anywhere; between lines the shell takes no message, so the step goes to Counter's.
        Controller c(nullptr);
        c.start(false, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.evaluate(QStringLiteral("send(self(), :hi)"));
        c.startServer(QStringLiteral("Counter"));
        QVERIFY(pumpUntil(c, [&] { return evaluated.count() == 2; }));
        QVERIFY(pumpUntil(c, [&] { return c.processes()->pidNamed(QStringLiteral("Counter")) != 0; }));
        const int counter = c.processes()->pidNamed(QStringLiteral("Counter"));
        const int shell = int(c.session()->shell().number);
        const auto mailboxOf = [&](int pid) {
            const ProcessRecord *p = c.bridge()->liveState().process(Pid{ uint32_t(pid) });
            return p != nullptr ? int(p->mailbox.size()) : -1;
        };
        QVERIFY(pumpUntil(c, [&] { return mailboxOf(shell) == 1; }));
        c.setPaused(true);
        c.session()->runtime().send(Term(Pid{ uint32_t(counter) }),
            Term::tuple({ Term::atom("$gen_call"), Term::tuple({ Term(Pid{ uint32_t(shell) }), Term::atom("ref") }),
                Term::atom("get_count") }),
            MessageKind::Call);
        QVERIFY(pumpUntil(c, [&] { return mailboxOf(counter) == 1; }));
        QSignalSpy notices(&c, &Controller::notice);
        QVERIFY(c.step(0));
        QVERIFY(pumpUntil(c, [&] { return mailboxOf(counter) == 0; }));
        QVERIFY2(notices.first().at(0).toString().startsWith(QStringLiteral("Stepped Counter")),
            qPrintable(notices.first().at(0).toString()));
        // The shell selected says why it is not the one stepped.
        notices.clear();
        QVERIFY(!c.step(shell));
        QVERIFY2(notices.first().at(0).toString().startsWith(QStringLiteral("iex takes its messages only in a receive")),
            qPrintable(notices.first().at(0).toString()));
        QVERIFY(mailboxOf(shell) >= 1); // :hi stays (and Counter's reply came)
        c.setPaused(false);
    }

    void aLessonStartsFromAKnownStateEveryRun()
    {
        // Lesson 2's Tally counts three casts; a second run starts over instead of counting on.
        Controller c(nullptr);
        c.start(true, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        for (int run = 1; run <= 2; ++run) {
            c.runLesson(1);
            QVERIFY(pumpUntil(
                c, [&] { return evaluated.count() == run; }, 20000));
            QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));
            QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("3"));
        }
        // The console shows the lesson's code, every line of it.
        const QString source = c.lessons()->source(1);
        bool shown = false;
        for (int r = 0; r < c.console()->rowCount(); ++r)
            shown = shown || c.console()->index(r).data(ConsoleModel::TextRole).toString() == source;
        QVERIFY(shown);
    }

    void theConsolesPlumbingIsNoMessageOfTheUsers()
    {
        // Each line wakes the idle shell; that wake-up is the app's, not the user's message.
        Controller c(nullptr);
        c.start(false, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        for (int i = 1; i <= 3; ++i) {
            c.evaluate(QStringLiteral("send(self(), :mine)\n%1").arg(i));
            QVERIFY(pumpUntil(c, [&] { return evaluated.count() == i; }));
        }
        const TraceModel &trace = *c.trace();
        const auto lines = [&] {
            QStringList all;
            for (int r = 0; r < trace.rowCount(); ++r)
                all << trace.index(r).data(TraceModel::TextRole).toString();
            return all;
        };
        // The user's own message is there; the console's wake-ups are not.
        QVERIFY(pumpUntil(c, [&] { return lines().filter(QStringLiteral("mine")).size() >= 3; }));
        QVERIFY2(lines().filter(QStringLiteral("mailroom_job")).isEmpty(), qPrintable(lines().join(u'\n')));
        QVERIFY2(lines().filter(QStringLiteral("(outside)")).isEmpty(), qPrintable(lines().join(u'\n')));
        // Nor does a token fly to the shell for it.
        const ProcessRecord *shell = c.bridge()->liveState().process(c.session()->shell());
        QVERIFY(shell != nullptr);
        for (const QueuedMessage &m : shell->mailbox)
            QVERIFY(!m.term.isAtom("$mailroom_job"));
    }

    void lessonsAreThere()
    {
        Controller c(nullptr);
        QCOMPARE(c.lessons()->rowCount(), 6);
        for (int r = 0; r < c.lessons()->rowCount(); ++r) {
            QVERIFY(!c.lessons()->source(r).isEmpty());
            QVERIFY(!c.lessons()->index(r).data(LessonModel::SummaryRole).toString().isEmpty());
        }
    }

    void everyLessonRuns_data()
    {
        QTest::addColumn<int>("row");
        for (int r = 0; r < 6; ++r)
            QTest::addRow("lesson %d", r + 1) << r;
    }

    void everyLessonRuns()
    {
        QFETCH(int, row);
        Controller c(nullptr);
        c.start(true, quiet());
        QSignalSpy evaluated(&c, &Controller::evaluated);
        c.runLesson(row);
        QVERIFY(pumpUntil(
            c, [&] { return evaluated.count() == 1; }, 20000));
        QVERIFY2(evaluated.first().at(1).toBool(), qPrintable(evaluated.first().at(2).toString()));
    }
};

QTEST_MAIN(TestController)
#include "tst_controller.moc"
