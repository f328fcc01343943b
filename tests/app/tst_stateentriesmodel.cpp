// SPDX-License-Identifier: MIT
// The logger panel's data: AsyncLogger's entries oldest first, the newest marked.
#include "fixture.h"
#include "stateentriesmodel.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestStateEntriesModel : public QObject {
    Q_OBJECT

private slots:
    void entriesAppendOldestFirst()
    {
        Fixture f;
        StateEntriesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setServer(QStringLiteral("AsyncLogger"));
        model.setBridge(&f.bridge);
        const Pid logger = f.startServer("AsyncLogger");
        f.settle();
        QCOMPARE(model.alive(), true);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        f.run([&] { gen::cast(proc::runtime(), Term(logger), Term::tuple({ "log"_a, "first"_s })); });
        f.settle();
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(
            model.index(0).data(StateEntriesModel::TextRole).toString().endsWith(QStringLiteral("] first")));
        QCOMPARE(model.index(0).data(StateEntriesModel::IsNewRole).toBool(), true);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        f.run([&] {
            gen::cast(proc::runtime(), Term(logger), Term::tuple({ "log"_a, "second"_s }));
            gen::cast(proc::runtime(), Term(logger), Term::tuple({ "log"_a, "third"_s }));
        });
        f.settle();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1); // "first" is no longer new
        QCOMPARE(model.index(0).data(StateEntriesModel::IsNewRole).toBool(), false);
        QVERIFY(
            model.index(1).data(StateEntriesModel::TextRole).toString().endsWith(QStringLiteral("] second")));
        QVERIFY(
            model.index(2).data(StateEntriesModel::TextRole).toString().endsWith(QStringLiteral("] third")));
        QCOMPARE(model.index(2).data(StateEntriesModel::IsNewRole).toBool(), true);
    }

    void aRestartedServerStartsOver()
    {
        Fixture f;
        StateEntriesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setServer(QStringLiteral("Journal"));
        model.setBridge(&f.bridge);
        const Pid journal = f.startServer("Journal");
        f.run([&] { gen::cast(proc::runtime(), Term(journal), Term::tuple({ "add_entry"_a, "a"_s })); });
        f.settle();
        QCOMPARE(model.rowCount(), 1);
        f.runtime.exit(journal, "kill"_a);
        QVERIFY(f.pumpUntil([&] { return !model.alive(); }));
        f.startServer("Journal");
        QVERIFY(f.pumpUntil([&] { return model.alive(); }));
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestStateEntriesModel)
#include "tst_stateentriesmodel.moc"
