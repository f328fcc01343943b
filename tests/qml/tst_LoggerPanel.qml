import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The Logger panel: how long get_logs blocked is the figure the Call vs cast panel shows for
// the same call (one measure everywhere).
TestCase {
    id: root

    name: "LoggerPanel"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 500
    height: 300

    Component {
        id: panelComponent

        LoggerPanel {
            anchors.fill: parent
            bridge: App.Controller.bridge
            calls: App.Controller.calls
        }
    }

    Component {
        id: spyComponent

        SignalSpy {
            target: App.Controller
            signalName: "evaluated"
        }
    }

    function test_getLogsQuotesTheCallsOwnDuration() {
        const panel = createTemporaryObject(panelComponent, root);
        const spy = createTemporaryObject(spyComponent, root);
        App.Controller.evaluateIn("AsyncLogger.get_logs()", true);
        tryCompare(spy, "count", 1, 5000);
        panel.lastReply = spy.signalArguments[0][2]; // as the window does
        // The call's bar in the Call vs cast panel says how long it blocked; so does the Logger.
        tryVerify(() => App.Controller.calls.lastCallUs("AsyncLogger") > 0, 5000);
        tryVerify(() => panel.lastReplyUs === App.Controller.calls.lastCallUs("AsyncLogger"), 2000);
    }
}
