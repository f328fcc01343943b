pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Mailroom.App as App

// The counters: IncrementingCounter (a tick every second) and DecrementingCounter (every
// half second) live, and Counter, whose casts each take a second, with its queue.
PanelFrame {
    id: root

    required property App.EventBridge bridge

    signal incrementRequested(int times)
    signal getCountRequested

    title: qsTr("Counters")
    subtitle: qsTr("state over the last minute")

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
