// `mailroom --beam FILE.exs`: the window's views follow a script running in real elixir
// (docs/beam.md), and the runtime's own controls say they are off.
#include "controller.h"

#include <QStandardPaths>
#include <QtTest>

using namespace mailroom;

class TestBeamWindow : public QObject {
    Q_OBJECT

private slots:
    void theViewsFollowAScriptInElixir()
    {
        if (QStandardPaths::findExecutable("elixir").isEmpty())
            QSKIP("needs elixir on PATH (tools/bootstrap.sh installs it)");
        Controller controller(nullptr);
        QSignalSpy bridgeChanged(&controller, &Controller::bridgeChanged);
        QSignalSpy notices(&controller, &Controller::notice);
        QVERIFY(!controller.onBeam());
        QVERIFY(controller.watchBeam(QStringLiteral(BEAM_TEST_SCRIPTS "/stack.exs")));
        QVERIFY(controller.onBeam());
        QVERIFY(!controller.replaying());
        QCOMPARE(bridgeChanged.count(), 1);
        QVERIFY(controller.bridge() != controller.liveBridge());

        // The Stack server's card comes up with the state its handlers left, as the script runs.
        const auto stack = [&]() -> const ProcessRecord * {
            for (const ProcessRecord &p : controller.bridge()->liveState().processes())
                if (p.module == "Stack")
                    return &p;
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(stack() != nullptr && stack()->hasState && stack()->state.inspect() == "[:b, :a]",
            30000);
        QVERIFY(stack()->isServer);
        QCOMPARE(controller.bridge()->shellPid(), 96);
        // The trace pane's model has the lines: the two casts and the call among them.
        QTRY_VERIFY_WITH_TIMEOUT(controller.trace()->rowCount() >= 20, 10000);
        // The script's end is told (elixir's exit status).
        QTRY_VERIFY_WITH_TIMEOUT(!notices.isEmpty(), 30000);
        QVERIFY2(notices.last().first().toString().contains("ended with status 0"),
            qPrintable(notices.last().first().toString()));
        // Once on the BEAM, a second script is refused (one record per window).
        QVERIFY(!controller.watchBeam(QStringLiteral(BEAM_TEST_SCRIPTS "/stack.exs")));
    }
};

QTEST_MAIN(TestBeamWindow)
#include "tst_beamwindow.moc"
