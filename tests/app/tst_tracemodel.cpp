// SPDX-License-Identifier: MIT
// The trace pane: *DBG* lines as :sys.trace prints them, filters, search and big logs.
#include "fixture.h"
#include "tracemodel.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

namespace {

QStringList lines(const TraceModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out.append(model.index(r).data(TraceModel::TextRole).toString());
    return out;
}

QString pidString(Pid pid)
{
    return QString::fromStdString(pidText(pid));
}

} // namespace

class TestTraceModel : public QObject {
    Q_OBJECT

private slots:
    void aFloodArrivesTenTimesASecondAndKeepsEveryLine()
    {
        Fixture f;
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.settle();
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const int frames = 40;
        (void)f.flood(sink, frames, 200);
        // New lines came in fewer, bigger batches than frames...
        QVERIFY2(inserted.count() < frames, qPrintable(QString::number(inserted.count())));
        // ...and once the flood stops every line is there, in order.
        const History &history = f.bridge.history();
        QVERIFY(f.pumpUntil([&] { return size_t(model.rowCount()) == history.trace().size(); }));
        QCOMPARE(model.index(model.rowCount() - 1).data(TraceModel::SeqRole).toLongLong(),
            qint64(history.trace().back().seq));
        QCOMPARE(model.totalLines(), qint64(history.trace().size()));
    }

    void callsCastsAndInfosReadAsSysTrace()
    {
        Fixture f;
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        const Pid receiver = f.startServer("Receiver");
        f.settle();
        Pid client;
        f.run([&] {
            client = proc::self();
            (void)gen::call(Term(counter), "get_count"_a);
            proc::send(Term(receiver), "message"_a);
        });
        f.settle();
        const QStringList text = lines(model);
        const QString from = pidString(client);
        QVERIFY2(text.contains(QStringLiteral("*DBG* 'Elixir.Counter' got call get_count from ") + from),
            qPrintable(text.join('\n')));
        QVERIFY(text.contains(
            QStringLiteral("*DBG* 'Elixir.Counter' sent 0 to ") + from + QStringLiteral(", new state 0")));
        QVERIFY(text.contains(QStringLiteral("*DBG* 'Elixir.Receiver' got message")));
        QVERIFY(text.contains(QStringLiteral("*DBG* 'Elixir.Receiver' printed <<\"Received a message!\">>")));

        f.run([&] { gen::cast(proc::runtime(), Term(counter), "increment"_a); });
        QVERIFY(f.untilSleeping(counter));
        f.advance(1000);
        QVERIFY(f.pumpUntil(
            [&] { return lines(model).contains(QStringLiteral("*DBG* 'Elixir.Counter' new state 1")); }));
        const QStringList after = lines(model);
        QVERIFY(after.contains(QStringLiteral("*DBG* 'Elixir.Counter' got cast increment")));
        QVERIFY(after.contains(QStringLiteral("*DBG* 'Elixir.Counter' new state 1")));

        // The same lines in Elixir syntax.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setErlangSyntax(false);
        QCOMPARE(changed.count(), 1);
        const QStringList elixir = lines(model);
        QVERIFY(elixir.contains(QStringLiteral("*DBG* Counter got call :get_count from #PID") + from));
        QVERIFY(elixir.contains(QStringLiteral("*DBG* Counter got cast :increment")));
        QVERIFY(elixir.contains(QStringLiteral("*DBG* Receiver got :message")));
    }

    void aTimersDeliveryReadsAsTheTimersNotTheSetters()
    {
        // The timer sends in its setter's name; the line says so, among the timer's lines.
        Fixture f;
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid receiver = f.startServer("Receiver");
        Pid setter;
        f.run([&] {
            setter = proc::self();
            (void)proc::runtime().sendAfter(Term(receiver), "message"_a, 100);
        });
        f.advance(100);
        QVERIFY(f.pumpUntil([&] { return lines(model).contains(QStringLiteral("*DBG* 'Elixir.Receiver' got message")); }));
        const QString delivery = QStringLiteral("*DBG* ") + pidString(setter) + QStringLiteral(" timer sent message to 'Elixir.Receiver'");
        const QStringList text = lines(model);
        QVERIFY2(text.contains(delivery), qPrintable(text.join('\n')));
        QVERIFY(!text.contains(QStringLiteral("*DBG* ") + pidString(setter) + QStringLiteral(" sent message to 'Elixir.Receiver'")));
        const int row = int(text.indexOf(delivery));
        QCOMPARE(model.index(row).data(TraceModel::CategoryRole).toString(), QStringLiteral("timer"));
    }

    void theTimeColumnCountsMillisecondsSinceStart()
    {
        Fixture f;
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        f.runtime.advance(1500);
        f.run([] {});
        f.settle();
        const QModelIndex last = model.index(model.rowCount() - 1);
        QCOMPARE(last.data(TraceModel::TimeTextRole).toString(), QStringLiteral("1500.000"));
        QCOMPARE(last.data(TraceModel::TimeMsRole).toDouble(), 1500.0);
    }

    void filtersByProcessCategoryAndText()
    {
        Fixture f;
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        const Pid journal = f.startServer("Journal");
        f.run([&] {
            (void)gen::call(Term(counter), "get_count"_a);
            gen::cast(proc::runtime(), Term(journal), Term::tuple({ "add_entry"_a, "hello"_s }));
        });
        f.settle();
        const int all = model.rowCount();
        QVERIFY(all > 10);
        QCOMPARE(model.totalLines(), qint64(all));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setPidFilter(int(journal.number));
        QCOMPARE(reset.count(), 1);
        for (int r = 0; r < model.rowCount(); ++r) {
            const QModelIndex i = model.index(r);
            QVERIFY(i.data(TraceModel::PidRole).toInt() == int(journal.number)
                || i.data(TraceModel::OtherPidRole).toInt() == int(journal.number));
        }
        QVERIFY(lines(model).contains(
            QStringLiteral("*DBG* 'Elixir.Journal' got cast {add_entry,<<\"hello\">>}")));

        model.setPidFilter(0);
        model.setCategories(int(categoryBit(TraceCategory::Call)));
        QVERIFY(model.rowCount() > 0);
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.index(r).data(TraceModel::CategoryRole).toString(), QStringLiteral("call"));

        model.setCategories(int(kAllCategories));
        model.setSearch(QStringLiteral("NEW STATE"));
        f.bridge.pump();
        QVERIFY(!model.scanning());
        QCOMPARE(model.rowCount(), 2); // the call's reply line and the cast's
        model.setSearch({});
        QCOMPARE(model.rowCount(), all);
        QCOMPARE(reset.count(), 6);
    }

    void aBigTraceIsSearchedAFrameAtATime()
    {
        Fixture f;
        TraceModel model;
        model.setBridge(&f.bridge);
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.run([&] {
            for (int i = 0; i < 200000; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.settle();
        QVERIFY(model.rowCount() > 200000);
        QSignalSpy scanning(&model, &TraceModel::scanningChanged);
        model.setSearch(QStringLiteral("sent 199999 to"));
        // One frame's budget does not cover formatting 200k lines: the rest follows.
        QVERIFY(model.scanning());
        QVERIFY(f.pumpUntil([&] { return !model.scanning(); }, 60000));
        QCOMPARE(scanning.count(), 2);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(TraceModel::CategoryRole).toString(), QStringLiteral("info"));
    }

    void copiesAndSavesWhatIsShown()
    {
        Fixture f;
        TraceModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        f.startServer("Counter");
        f.settle();
        const QString text = model.linesText(0, model.rowCount() - 1);
        QCOMPARE(text.count(QLatin1Char('\n')), model.rowCount());
        QVERIFY(text.contains(QStringLiteral("*DBG* 'Elixir.Counter' init done, state 0")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("trace.txt"));
        QVERIFY(model.save(QUrl::fromLocalFile(path)));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), text);
        QVERIFY(!model.save(QUrl::fromLocalFile(dir.filePath(QStringLiteral("no/such/dir/trace.txt")))));
        QVERIFY(!model.errorString().isEmpty());
    }

    void rowOfSeqFindsALine()
    {
        Fixture f;
        TraceModel model;
        model.setBridge(&f.bridge);
        f.startServer("Counter");
        f.settle();
        const QModelIndex third = model.index(2);
        QCOMPARE(model.rowOfSeq(third.data(TraceModel::SeqRole).toLongLong()), 2);
        QCOMPARE(model.rowOfSeq(0), -1);
    }
};

QTEST_MAIN(TestTraceModel)
#include "tst_tracemodel.moc"
