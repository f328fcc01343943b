// SPDX-License-Identifier: MIT
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

    function findChild(item, objectName) {
        if (item.objectName === objectName)
            return item;
        for (let i = 0; i < item.children.length; ++i) {
            const found = findChild(item.children[i], objectName);
            if (found)
                return found;
        }
        return null;
    }

    /// The newest entry (the list's last row) lies in the list's visible part.
    function newestInView(list) {
        return list.count > 0 && list.contentY + list.height >= list.contentHeight + list.originY - 2;
    }

    function test_theListFollowsNewEntriesUnlessScrolledUp() {
        const panel = createTemporaryObject(panelComponent, root);
        const spy = createTemporaryObject(spyComponent, root);
        const list = findChild(panel, "loggerEntries");
        verify(list !== null);
        const before = list.count;
        App.Controller.evaluateIn("Enum.each(1..40, fn i -> AsyncLogger.log(\"line #{i}\") end)", true);
        tryCompare(spy, "count", 1, 5000);
        tryVerify(() => list.count >= before + 40, 5000);
        tryVerify(() => list.contentHeight > list.height, 2000, "more entries than the list shows");
        tryVerify(() => newestInView(list), 2000, "the newest entry is in view");
        App.Controller.evaluateIn("AsyncLogger.log(\"one more\")", true);
        tryCompare(spy, "count", 2, 5000);
        tryVerify(() => list.count >= before + 41, 5000);
        tryVerify(() => newestInView(list), 2000, "the newest entry is still in view");

        // Scrolled up to read, the list stays where the user left it.
        mouseDrag(list, list.width / 2, 20, 0, list.height - 30);
        tryVerify(() => !list.moving, 3000);
        verify(!newestInView(list));
        const readingAt = list.contentY;
        App.Controller.evaluateIn("AsyncLogger.log(\"and another\")", true);
        tryCompare(spy, "count", 3, 5000);
        tryVerify(() => list.count >= before + 42, 5000);
        wait(100);
        compare(list.contentY, readingAt);
    }
}
