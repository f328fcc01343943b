// SPDX-License-Identifier: MIT
// mailroom-run as a user meets it, each case in a child process: spawning past what the
// machine allows raises SystemLimitError instead of hanging, and --events streams the record
// to its file while the run goes on, leaving whole events when the run is stopped by a signal.
#include "eventjson.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace mailroom;

namespace {

/// Every line of `path` read back as the app reads a recording; the count, or -1 (with
/// `error` set) at the first line refused.
qsizetype readBack(const QString &path, std::string &error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = "cannot open";
        return -1;
    }
    const QByteArray all = file.readAll();
    if (!all.isEmpty() && !all.endsWith('\n')) {
        error = "the last line is cut";
        return -1;
    }
    JsonlReader reader;
    qsizetype n = 0;
    for (const QByteArray &line : all.split('\n')) {
        if (line.isEmpty())
            continue;
        Event e;
        if (!reader.read(line.toStdString(), e, error)) {
            error = "line " + std::to_string(n + 1) + ": " + error;
            return -1;
        }
        if (n == 0 && e.seq != 1) {
            error = "the first event is seq " + std::to_string(e.seq);
            return -1;
        }
        ++n;
    }
    return n;
}

} // namespace

class TestMailroomRun : public QObject {
    Q_OBJECT

private slots:
    /// A process that sleeps holds a stack. Stacks are refused while the heap still has its
    /// reserve (here an eighth of a 3 GB address-space limit; in production mappings under
    /// the kernel's map count), so spawn raises SystemLimitError in the spawning process,
    /// which can rescue it, as Elixir's spawn past +P does, and the run ends normally. It
    /// used to hang with nothing printed; then, with stacks taken to the last byte, the next
    /// heap allocation anywhere aborted the run (about 4 runs in 10).
    void spawningPastTheLimitRaisesSystemLimitError()
    {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        QSKIP("a sanitizer's shadow memory does not fit under the 3 GB address-space limit");
#endif
        QProcess run;
        run.setChildProcessModifier([] {
            const rlimit limit{ rlim_t(3) << 30U, rlim_t(3) << 30U };
            setrlimit(RLIMIT_AS, &limit);
        });
        run.start(QStringLiteral(MAILROOM_RUN_PATH),
            { QStringLiteral("-e"),
                QStringLiteral("try do\n"
                               "  for _ <- 1..100_000, do: spawn(fn -> Process.sleep(:infinity) end)\n"
                               "  IO.puts(\"all spawned\")\n"
                               "rescue\n"
                               "  e in SystemLimitError -> IO.puts(\"refused: \" <> Exception.message(e))\n"
                               "end\n"
                               "IO.puts(\"still running\")\n") });
        QVERIFY2(run.waitForFinished(120'000), "mailroom-run hung");
        const QString out = QString::fromUtf8(run.readAllStandardOutput());
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QVERIFY2(out.contains(QStringLiteral("refused: a system limit has been reached\nstill running\n")),
            qPrintable(out + err));
        QCOMPARE(run.exitCode(), 0);
    }

    /// Issue 21's million: a process waiting in a receive holds no stack until a message
    /// comes, so a million of them fit (about 1.2 KB each; the BEAM takes 2.7 KB). Past the
    /// process table's 2^20 slots spawn raises SystemLimitError. The first and the last
    /// still answer.
    void aMillionWaitingProcessesThenTheTableIsFull()
    {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        QSKIP("a million processes take the sanitizers' shadow memory past what the machine has");
#endif
        QProcess run;
        run.start(QStringLiteral(MAILROOM_RUN_PATH),
            { QStringLiteral("-e"),
                QStringLiteral("me = self()\n"
                               "waiter = fn -> receive do :x -> send(me, {:answered, self()}) end end\n"
                               "first = spawn(waiter)\n"
                               "{n, last} =\n"
                               "  Enum.reduce_while(1..2_000_000, {1, first}, fn _, {n, last} ->\n"
                               "    try do\n"
                               "      {:cont, {n + 1, spawn(waiter)}}\n"
                               "    rescue\n"
                               "      e in SystemLimitError -> IO.puts(\"refused: \" <> Exception.message(e)); {:halt, {n, last}}\n"
                               "    end\n"
                               "  end)\n"
                               "IO.puts(n >= 1_000_000)\n"
                               "send(first, :x)\n"
                               "send(last, :x)\n"
                               "receive do {:answered, ^first} -> IO.puts(\"first answered\") end\n"
                               "receive do {:answered, ^last} -> IO.puts(\"last answered\") end\n") });
        QVERIFY2(run.waitForFinished(240'000), "mailroom-run hung");
        const QString out = QString::fromUtf8(run.readAllStandardOutput());
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(out,
            QStringLiteral("refused: a system limit has been reached\ntrue\nfirst answered\nlast answered\n"));
        QCOMPARE(run.exitCode(), 0);
    }

    void theRecordStreamsAndASignalLeavesItWhole_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addRow("SIGINT") << SIGINT;
        QTest::addRow("SIGTERM") << SIGTERM;
    }

    /// A run that never ends: its record is in the file while it runs (it used to be written
    /// only at the end), and stopping it with Ctrl+C or SIGTERM leaves a file of whole events
    /// that reads back from seq 1 on, dense.
    void theRecordStreamsAndASignalLeavesItWhole()
    {
        QFETCH(int, signal);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.jsonl"));
        QProcess run;
        run.start(QStringLiteral(MAILROOM_RUN_PATH),
            { QStringLiteral("--events"), path, QStringLiteral("-e"),
                QStringLiteral("pid = spawn(fn -> f = fn f -> receive do _ -> f.(f) end end; f.(f) end)\n"
                               "g = fn g, n -> send(pid, {:n, n}); g.(g, n + 1) end\n"
                               "g.(g, 0)\n") });
        QVERIFY(run.waitForStarted());
        // Wait for the record to reach the file while the run goes on.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > 100'000, 60'000);
        QCOMPARE(run.state(), QProcess::Running);
        ::kill(pid_t(run.processId()), signal);
        QVERIFY2(run.waitForFinished(60'000), "the run did not stop");
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 128 + signal);
        std::string error;
        const qsizetype events = readBack(path, error);
        QVERIFY2(events > 0, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestMailroomRun)
#include "tst_mailroom_run.moc"
