// SPDX-License-Identifier: MIT
// The console's transcript: inputs with their iex prompts, output, results and errors.
#include "consolemodel.h"
#include "fixture.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestConsoleModel : public QObject {
    Q_OBJECT

private slots:
    void inputsAreNumberedAndRemembered()
    {
        ConsoleModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy history(&model, &ConsoleModel::historyChanged);
        QCOMPARE(model.appendInput(QStringLiteral("1 + 1")), 1);
        QCOMPARE(model.appendInput(QStringLiteral("GenServer.call(Counter, :get_count)"), true), 2);
        QCOMPARE(model.appendInput(QStringLiteral("GenServer.call(Counter, :get_count)")), 3);
        QCOMPARE(history.count(), 2); // a repeated line is remembered once
        QCOMPARE(model.historyCount(), 2);
        QCOMPARE(model.historyAt(0), QStringLiteral("GenServer.call(Counter, :get_count)"));
        QCOMPARE(model.historyAt(1), QStringLiteral("1 + 1"));
        QCOMPARE(model.historyAt(2), QString());
        QCOMPARE(model.index(0).data(ConsoleModel::PromptRole).toString(), QStringLiteral("iex(1)>"));
        QVERIFY(model.index(1)
                    .data(ConsoleModel::TextRole)
                    .toString()
                    .endsWith(QStringLiteral("# in a new process")));
        QCOMPARE(model.promptNumber(), 4);
    }

    // A pasted module is one entry: one prompt number, one history entry, and its further
    // lines continue the prompt as iex's ...(N)>.
    void aMultiLineEntryIsOneInputWithContinuationPrompts()
    {
        ConsoleModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.prompt(), QStringLiteral("iex(1)>"));
        QCOMPARE(model.continuationPrompt(), QStringLiteral("...(1)>"));
        QVERIFY(model.isIncomplete(QStringLiteral("defmodule Tally do\n  use GenServer")));
        const QString module = QStringLiteral("defmodule Tally do\n  use GenServer\nend");
        QVERIFY(!model.isIncomplete(module));
        QCOMPARE(model.appendInput(module), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.historyAt(0), module);
        QCOMPARE(model.index(0).data(ConsoleModel::PromptRole).toString(), QStringLiteral("iex(1)>"));
        QCOMPARE(model.index(0).data(ConsoleModel::ContinuationPromptRole).toString(), QStringLiteral("...(1)>"));
        QCOMPARE(model.continuationPrompt(), QStringLiteral("...(2)>"));
    }

    void outputComesBeforeTheResultOfTheLineThatPrintedIt()
    {
        Fixture f;
        ConsoleModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.settle();
        const int prompt = model.appendInput(QStringLiteral("GenServer.cast(Counter, :increment)"));
        f.run([&] { gen::cast(proc::runtime(), Term(counter), "increment"_a); });
        // The result is known before the output the cast causes a second later.
        model.appendResult(prompt, QStringLiteral(":ok"), true, f.runtime.clock().now());
        f.settle();
        f.bridge.pump();
        f.bridge.pump();
        f.bridge.pump();
        QVERIFY(f.untilSleeping(counter));
        f.advance(1000);
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 3; }));
        QCOMPARE(model.index(1).data(ConsoleModel::KindRole).toString(), QStringLiteral("result"));
        QCOMPARE(model.index(2).data(ConsoleModel::KindRole).toString(), QStringLiteral("output"));
        QCOMPARE(model.index(2).data(ConsoleModel::TextRole).toString(), QStringLiteral("count: 1"));
    }

    void aLateResultGoesUnderItsOwnInput()
    {
        Fixture f;
        ConsoleModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const int slow = model.appendInput(QStringLiteral("GenServer.call(Counter, :get_count)"));
        const int quick = model.appendInput(QStringLiteral("1 + 1"));
        QVERIFY(model.index(0).data(ConsoleModel::RunningRole).toBool());
        model.appendResult(quick, QStringLiteral("2"), true, f.runtime.clock().now());
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 3; }));
        model.appendNote(QStringLiteral("printed meanwhile"));
        model.appendResult(slow, QStringLiteral("3"), true, f.runtime.clock().now());
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 5; }));
        QCOMPARE(model.index(1).data(ConsoleModel::TextRole).toString(), QStringLiteral("3"));
        QCOMPARE(model.index(2).data(ConsoleModel::PromptRole).toString(), QStringLiteral("iex(2)>"));
        QCOMPARE(model.index(3).data(ConsoleModel::TextRole).toString(), QStringLiteral("2"));
        QCOMPARE(model.index(4).data(ConsoleModel::TextRole).toString(), QStringLiteral("printed meanwhile"));
        QVERIFY(!model.index(0).data(ConsoleModel::RunningRole).toBool());
        QVERIFY(!model.index(2).data(ConsoleModel::RunningRole).toBool());
    }

    void aFloodOfReportsIsOneUpdatePerFrame()
    {
        Fixture f;
        ConsoleModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxLines(100);
        model.setBridge(&f.bridge);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 10000; ++i)
            model.appendError(QStringLiteral("[error] report %1").arg(i));
        QCOMPARE(model.rowCount(), 0); // shown with the next frame
        f.bridge.pump();
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(
            model.index(99).data(ConsoleModel::TextRole).toString(), QStringLiteral("[error] report 9999"));
        // An input shows at once, after what came before it.
        model.appendError(QStringLiteral("late"));
        model.appendInput(QStringLiteral("1 + 1"));
        QCOMPARE(model.index(98).data(ConsoleModel::TextRole).toString(), QStringLiteral("late"));
        QCOMPARE(model.index(99).data(ConsoleModel::KindRole).toString(), QStringLiteral("input"));
    }

    void errorsAndTheLineLimit()
    {
        ConsoleModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxLines(10);
        for (int i = 0; i < 25; ++i)
            model.appendNote(QString::number(i));
        model.appendError(QStringLiteral("** (exit) boom"));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(9).data(ConsoleModel::KindRole).toString(), QStringLiteral("error"));
        QCOMPARE(model.index(0).data(ConsoleModel::TextRole).toString(), QStringLiteral("16"));
        QVERIFY(model.transcript().endsWith(QStringLiteral("** (exit) boom\n")));
        model.clearTranscript();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestConsoleModel)
#include "tst_consolemodel.moc"
