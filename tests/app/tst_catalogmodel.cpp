// SPDX-License-Identifier: MIT
// The palette's data: every catalog server with the messages it understands.
#include "catalogmodel.h"
#include "script/catalog.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace mailroom;

class TestCatalogModel : public QObject {
    Q_OBJECT

private slots:
    void everyCatalogServerIsListed()
    {
        CatalogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), int(catalog().size()));
        QStringList modules;
        for (int r = 0; r < model.rowCount(); ++r)
            modules.append(model.index(r).data(CatalogModel::ModuleRole).toString());
        for (const char *m : { "AsyncLogger", "Counter", "SlowServer", "Journal", "Receiver",
                 "MisbehavingGenServer", "IncrementingCounter", "DecrementingCounter", "PledgeServer" })
            QVERIFY2(modules.contains(QLatin1String(m)), m);
    }

    void messagesAreLinesOfScript_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("code");
        QTest::addRow("a cast") << "Counter"
                                << "cast"
                                << "GenServer.cast({server}, :increment)";
        QTest::addRow("a call") << "Counter"
                                << "call"
                                << "GenServer.call({server}, :get_count)";
        QTest::addRow("a plain message") << "Receiver"
                                         << "info"
                                         << "send({server}, :message)";
    }

    void messagesAreLinesOfScript()
    {
        QFETCH(QString, module);
        QFETCH(QString, kind);
        QFETCH(QString, code);
        CatalogModel model;
        bool found = false;
        for (const QVariant &m : model.messagesFor(module)) {
            const QVariantMap spec = m.toMap();
            if (spec.value(QStringLiteral("code")).toString() == code) {
                QCOMPARE(spec.value(QStringLiteral("kind")).toString(), kind);
                found = true;
            }
        }
        QVERIFY(found);
        QVERIFY(model.messagesFor(QStringLiteral("NoSuchModule")).isEmpty());
    }

    void startCodeUsesTheModulesOwnStartWhenItHasOne()
    {
        CatalogModel model;
        QCOMPARE(model.startCode(QStringLiteral("Counter")),
            QStringLiteral("GenServer.start(Counter, [], name: Counter)"));
        QCOMPARE(model.startCode(QStringLiteral("PledgeServer")), QStringLiteral("PledgeServer.start()"));
        QCOMPARE(model.startCode(QStringLiteral("Journal")),
            QStringLiteral("GenServer.start(Journal, [], name: Journal)"));
    }
};

QTEST_MAIN(TestCatalogModel)
#include "tst_catalogmodel.moc"
