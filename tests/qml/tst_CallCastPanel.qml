// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// Call vs cast: Compare asks for one of each; the bars show a call that waited a second
// beside a cast that returned at once.
TestCase {
    id: root

    name: "CallCastPanel"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 520
    height: 420

    Component {
        id: panelComponent

        CallCastPanel {
            anchors.fill: parent
            calls: App.Controller.calls
            stats: App.Controller.callStats
            bridge: App.Controller.bridge
        }
    }

    SignalSpy {
        id: compareSpy

        signalName: "compareRequested"
    }

    function test_compareShowsACallAndACast() {
        const panel = createTemporaryObject(panelComponent, root);
        compareSpy.target = panel;
        waitForRendering(panel);
        tryVerify(() => panel.compareButton.x > 0); // the header's row is laid out
        mouseClick(panel.compareButton);
        compare(compareSpy.count, 1);
        compare(compareSpy.signalArguments[0][0], "Counter");
        const calls = App.Controller.calls;
        const before = calls.count;
        App.Controller.compare("Counter");
        tryVerify(() => App.Controller.callStats.rowOf("Counter", false) >= 0, 8000);
        tryVerify(() => App.Controller.callStats.rowOf("Counter", true) >= 0, 8000);
        verify(calls.count >= before + 2);
    }
}
