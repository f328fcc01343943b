// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The sequence chart against the real runtime: it draws arrows, a click on one selects
// its message everywhere, and following keeps the newest row in view.
TestCase {
    id: root

    name: "SequenceChart"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 900
    height: 420

    Component {
        id: paneComponent

        SequenceChart {
            anchors.fill: parent
            bridge: App.Controller.bridge
            trace: App.Controller.trace
        }
    }

    function cleanup() {
        const trace = App.Controller.trace;
        trace.categories = 1023;
        trace.pidFilter = 0;
        App.Controller.bridge.goLive();
        App.Controller.bridge.selectedMessage = 0;
        App.Controller.bridge.selectedPid = 0;
    }

    // The first point (scanning up from the bottom) where the chart has an arrow.
    function findArrow(chart) {
        for (let y = chart.height - 4; y > 40; y -= 4) {
            for (let x = 90; x < chart.width; x += 8) {
                if (chart.messageAt(x, y) > 0)
                    return Qt.point(x, y);
            }
        }
        return null;
    }

    function test_drawsTheMessages() {
        const pane = createTemporaryObject(paneComponent, root);
        App.Controller.evaluateIn("GenServer.call(Counter, :get_count)", true);
        tryVerify(() => pane.chart.arrowCount > 0, 5000);
        verify(pane.chart.lifelineCount >= 2);
        verify(waitForRendering(pane.chart));
        const image = grabImage(pane.chart);
        // Something besides the background: names, lines and arrows.
        const background = image.pixel(pane.chart.width - 3, pane.chart.height - 3);
        let others = 0;
        for (let y = 2; y < pane.chart.height; y += 7) {
            for (let x = 2; x < pane.chart.width; x += 7) {
                if (!Qt.colorEqual(image.pixel(x, y), background))
                    ++others;
            }
        }
        verify(others > 100, "drawn pixels: " + others);
    }

    function test_clickingAnArrowSelectsItsMessage() {
        const pane = createTemporaryObject(paneComponent, root);
        App.Controller.evaluateIn("GenServer.call(Counter, :get_count)", true);
        tryVerify(() => findArrow(pane.chart) !== null, 5000); // a message (spawns select none)
        App.Controller.bridge.freeze(); // the arrows stay where they are while we click
        pane.chart.refresh();
        const at = findArrow(pane.chart);
        verify(at !== null, "an arrow in view");
        const message = pane.chart.messageAt(at.x, at.y);
        verify(message > 0);
        mouseClick(pane.chart, at.x, at.y);
        compare(App.Controller.bridge.selectedMessage, message);
        verify(App.Controller.bridge.selectedPid > 0);
        // Hovering shows the message.
        mouseMove(pane.chart, at.x, at.y);
        tryVerify(() => pane.chart.hoverText.length > 0, 2000);
        compare(pane.chart.hoverText, pane.chart.textAt(at.x, at.y));
    }

    function test_followingKeepsTheNewestRowInView() {
        const pane = createTemporaryObject(paneComponent, root);
        const chart = pane.chart;
        verify(chart.follow);
        App.Controller.evaluateIn("for i <- 1..80, do: send(Receiver, {:hello, i})", true);
        tryVerify(() => chart.contentHeight > chart.height * 2, 5000);
        tryVerify(() => chart.contentY > 0, 2000);
        tryVerify(() => Math.abs(chart.contentY - (chart.contentHeight - chart.height)) < 1, 2000);
        const seen = chart.lastSeq;
        // Scrolling up stops following; new events then leave the view where it is.
        chart.contentY = 0;
        verify(!chart.follow);
        App.Controller.evaluateIn("send(Receiver, :one_more)", true);
        tryVerify(() => chart.lastSeq > seen, 5000);
        compare(chart.contentY, 0);
        // Back at the bottom, it follows again.
        chart.contentY = chart.contentHeight;
        verify(chart.follow);
        compare(chart.contentY, chart.contentHeight - chart.height);
    }
}
