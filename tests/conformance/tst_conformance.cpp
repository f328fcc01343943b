// SPDX-License-Identifier: MIT
// Conformance test: runs every scenario in scenarios/ with mailroom-run and
// compares stdout, exit status and the uncaught-error lines of stderr with
// the goldens recorded from real Elixir (see README.md and ./record).
//
//   tst_conformance                               # all scenarios
//   tst_conformance scenario:17_async_logger      # one scenario
//   tst_conformance maskingSelfTest               # only the masking checks

#include "masking.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

#ifndef MAILROOM_RUN_PATH
#error "MAILROOM_RUN_PATH must be defined (path of the mailroom-run binary)"
#endif
#ifndef CONFORMANCE_DIR
#error "CONFORMANCE_DIR must be defined (the tests/conformance source dir)"
#endif

namespace {

constexpr int kRunTimeoutMs = 30'000;

QString readText(const QString &path, bool *ok = nullptr)
{
    QFile f(path);
    const bool opened = f.open(QIODevice::ReadOnly);
    if (ok)
        *ok = opened;
    return opened ? QString::fromUtf8(f.readAll()) : QString();
}

QString scenariosDir()
{
    return QDir(QStringLiteral(CONFORMANCE_DIR)).filePath(QStringLiteral("scenarios"));
}

} // namespace

class TestConformance : public QObject {
    Q_OBJECT

private slots:
    void maskingSelfTest();
    void scenario_data();
    void scenario();
};

// The normalisation rules themselves, independent of mailroom-run.
void TestConformance::maskingSelfTest()
{
    using conformance::maskOutput;
    QCOMPARE(maskOutput(QStringLiteral("#PID<0.96.0> <0.132.0> <0.96.0> #PID<0.132.0>\n")),
        QStringLiteral("#PID<PID1> <PID2> <PID1> #PID<PID2>\n"));
    // Numbering depends only on order of first appearance.
    QCOMPARE(maskOutput(QStringLiteral("<0.5.0>,<0.7.0>,<0.5.0>")),
        maskOutput(QStringLiteral("<0.96.0>,<0.133.0>,<0.96.0>")));
    QVERIFY(maskOutput(QStringLiteral("<0.5.0>,<0.7.0>"))
        != maskOutput(QStringLiteral("<0.5.0>,<0.5.0>")));
    QCOMPARE(maskOutput(QStringLiteral("#Reference<0.1.2.3> #Ref<0.9.9.9> #Reference<0.1.2.3>")),
        QStringLiteral("#Reference<REF1> #Ref<REF2> #Reference<REF1>"));
    QCOMPARE(maskOutput(QStringLiteral("[05:19:52.186] User logged in\n<<\"[23:59:59.999] x\">>")),
        QStringLiteral("[HH:MM:SS.mmm] User logged in\n<<\"[HH:MM:SS.mmm] x\">>"));
    QCOMPARE(maskOutput(QStringLiteral("[1, 2] {0.5, 1.0e20} <<\"a\">>")),
        QStringLiteral("[1, 2] {0.5, 1.0e20} <<\"a\">>"));

    using conformance::filterStderr;
    const QString raw = QStringLiteral(
        "warning: the call to hd/1 will fail with ArgumentError\n"
        "\n"
        "05:14:36.618 [error] GenServer #PID<0.132.0> terminating\n"
        "** (stop) exited in: GenServer.call(#PID<0.132.0>, :talking_to_myself, 5000)\n"
        "    ** (EXIT) process attempted to call itself\n"
        "    (elixir 1.14.0) lib/gen_server.ex:1031: GenServer.call/3\n"
        "Last message (from #PID<0.96.0>): :message\n"
        "\n"
        "05:14:36.700 [error] Process #PID<0.140.0> raised an exception\n"
        "** (MatchError) no match of right hand side value: 2\n"
        "\n"
        "05:14:36.701 [error] Receiver #PID<0.132.0> received unexpected message in handle_info/2: :x\n"
        "** (exit) exited in: GenServer.call(#PID<0.132.0>, :message, 5000)\n"
        "    ** (EXIT) exited in: GenServer.call(#PID<0.132.0>, :talking_to_myself, 5000)\n"
        "        ** (EXIT) process attempted to call itself\n"
        "    (elixir 1.14.0) lib/gen_server.ex:1038: GenServer.call/3\n"
        "    ** (EXIT) not a continuation any more\n");
    QCOMPARE(filterStderr(raw),
        QStringLiteral(
            "** (exit) exited in: GenServer.call(#PID<0.132.0>, :message, 5000)\n"
            "    ** (EXIT) exited in: GenServer.call(#PID<0.132.0>, :talking_to_myself, 5000)\n"
            "        ** (EXIT) process attempted to call itself\n"));
    QCOMPARE(filterStderr(QStringLiteral("** (EXIT from #PID<0.96.0>) :boom\r\n\r\n")),
        QStringLiteral("** (EXIT from #PID<0.96.0>) :boom\n"));
    QCOMPARE(filterStderr(QString()), QString());

    using conformance::filterLogger;
    QCOMPARE(filterLogger(raw),
        QStringLiteral("[error] GenServer #PID<0.132.0> terminating\n"
                       "** (stop) exited in: GenServer.call(#PID<0.132.0>, :talking_to_myself, 5000)\n"
                       "    ** (EXIT) process attempted to call itself\n"
                       "Last message (from #PID<0.96.0>): :message\n"
                       "[error] Process #PID<0.140.0> raised an exception\n"
                       "** (MatchError) no match of right hand side value: 2\n"
                       "[error] Receiver #PID<0.132.0> received unexpected message in handle_info/2: :x\n"));
    QCOMPARE(filterLogger(QStringLiteral("\n12:00:00.000 [error] GenServer :a terminating\n** (stop) :x\n"
                                         "Client :b is alive\n\n    (stdlib 4.2) gen.erl:256: :gen.do_call/4\n"
                                         "  * 1st argument: kept\n")),
        QStringLiteral("[error] GenServer :a terminating\n** (stop) :x\nClient :b is alive\n  * 1st argument: kept\n"));
    QCOMPARE(filterLogger(QStringLiteral("** (exit) not in a report\n")), QString());

    QVERIFY(conformance::describeDifference(QStringLiteral("a\nb\n"), QStringLiteral("a\nb\n")).isEmpty());
    const QString d = conformance::describeDifference(QStringLiteral("a\nb\nc\n"), QStringLiteral("a\nx\nc\n"));
    QVERIFY2(d.contains(QStringLiteral("line 2")) && d.contains(QStringLiteral(" - b"))
            && d.contains(QStringLiteral(" + x")),
        qPrintable(d));
}

void TestConformance::scenario_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(scenariosDir());
    const QStringList files = dir.entryList({ QStringLiteral("*.exs") }, QDir::Files, QDir::Name);
    if (files.isEmpty())
        QTest::addRow("no-scenarios-found") << QString();
    for (const QString &file : files)
        QTest::addRow("%s", qPrintable(QFileInfo(file).completeBaseName())) << dir.filePath(file);
}

void TestConformance::scenario()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), qPrintable(QStringLiteral("no *.exs in %1").arg(scenariosDir())));

    const QString runner = QStringLiteral(MAILROOM_RUN_PATH);
    QVERIFY2(QFileInfo(runner).isExecutable(),
        qPrintable(QStringLiteral("mailroom-run not found at %1").arg(runner)));

    const QString base = path.left(path.size() - int(qstrlen(".exs")));
    bool okOut = false, okErr = false, okStatus = false;
    const QString goldenStdout = readText(base + QStringLiteral(".stdout"), &okOut);
    const QString goldenStderr = readText(base + QStringLiteral(".stderr"), &okErr);
    const QString goldenStatus = readText(base + QStringLiteral(".status"), &okStatus).trimmed();
    QVERIFY2(okOut && okErr && okStatus,
        qPrintable(QStringLiteral("missing goldens for %1; run tests/conformance/record").arg(path)));

    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    proc.setProcessEnvironment(env);
    // The output must not depend on the working directory; use a neutral one.
    proc.setWorkingDirectory(QDir::tempPath());
    proc.setProgram(runner);
    proc.setArguments({ path });
    proc.setStandardInputFile(QProcess::nullDevice());
    proc.start();
    QVERIFY2(proc.waitForStarted(10'000),
        qPrintable(QStringLiteral("could not start %1: %2").arg(runner, proc.errorString())));
    if (!proc.waitForFinished(kRunTimeoutMs)) {
        proc.kill();
        proc.waitForFinished(5'000);
        QFAIL(qPrintable(QStringLiteral("%1 did not finish within %2 s\n--- stdout so far:\n%3")
                             .arg(path)
                             .arg(kRunTimeoutMs / 1000)
                             .arg(QString::fromUtf8(proc.readAllStandardOutput()))));
    }
    const QString rawStdout = QString::fromUtf8(proc.readAllStandardOutput());
    const QString rawStderr = QString::fromUtf8(proc.readAllStandardError());
    QVERIFY2(proc.exitStatus() == QProcess::NormalExit,
        qPrintable(QStringLiteral("mailroom-run crashed\n--- stderr:\n%1").arg(rawStderr)));

    using conformance::describeDifference;
    using conformance::filterLogger;
    using conformance::filterStderr;
    using conformance::maskOutput;

    QString report;
    const bool comparesLogger = readText(path).split(QLatin1Char('\n')).contains(QStringLiteral("# conformance: logger"));
    if (comparesLogger) {
        bool okLogger = false;
        const QString goldenLogger = readText(base + QStringLiteral(".logger"), &okLogger);
        QVERIFY2(okLogger, qPrintable(QStringLiteral("missing %1.logger; run tests/conformance/record").arg(base)));
        const QString loggerDiff = describeDifference(maskOutput(goldenLogger), maskOutput(filterLogger(rawStderr)));
        if (!loggerDiff.isEmpty())
            report += QStringLiteral("Logger reports differ (masked), ") + loggerDiff;
    }
    const QString status = QString::number(proc.exitCode());
    if (status != goldenStatus)
        report += QStringLiteral("exit status: expected %1, got %2\n").arg(goldenStatus, status);
    const QString outDiff = describeDifference(maskOutput(goldenStdout), maskOutput(rawStdout));
    if (!outDiff.isEmpty())
        report += QStringLiteral("stdout differs (masked), ") + outDiff;
    const QString errDiff = describeDifference(maskOutput(goldenStderr), maskOutput(filterStderr(rawStderr)));
    if (!errDiff.isEmpty())
        report += QStringLiteral("stderr (uncaught-error lines) differs (masked), ") + errDiff;

    if (!report.isEmpty()) {
        if (!errDiff.isEmpty() || status != goldenStatus || report.contains(QLatin1String("Logger reports differ")))
            report += QStringLiteral("--- raw stderr (first 4000 chars):\n") + rawStderr.left(4000);
        QFAIL(qPrintable(QStringLiteral("%1\n%2").arg(QFileInfo(path).fileName(), report)));
    }
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
