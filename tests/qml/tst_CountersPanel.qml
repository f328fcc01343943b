// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The counters panel: one click quiets the two ticking counters (and one brings them back),
// through lines of script the console runs.
TestCase {
    id: root

    name: "CountersPanel"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 900
    height: 220

    Component {
        id: panelComponent

        CountersPanel {
            anchors.fill: parent
            bridge: App.Controller.bridge
            onEvaluateRequested: code => App.Controller.evaluateIn(code, false)
        }
    }

    Component {
        id: spyComponent

        SignalSpy {
            target: App.Controller
            signalName: "evaluated"
        }
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

    function test_oneClickQuietsTheTickingCounters() {
        const panel = createTemporaryObject(panelComponent, root);
        const spy = createTemporaryObject(spyComponent, root);
        const button = findChild(panel, "quietCounters");
        verify(button !== null, "the panel offers to quiet the counters");
        mouseClick(button);
        tryCompare(spy, "count", 1, 5000);
        compare(spy.signalArguments[0][0], ":sys.suspend(IncrementingCounter)\n:sys.suspend(DecrementingCounter)");
        compare(spy.signalArguments[0][1], true);
        verify(panel.quiet);
        mouseClick(button);
        tryCompare(spy, "count", 2, 5000);
        compare(spy.signalArguments[1][0], ":sys.resume(IncrementingCounter)\n:sys.resume(DecrementingCounter)");
        verify(!panel.quiet);
    }
}
