// SPDX-License-Identifier: MIT
// A card's mailbox: tokens oldest first, the handled one first and highlighted, the depth
// exact under floods.
#include "fixture.h"
#include "mailboxmodel.h"

#include <QAbstractItemModelTester>

using namespace mailroom;
using namespace mailroom::literals;
using mailroom::testing::Fixture;

class TestMailboxModel : public QObject {
    Q_OBJECT

private slots:
    void castsQueueBehindTheOneBeingHandled()
    {
        Fixture f;
        const Pid counter = f.startServer("Counter");
        f.settle();
        MailboxModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPid(int(counter.number));
        model.setBridge(&f.bridge);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy depth(&model, &MailboxModel::depthChanged);

        f.run([&] {
            for (int i = 0; i < 3; ++i)
                gen::cast(proc::runtime(), Term(counter), "increment"_a);
        });
        f.waitIdle();
        f.bridge.pump();
        if (model.rowCount() == 3)
            QCOMPARE(inserted.count(), 1); // one frame, one insertion of three tokens
        QVERIFY(f.untilSleeping(counter));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.depth(), 2);
        QCOMPARE(model.handling(), true);
        QVERIFY(depth.count() >= 1);
        const QModelIndex first = model.index(0);
        QCOMPARE(first.data(MailboxModel::HandlingRole).toBool(), true);
        QCOMPARE(first.data(MailboxModel::KindRole).toString(), QStringLiteral("cast"));
        QCOMPARE(first.data(MailboxModel::LabelRole).toString(), QStringLiteral(":increment"));
        QCOMPARE(model.index(1).data(MailboxModel::HandlingRole).toBool(), false);
        QVERIFY(model.index(1).data(MailboxModel::MessageIdRole).toLongLong()
            > first.data(MailboxModel::MessageIdRole).toLongLong());

        // The handled one leaves, the next becomes the handled one.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        f.advance(1000);
        QVERIFY(f.untilSleeping(counter)); // on the second
        QVERIFY(f.pumpUntil([&] { return model.depth() == 1; }));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.index(0).data(MailboxModel::HandlingRole).toBool(), true);

        f.advance(1000);
        QVERIFY(f.untilSleeping(counter));
        QVERIFY(f.pumpUntil([&] { return model.depth() == 0; }));
        f.advance(1000);
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 0; }));
        QCOMPARE(model.depth(), 0);
        QCOMPARE(model.handling(), false);
    }

    void aCallShowsItsRequestAndTheReplyFliesToTheCaller()
    {
        Fixture f;
        const Pid slow = f.startServer("SlowServer");
        f.settle();
        MailboxModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        model.setPid(int(slow.number));
        f.runtime.spawn([&] {
            (void)gen::call(Term(slow), Term::tuple({ "sleep"_a, 300_i }), std::nullopt);
        });
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 1 && model.handling(); }));
        QCOMPARE(model.index(0).data(MailboxModel::KindRole).toString(), QStringLiteral("call"));
        QCOMPARE(model.index(0).data(MailboxModel::LabelRole).toString(), QStringLiteral("{:sleep, 300}"));
        QVERIFY(model.index(0)
                    .data(MailboxModel::TextRole)
                    .toString()
                    .startsWith(QStringLiteral("{:\"$gen_call\"")));
    }

    void theDepthStaysExactUnderAFlood_data()
    {
        QTest::addColumn<int>("messages");
        QTest::addColumn<int>("maxTokens");
        QTest::addRow("fewer than fit") << 5 << 12;
        QTest::addRow("exactly as many") << 12 << 12;
        QTest::addRow("a flood") << 50000 << 12;
        QTest::addRow("one token") << 100 << 1;
    }

    void theDepthStaysExactUnderAFlood()
    {
        QFETCH(int, messages);
        QFETCH(int, maxTokens);
        Fixture f;
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.settle();
        MailboxModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        model.setPid(int(sink.number));
        model.setMaxTokens(maxTokens);
        f.run([&] {
            for (int i = 0; i < messages; ++i)
                proc::send(Term(sink), Term::integer(i));
        });
        f.settle();
        QCOMPARE(model.depth(), messages);
        QCOMPARE(model.rowCount(), std::min(messages, maxTokens));
        QCOMPARE(model.overflow(), messages - std::min(messages, maxTokens));
        QCOMPARE(model.index(0).data(MailboxModel::LabelRole).toString(), QStringLiteral("0"));
        QCOMPARE(model.index(0).data(MailboxModel::KindRole).toString(), QStringLiteral("info"));
    }

    void selectiveReceiveTakesFromTheMiddle()
    {
        Fixture f;
        std::atomic<bool> go{ false };
        const Pid picky = f.runtime.spawn([&] {
            while (!go.load())
                proc::sleep(1);
            (void)proc::receive([](const Term &t) { return t == "wanted"_a; });
            (void)proc::receive([](const Term &) { return false; });
        });
        f.run([&] {
            proc::send(Term(picky), "a"_a);
            proc::send(Term(picky), "wanted"_a);
            proc::send(Term(picky), "b"_a);
        });
        f.settle();
        MailboxModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        model.setPid(int(picky.number));
        QCOMPARE(model.rowCount(), 3);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(f.untilSleeping(picky));
        go = true;
        f.advance(1);
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 2; }));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 1);
        QCOMPARE(model.index(0).data(MailboxModel::LabelRole).toString(), QStringLiteral(":a"));
        QCOMPARE(model.index(1).data(MailboxModel::LabelRole).toString(), QStringLiteral(":b"));
    }

    void anExitEmptiesTheMailbox()
    {
        Fixture f;
        const Pid sink = f.runtime.spawn([] { (void)proc::receive([](const Term &) { return false; }); });
        f.run([&] { proc::send(Term(sink), "x"_a); });
        f.settle();
        MailboxModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBridge(&f.bridge);
        model.setPid(int(sink.number));
        QCOMPARE(model.rowCount(), 1);
        f.runtime.exit(sink, "kill"_a);
        QVERIFY(f.pumpUntil([&] { return model.rowCount() == 0; }));
        QCOMPARE(model.depth(), 0);
    }
};

QTEST_MAIN(TestMailboxModel)
#include "tst_mailboxmodel.moc"
