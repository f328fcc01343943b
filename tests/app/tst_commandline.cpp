// SPDX-License-Identifier: MIT
// The window's command line as a script or a screenshot job uses it: `mailroom FILE.exs
// --screenshot OUT.png --quit-after MS` renders the window and exits by itself; a bad
// combination or an unwritable file is an error with a status, never a silent success.
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

namespace {

struct Run {
    int status = -1;
    QString stderrText;
};

/// Runs the app offscreen with `args`, settings kept in `home` so the user's are untouched.
Run runApp(const QTemporaryDir &home, const QStringList &args)
{
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(MAILROOM_APP), args);
    Run run;
    // A hang guard, not a speed bound: the app must end by itself after --quit-after.
    if (!app.waitForFinished(90'000)) {
        app.kill();
        app.waitForFinished();
        run.stderrText = QStringLiteral("did not exit by itself");
        return run;
    }
    run.status = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -2;
    run.stderrText = QString::fromUtf8(app.readAllStandardError());
    return run;
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

private slots:
    void screenshotRendersTheWindowAndQuits()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString script = home.filePath(QStringLiteral("start.exs"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{:ok, _} = GenServer.start(Counter, 0, name: Counter)\nGenServer.call(Counter, :get_count)\n");
        file.close();
        const QString out = home.filePath(QStringLiteral("shot.png"));

        const Run run = runApp(home,
            { script, QStringLiteral("--screenshot"), out, QStringLiteral("--quit-after"), QStringLiteral("1500") });
        QVERIFY2(run.status == 0, qPrintable(QStringLiteral("status %1: %2").arg(run.status).arg(run.stderrText)));
        const QImage image(out);
        QVERIFY2(!image.isNull(), "no readable PNG was written");
        QVERIFY2(image.width() >= 640 && image.height() >= 400,
            qPrintable(QStringLiteral("%1x%2").arg(image.width()).arg(image.height())));
        // The window, not an empty surface: a rendered UI has text, borders and panels.
        std::set<QRgb> colours;
        for (int y = 0; y < image.height() && colours.size() < 50; y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() >= 50, qPrintable(QStringLiteral("%1 colours").arg(colours.size())));
    }

    void quitAfterAloneQuitsWithoutAFile()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const Run run = runApp(home, { QStringLiteral("--quit-after"), QStringLiteral("200") });
        QVERIFY2(run.status == 0, qPrintable(QStringLiteral("status %1: %2").arg(run.status).arg(run.stderrText)));
        QVERIFY(QDir(home.path()).entryList({ QStringLiteral("*.png") }, QDir::Files).isEmpty());
    }

    void badCombinationsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addRow("screenshot without quit-after")
            << QStringList{ QStringLiteral("--screenshot"), QStringLiteral("x.png") };
        QTest::addRow("quit-after not a number")
            << QStringList{ QStringLiteral("--screenshot"), QStringLiteral("x.png"), QStringLiteral("--quit-after"),
                   QStringLiteral("soon") };
    }

    void badCombinationsAreRefused()
    {
        QFETCH(QStringList, args);
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const Run run = runApp(home, args);
        QCOMPARE(run.status, 2);
        QVERIFY2(
            run.stderrText.contains(QStringLiteral("--screenshot needs --quit-after")), qPrintable(run.stderrText));
    }

    void messagesOnlyIsForAWatchOfTheBeam()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const Run run = runApp(home, { QStringLiteral("--messages-only") });
        QCOMPARE(run.status, 2);
        QVERIFY2(run.stderrText.contains(QStringLiteral("--messages-only is for --beam and --attach")),
            qPrintable(run.stderrText));
    }

    void anUnwritableScreenshotIsAnError()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString out = home.filePath(QStringLiteral("missing/dir/shot.png"));
        const Run run = runApp(home,
            { QStringLiteral("--screenshot"), out, QStringLiteral("--quit-after"), QStringLiteral("300") });
        QCOMPARE(run.status, 1);
        QVERIFY2(
            run.stderrText.contains(QStringLiteral("could not save the screenshot")), qPrintable(run.stderrText));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
