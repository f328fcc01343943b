// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The counters: IncrementingCounter (a tick every second) and DecrementingCounter (every
// half second) live, and Counter, whose casts each take a second, with its queue.
PanelFrame {
    id: root

    required property App.EventBridge bridge
    /// The ticking counters are suspended (:sys.suspend) so that their traffic stops.
    property bool quiet: false

    signal incrementRequested(int times)
    signal getCountRequested
    /// A line of script for the console to run (suspending or resuming the ticking counters).
    signal evaluateRequested(string code)

    function setQuiet(on: bool) {
        root.quiet = on;
        const verb = on ? ":sys.suspend" : ":sys.resume";
        root.evaluateRequested(verb + "(IncrementingCounter)\n" + verb + "(DecrementingCounter)");
    }

    title: qsTr("Counters")
    subtitle: root.quiet ? qsTr("the ticking counters are suspended") : qsTr("state over the last minute")
    tools: [
        ActionButton {
            objectName: "quietCounters"
            text: root.quiet ? qsTr("Let them tick") : qsTr("Quiet the counters")
            onClicked: root.setQuiet(!root.quiet)
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: root.quiet ? qsTr("Resume IncrementingCounter and DecrementingCounter (:sys.resume)") : qsTr("Suspend IncrementingCounter and DecrementingCounter (:sys.suspend), so their ticks stop filling the trace and the chart")
        }
    ]

    RowLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 8

        CounterTile {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            bridge: root.bridge
            server: "IncrementingCounter"
            caption: qsTr("+1 every 1000 ms, send_after to itself")
            tint: Theme.cast
        }
        CounterTile {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            bridge: root.bridge
            server: "DecrementingCounter"
            caption: qsTr("−1 every 500 ms, send_after to itself")
            tint: Theme.info
        }
        CounterTile {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1.35
            bridge: root.bridge
            server: "Counter"
            caption: qsTr("each cast :increment works 1 s")
            tint: Theme.call
            interactive: true
            onIncrementRequested: times => root.incrementRequested(times)
            onGetCountRequested: root.getCountRequested()
        }
    }
}
