// SPDX-License-Identifier: MIT
// Every input the fuzzers made crash (crashers/, see its README) replayed as a regression
// test, in a child process so that a crash fails one row instead of the suite. Those listed
// in crashers/KNOWN are expected failures until their component is fixed.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QtTest>

#ifndef CRASHERS_DIR
#error "CRASHERS_DIR must name the tests/reliability/crashers source dir"
#endif
#ifndef REPLAY_PATH
#error "REPLAY_PATH must name the reliability_replay binary"
#endif

class TestCrashers : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QFile known(QDir(QStringLiteral(CRASHERS_DIR)).filePath(QStringLiteral("KNOWN")));
        QVERIFY(known.open(QIODevice::ReadOnly));
        while (!known.atEnd()) {
            const QString line = QString::fromUtf8(known.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            const qsizetype bar = line.indexOf(u'|');
            QVERIFY2(bar > 0, qPrintable(line));
            m_known.insert(line.left(bar), line.mid(bar + 1));
        }
    }

    void replay_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("file");
        const QDir root(QStringLiteral(CRASHERS_DIR));
        int rows = 0;
        for (const QString &mode : { QStringLiteral("script"), QStringLiteral("jsonl") }) {
            const QDir dir(root.filePath(mode));
            for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden, QDir::Name)) {
                QTest::addRow("%s", qPrintable(mode + u'/' + name)) << mode << dir.filePath(name);
                ++rows;
            }
        }
        if (rows == 0)
            QTest::addRow("none") << QString() << QString();
    }

    void replay()
    {
        QFETCH(QString, mode);
        QFETCH(QString, file);
        if (file.isEmpty())
            QSKIP("no crashers yet");
        QProcess run;
        run.start(QStringLiteral(REPLAY_PATH), { QStringLiteral("--") + mode, file });
        QVERIFY2(run.waitForFinished(120'000), "the replay hung");
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        const QString stderrText = QString::fromUtf8(run.readAllStandardError()).left(2000);
        if (m_known.contains(tag))
            QEXPECT_FAIL("", qPrintable(m_known.value(tag)), Continue);
        QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0,
            qPrintable(QStringLiteral("exit %1 (%2)\n%3")
                           .arg(run.exitCode())
                           .arg(run.exitStatus() == QProcess::NormalExit ? "normal" : "crashed")
                           .arg(stderrText)));
    }

    /// A crasher anywhere else (a third folder, the top level, a subfolder) would never be
    /// replayed: every file under crashers/ is in script/ or jsonl/, or is README.md or KNOWN.
    void everyFileIsReplayed()
    {
        const QString root = QStringLiteral(CRASHERS_DIR);
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QStringList stray;
        while (it.hasNext()) {
            const QString path = QDir(root).relativeFilePath(it.next());
            const QStringList parts = path.split(u'/');
            const bool replayed = parts.size() == 2
                && (parts[0] == QStringLiteral("script") || parts[0] == QStringLiteral("jsonl"));
            const bool notes = path == QStringLiteral("README.md") || path == QStringLiteral("KNOWN");
            if (!replayed && !notes)
                stray << path;
        }
        QVERIFY2(stray.isEmpty(),
            qPrintable(QStringLiteral("not replayed (move to script/ or jsonl/): ")
                + stray.join(QStringLiteral(", "))));
    }

    void everyKnownCrasherIsThere()
    {
        const QDir root(QStringLiteral(CRASHERS_DIR));
        for (auto it = m_known.cbegin(); it != m_known.cend(); ++it)
            QVERIFY2(QFile::exists(root.filePath(it.key())), qPrintable(it.key()));
    }

private:
    QHash<QString, QString> m_known; // "dir/file" -> what is wrong
};

QTEST_GUILESS_MAIN(TestCrashers)
#include "tst_crashers.moc"
