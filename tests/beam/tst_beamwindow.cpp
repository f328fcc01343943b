// SPDX-License-Identifier: MIT
// The window on the real BEAM (docs/beam.md): `mailroom --beam FILE.exs`, whose views follow a
// script running in real elixir, and File → Attach to a node…, which lists a running node's
// processes, watches the ones picked, and says clearly when it cannot.
#include "beamnode.h"
#include "controller.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QStandardPaths>
#include <QtTest>

using namespace mailroom;
using testing::BeamNode;

namespace {

const QString kScripts = QStringLiteral(BEAM_TEST_SCRIPTS);
const QString kCookie = QStringLiteral("tst_beamwindow");

/// A node name of this run's own, so that runs beside each other do not meet.
QString uniqueName(const char *stem)
{
    return QString::fromLatin1(stem) + QString::number(QCoreApplication::applicationPid());
}

/// The card of the process labelled `module` in what the views show, or nullptr.
const ProcessRecord *cardOf(const Controller &controller, const char *module)
{
    for (const ProcessRecord &p : controller.bridge()->liveState().processes())
        if (p.module == module)
            return &p;
    return nullptr;
}

bool hasState(const Controller &controller, const char *module, const char *state)
{
    const ProcessRecord *p = cardOf(controller, module);
    return p != nullptr && p->hasState && p->state.inspect() == state;
}

} // namespace

class TestBeamWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("elixir").isEmpty())
            QSKIP("needs elixir on PATH (tools/bootstrap.sh installs it)");
    }

    void theViewsFollowAScriptInElixir()
    {
        Controller controller(nullptr);
        QSignalSpy bridgeChanged(&controller, &Controller::bridgeChanged);
        QSignalSpy notices(&controller, &Controller::notice);
        QVERIFY(!controller.onBeam());
        QVERIFY(controller.watchBeam(kScripts + "/stack.exs"));
        QVERIFY(controller.onBeam());
        QVERIFY(!controller.replaying());
        QCOMPARE(bridgeChanged.count(), 1);
        QVERIFY(controller.bridge() != controller.liveBridge());

        // The Stack server's card comes up with the state its handlers left, as the script runs.
        QTRY_VERIFY_WITH_TIMEOUT(hasState(controller, "Stack", "[:b, :a]"), 30000);
        QVERIFY(cardOf(controller, "Stack")->isServer);
        QCOMPARE(controller.bridge()->shellPid(), 96);
        // The trace pane's model has the lines: the two casts and the call among them.
        QTRY_VERIFY_WITH_TIMEOUT(controller.trace()->rowCount() >= 20, 10000);
        // The script's end is told (elixir's exit status), and the record stays shown.
        QTRY_VERIFY_WITH_TIMEOUT(!notices.isEmpty(), 30000);
        QVERIFY2(notices.last().first().toString().contains("ended with status 0"),
            qPrintable(notices.last().first().toString()));
        QVERIFY(!controller.beamRunning());
        QVERIFY(controller.onBeam());
        QVERIFY(hasState(controller, "Stack", "[:b, :a]"));
    }

    void attachingWatchesTheSupervisorPickedAndLeavesTheNodeClean()
    {
        BeamNode shop(uniqueName("mr_win_shop"), kCookie, kScripts + "/node_shop.exs");
        QVERIFY2(!shop.waitForLine("ready").isEmpty(), qPrintable(shop.said()));

        Controller controller(nullptr);
        NodeProcessModel *listing = controller.nodeProcesses();
        QAbstractItemModelTester tester(listing, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy listed(&controller, &Controller::nodeListed);
        QSignalSpy specChanged(listing, &NodeProcessModel::specChanged);
        QVERIFY(controller.listNode(shop.name(), kCookie));
        QVERIFY(controller.listingNode());
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 30000);
        QVERIFY2(listed[0][1].toString().isEmpty(), qPrintable(listed[0][1].toString()));
        QVERIFY(!controller.listingNode());

        // The node's own processes are listed with what they are; OTP's and Elixir's are not.
        const auto row = [&](const char *label) { return listing->index(listing->rowOf(QString::fromLatin1(label))); };
        QVERIFY(row("Shop.Sup").isValid() && row("Cart").isValid() && row("Stock").isValid() && row("Clock").isValid());
        QCOMPARE(row("Shop.Sup").data(NodeProcessModel::KindRole).toString(), QString("supervisor"));
        QCOMPARE(row("Cart").data(NodeProcessModel::KindRole).toString(), QString("server"));
        QVERIFY2(row("Cart").data(NodeProcessModel::DetailRole).toString().contains("under Shop.Sup"),
            qPrintable(row("Cart").data(NodeProcessModel::DetailRole).toString()));
        QCOMPARE(listing->rowOf("code_server"), -1);
        QCOMPARE(listing->rowOf("Logger"), -1);
        // Registered names come first.
        for (int r = 1; r < listing->rowCount(); ++r)
            QVERIFY(!listing->index(r - 1).data(NodeProcessModel::LabelRole).toString().startsWith('<')
                || listing->index(r).data(NodeProcessModel::LabelRole).toString().startsWith('<'));

        // Picking the supervisor watches it and everything under it.
        QVERIFY(listing->spec().isEmpty());
        listing->setChecked(listing->rowOf("Shop.Sup"), true);
        QCOMPARE(listing->spec(), QString("sup:Shop.Sup"));
        QCOMPARE(specChanged.count(), 1);
        listing->setChecked(listing->rowOf("Shop.Sup"), true); // nothing changes
        QCOMPARE(specChanged.count(), 1);

        QSignalSpy notices(&controller, &Controller::notice);
        QVERIFY(controller.attachNode(shop.name(), kCookie, listing->spec()));
        QVERIFY(controller.onBeam());
        QVERIFY(controller.beamRunning());
        // One BEAM record at a time.
        QVERIFY(!controller.attachNode(shop.name(), kCookie, listing->spec()));
        QVERIFY(!controller.watchBeam(kScripts + "/stack.exs"));

        // The cards show the watched servers' states as the node works; the server outside the
        // supervisor is not watched.
        QCOMPARE(shop.waitForLine("watched clock:"), QString("watched clock: false"));
        QVERIFY2(!shop.waitForLine("shopped").isEmpty(), qPrintable(shop.said()));
        QTRY_VERIFY_WITH_TIMEOUT(hasState(controller, "Cart", "[:apple]"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(hasState(controller, "Stock", "2"), 30000);
        QVERIFY(cardOf(controller, "Cart")->isServer);
        QVERIFY(cardOf(controller, "supervisor") != nullptr);
        QVERIFY(cardOf(controller, "Clock") == nullptr);
        QVERIFY(notices.isEmpty());

        // A card's buttons and the console act on the watched node, and their answers come back.
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        const int cart = int(cardOf(controller, "Cart")->pid.number);
        QCOMPARE(controller.targetOf(cart), QString("Cart"));
        controller.sendSpec("GenServer.cast({server}, {:add, :pear})", cart);
        QTRY_VERIFY_WITH_TIMEOUT(hasState(controller, "Cart", "[:pear, :apple]"), 30000);
        controller.evaluate("GenServer.call(Cart, :items)");
        controller.evaluate("raise \"boom\"");
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 3, 30000);
        QCOMPARE(evaluated[0][2].toString(), QString(":ok"));
        QCOMPARE(evaluated[1][0].toString(), QString("GenServer.call(Cart, :items)"));
        QCOMPARE(evaluated[1][2].toString(), QString("[:pear, :apple]"));
        QVERIFY(!evaluated[2][1].toBool());
        QVERIFY2(evaluated[2][2].toString().contains("(RuntimeError) boom"), qPrintable(evaluated[2][2].toString()));
        QCOMPARE(controller.running(), 0);

        // The editor's Run evaluates its buffer on the watched node: the value, or the error at
        // its line and column in the buffer (a selection's from the line it starts on).
        QSignalSpy ran(&controller, &Controller::bufferRan);
        controller.runBuffer("items = GenServer.call(Cart, :items)\nlength(items)", "shop.exs");
        QTRY_COMPARE_WITH_TIMEOUT(ran.count(), 1, 30000);
        QCOMPARE(ran[0][0].toBool(), true);
        QCOMPARE(ran[0][1].toString(), QString("2"));
        controller.runBuffer("a = 1\nb = )", "shop.exs", 3, 1);
        QTRY_COMPARE_WITH_TIMEOUT(ran.count(), 2, 30000);
        QCOMPARE(ran[1][0].toBool(), false);
        QVERIFY2(ran[1][1].toString().contains("unexpected token: )"), qPrintable(ran[1][1].toString()));
        QCOMPARE(ran[1][2].toInt(), 4);
        QCOMPARE(ran[1][3].toInt(), 5);
        controller.runBuffer("[1,\n 2", "shop.exs", 1, 7);
        QTRY_COMPARE_WITH_TIMEOUT(ran.count(), 3, 30000);
        QVERIFY2(ran[2][1].toString().contains("missing terminator: ]"), qPrintable(ran[2][1].toString()));
        QCOMPARE(ran[2][2].toInt(), 2);
        QCOMPARE(ran[2][3].toInt(), 3);
        QCOMPARE(controller.running(), 0);

        // Stopping the watch leaves nothing of Mailroom's on the node; the record stays shown.
        controller.detachBeam();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.beamRunning(), 30000);
        QCOMPARE(shop.waitForLine("after:"), QString("after: {:flags, []} false"));
        QVERIFY(controller.onBeam());
        QVERIFY(hasState(controller, "Cart", "[:pear, :apple]"));
        QCOMPARE(notices.count(), 1);
        QVERIFY2(notices[0][0].toString().contains("ended with status 0"), qPrintable(notices[0][0].toString()));
    }

    void aTripOfTheRateLimitIsToldTheWatchGoesOnAfterItAndFewerProcessesCanBeWatched()
    {
        BeamNode node(uniqueName("mr_win_flood"), kCookie, kScripts + "/node_flood.exs");
        QVERIFY2(!node.waitForLine("ready").isEmpty(), qPrintable(node.said()));
        Controller controller(nullptr);
        controller.setBeamRateLimit(2000);
        QSignalSpy notices(&controller, &Controller::notice);
        QSignalSpy tripped(&controller, &Controller::beamTrippedChanged);
        QVERIFY(controller.attachNode(node.name(), kCookie, "Busy"));

        // The flood trips the limit: the window says so at once, the watch goes on untraced.
        QTRY_VERIFY_WITH_TIMEOUT(controller.beamTripped(), 60000);
        QCOMPARE(tripped.count(), 1);
        QVERIFY(controller.beamRunning());
        QVERIFY(!notices.isEmpty());
        QVERIFY2(notices.last().first().toString().startsWith("the tracer stopped itself")
                && notices.last().first().toString().contains("Watch fewer processes"),
            qPrintable(notices.last().first().toString()));
        QCOMPARE(node.waitForLine("busy flags:"), QString("busy flags: {:flags, []}"));

        // The flood over, the tracer watches the server again by itself: the window says so and
        // what was missed, and the server's card follows it from there (its state, then a cast).
        QTRY_VERIFY_WITH_TIMEOUT(!controller.beamTripped(), 60000);
        QCOMPARE(tripped.count(), 2);
        QVERIFY2(notices.last().first().toString().startsWith("the tracer watches again")
                && notices.last().first().toString().contains("trace messages dropped"),
            qPrintable(notices.last().first().toString()));
        QVERIFY2(!node.waitForLine("busy watched again").isEmpty(), qPrintable(node.said()));
        QTRY_VERIFY_WITH_TIMEOUT(hasState(controller, "Busy", "50001"), 30000);

        // Watching fewer: the watch is stopped, and the quiet server alone is watched anew.
        controller.detachBeam();
        QTRY_VERIFY_WITH_TIMEOUT(!controller.beamRunning(), 30000);
        QVERIFY(controller.attachNode(node.name(), kCookie, "Quiet"));
        QVERIFY(!controller.beamTripped());
        QCOMPARE(tripped.count(), 2);
        QVERIFY2(!node.waitForLine("set").isEmpty(), qPrintable(node.said()));
        QTRY_VERIFY_WITH_TIMEOUT(hasState(controller, "Quiet", ":calm"), 30000);
        QVERIFY(cardOf(controller, "Busy") == nullptr);
        controller.detachBeam();
        QCOMPARE(node.waitForLine("after:"), QString("after: {:flags, []} false"));
    }

    void attachingToAWrongCookieOrNoNodeSaysSoAndTheAppGoesOn()
    {
        BeamNode inbox(uniqueName("mr_win_inbox"), kCookie, kScripts + "/node_inbox.exs");
        QVERIFY2(!inbox.waitForLine("ready").isEmpty(), qPrintable(inbox.said()));
        Controller controller(nullptr);
        QSignalSpy listed(&controller, &Controller::nodeListed);

        // Listing: the error names the node and what to check.
        QVERIFY(controller.listNode(inbox.name(), "not_it"));
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 30000);
        QCOMPARE(listed[0][0].toString(), inbox.name());
        QCOMPARE(listed[0][1].toString(), inbox.name() + " refused the connection: is the cookie right?");
        const QString nobody = uniqueName("mr_nobody");
        QVERIFY(controller.listNode(nobody + "@" + testing::shortHost(), kCookie));
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 2, 30000);
        QVERIFY2(listed[1][1].toString().startsWith("no node named " + nobody + " on " + testing::shortHost()),
            qPrintable(listed[1][1].toString()));
        QCOMPARE(controller.nodeProcesses()->rowCount(), 0);

        // Attaching: a notice says why, and the views go back to the runtime.
        QSignalSpy notices(&controller, &Controller::notice);
        QVERIFY(controller.attachNode(inbox.name(), "not_it", QString()));
        QTRY_VERIFY_WITH_TIMEOUT(!notices.isEmpty(), 30000);
        QCOMPARE(notices[0][0].toString(), "Could not watch node " + inbox.name() + ": " + inbox.name() + " refused the connection: is the cookie right?");
        QVERIFY(!controller.onBeam());
        QVERIFY(!controller.beamRunning());
        QCOMPARE(controller.bridge(), controller.liveBridge());
        // A node name without a host is refused before anything starts.
        QVERIFY(controller.listNode("nohost", kCookie));
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 3, 30000);
        QVERIFY2(listed[2][1].toString().contains("NAME@HOST"), qPrintable(listed[2][1].toString()));
    }
};

QTEST_MAIN(TestBeamWindow)
#include "tst_beamwindow.moc"
