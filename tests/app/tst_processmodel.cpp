// SPDX-License-Identifier: MIT
// The stage's cards: one row per process with its name, status, state and mailbox depth.
#include "fixture.h"
#include "processmodel.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

namespace {

QVariant value(const ProcessModel &model, Pid pid, const char *role)
{
    return model.valueOf(int(pid.number), role);
}

} // namespace

class TestProcessModel : public QObject {
    Q_OBJECT

private slots:
    void aServerAppearsWithItsNameModuleAndState()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

        const Pid counter = f.startServer("Counter");
        f.settle();
        // The starter process and Counter arrive in one frame: one insertion of both.
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        const int row = model.rowOfPid(int(counter.number));
        QCOMPARE(row, 1);
        const QModelIndex index = model.index(row);
        QCOMPARE(index.data(ProcessModel::NameRole).toString(), QStringLiteral("Counter"));
        QCOMPARE(index.data(ProcessModel::ModuleRole).toString(), QStringLiteral("Counter"));
        QCOMPARE(index.data(ProcessModel::IsServerRole).toBool(), true);
        QCOMPARE(index.data(ProcessModel::StatusRole).toString(), QStringLiteral("waiting"));
        QCOMPARE(index.data(ProcessModel::StateTextRole).toString(), QStringLiteral("0"));
        QCOMPARE(
            index.data(ProcessModel::PidTextRole).toString(), QStringLiteral("<0.%1.0>").arg(counter.number));
        // The starter exited normally.
        QCOMPARE(model.index(0).data(ProcessModel::ExitedRole).toBool(), true);
        QCOMPARE(model.index(0).data(ProcessModel::CrashedRole).toBool(), false);
    }

    void castsQueueWhileTheHandlerSleeps()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.settle();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        f.run([&] {
            for (int i = 0; i < 3; ++i)
                gen::cast(proc::runtime(), Term(counter), "increment"_a);
        });
        QVERIFY(f.untilSleeping(counter));
        QVERIFY(changed.count() >= 1);
        QCOMPARE(value(model, counter, "status").toString(), QStringLiteral("sleeping"));
        QCOMPARE(value(model, counter, "statusText").toString(),
            QStringLiteral("sleeping 1000 ms in handle_cast"));
        QCOMPARE(value(model, counter, "mailboxDepth").toInt(), 2);

        for (int done = 1; done <= 3; ++done) {
            f.advance(1000);
            QVERIFY(f.pumpUntil(
                [&] { return value(model, counter, "stateText").toString() == QString::number(done); }));
            QCOMPARE(value(model, counter, "mailboxDepth").toInt(), std::max(0, 2 - done));
            if (done < 3)
                QVERIFY(f.untilSleeping(counter));
        }
        QVERIFY(f.pumpUntil(
            [&] { return value(model, counter, "status").toString() == QLatin1String("waiting"); }));
    }

    void aBlockedCallerShowsWhomItWaitsFor()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid slow = f.startServer("SlowServer");
        const Pid caller = f.runtime.spawn([&] { (void)gen::call(Term(slow), "sleep"_a, std::nullopt); });
        QVERIFY(f.pumpUntil(
            [&] { return value(model, caller, "status").toString() == QLatin1String("blocked"); }));
        QCOMPARE(
            value(model, caller, "statusText").toString(), QStringLiteral("in GenServer.call to SlowServer"));
        QCOMPARE(value(model, caller, "blockedOn").toInt(), int(slow.number));
        QVERIFY(value(model, caller, "statusSinceMs").toDouble() >= 0);
        QVERIFY(f.untilSleeping(slow));
        f.advance(1000);
        QVERIFY(f.pumpUntil([&] { return value(model, caller, "exited").toBool(); }));
    }

    void aKilledServerGreysOutWithItsReasonAndTakesItsLinksAlong()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        Pid server;
        Pid owner;
        std::atomic<bool> started{ false };
        owner = f.runtime.spawn([&] {
            const NativeServer *entry = findNativeServer("Journal");
            gen::StartOptions o;
            o.link = true;
            server = gen::start(proc::runtime(), entry->make(), Term(), o)[1].asPid();
            started = true;
            (void)proc::receive([](const Term &) { return false; });
        });
        QTRY_VERIFY(started.load());
        f.settle();
        QCOMPARE(value(model, server, "links").toList(), QVariantList{ int(owner.number) });
        f.runtime.exit(server, "boom"_a);
        QVERIFY(f.pumpUntil([&] { return value(model, owner, "exited").toBool(); }));
        QCOMPARE(value(model, server, "crashed").toBool(), true);
        QCOMPARE(value(model, server, "exitReason").toString(), QStringLiteral(":boom"));
        QCOMPARE(value(model, server, "statusText").toString(), QStringLiteral("crashed: :boom"));
        QCOMPARE(value(model, owner, "diedWith").toInt(), int(server.number));
        QCOMPARE(
            value(model, owner, "diedWithName").toString(), QStringLiteral("<0.%1.0>").arg(server.number));
    }

    void suspendAndTraceFlagsShow()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid counter = f.startServer("Counter");
        f.run([&] {
            sys::suspend(Term(counter));
            sys::trace(Term(counter), true);
        });
        f.settle();
        QCOMPARE(value(model, counter, "suspended").toBool(), true);
        QCOMPARE(value(model, counter, "status").toString(), QStringLiteral("suspended"));
        QCOMPARE(value(model, counter, "traced").toBool(), true);
        f.run([&] { sys::resume(Term(counter)); });
        f.settle();
        QCOMPARE(value(model, counter, "status").toString(), QStringLiteral("waiting"));
    }

    void theShellIsNamedIex()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        const Pid shell = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.settle();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        f.bridge.setShellPid(int(shell.number));
        f.bridge.pump();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(value(model, shell, "name").toString(), QStringLiteral("iex"));
        QCOMPARE(value(model, shell, "isShell").toBool(), true);
        QCOMPARE(value(model, shell, "status").toString(), QStringLiteral("waiting"));

        // A console line to run (a loop records nothing): the card says the shell runs it.
        changed.clear();
        f.bridge.setShellBusy(true);
        f.bridge.pump();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(value(model, shell, "status").toString(), QStringLiteral("running"));
        QCOMPARE(value(model, shell, "statusText").toString(), QStringLiteral("running a console line"));
        f.bridge.setShellBusy(false);
        f.bridge.pump();
        QCOMPARE(value(model, shell, "status").toString(), QStringLiteral("waiting"));
    }

    void exitedProcessesBeyondTheKeptOnesLeaveTheStage()
    {
        Fixture f;
        ProcessModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        for (int i = 0; i < 100; ++i)
            f.run([] {});
        f.settle();
        QVERIFY(model.rowCount() <= int(2 * WorldState::kKeptExited));
        QVERIFY(model.rowCount() >= int(WorldState::kKeptExited));
    }
};

QTEST_MAIN(TestProcessModel)
#include "tst_processmodel.moc"
