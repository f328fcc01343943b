// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// Call vs cast: how long each call kept its caller waiting (request to reply, growing
// while it waits) beside how long each cast took to return, on one log scale; "Compare"
// sends one of each to the same server at once. Below, per server: count, p50, p99, max.
PanelFrame {
    id: root

    required property App.CallModel calls
    required property App.CallStatsModel stats
    required property App.EventBridge bridge
    property var servers: ["Counter", "SlowServer"]
    /// The bars' label column: narrower in a narrow panel, so that the scale keeps its room.
    readonly property real labelWidth: width < 480 ? 120 : 190
    /// The summary's figure columns, and the room between columns, likewise.
    readonly property real figureWidth: width < 480 ? 52 : 64
    readonly property real columnSpacing: width < 480 ? 6 : 10
    readonly property alias compareButton: compare

    signal compareRequested(string server)

    title: qsTr("Call vs cast")
    subtitle: qsTr("how long the caller waited")

    tools: [
        QQC2.ComboBox {
            id: server

            objectName: "compareServer"
            implicitHeight: 28
            implicitWidth: 130
            model: root.servers
            popup.palette.light: Theme.selection // as the trace's process filter
            palette.highlightedText: Theme.text
            font.pixelSize: Theme.fontSmall
        },
        ActionButton {
            id: compare

            objectName: "compareButton"
            text: qsTr("Compare")
            primary: true
            onClicked: root.compareRequested(server.currentText)
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: qsTr("One cast and one call to %1 from two new clients at once (Ctrl+K)").arg(server.currentText)
        }
    ]

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 4

        // The log scale's ticks.
        Item {
            Layout.fillWidth: true
            implicitHeight: 14

            Repeater {
                model: [["1 µs", 0], ["1 ms", 3], ["1 s", 6]]

                delegate: QQC2.Label {
                    required property var modelData
                    readonly property real start: root.labelWidth + 8

                    x: start + (parent.width - start - 112) * modelData[1] / 7 - 2
                    text: modelData[0]
                    color: Theme.textFaint
                    font.pixelSize: 10
                }
            }
        }

        ListView {
            id: bars

            objectName: "callBars"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.calls
            reuseItems: true
            spacing: 2
            boundsBehavior: Flickable.StopAtBounds

            // Grid lines at 1 µs, 1 ms, 1 s.
            Repeater {
                model: [0, 3, 6]

                delegate: Rectangle {
                    required property int modelData
                    readonly property real start: root.labelWidth + 8

                    parent: bars
                    x: start + (bars.width - start - 112) * modelData / 7
                    width: 1
                    height: bars.height
                    color: Theme.border
                    z: -1
                }
            }

            delegate: CallBar {
                width: bars.width
                labelWidth: root.labelWidth
                nowMs: root.bridge.nowMs
                // A bar pooled halfway through its add transition comes back whole.
                ListView.onReused: opacity = 1
            }

            // Under a flood the bars change ten times a second: they would never stop moving.
            add: Transition {
                enabled: !root.bridge.flooding

                NumberAnimation {
                    property: "opacity"
                    from: 0
                    to: 1
                    duration: 200
                }
            }
            displaced: Transition {
                enabled: !root.bridge.flooding

                NumberAnimation {
                    property: "y"
                    duration: 150
                }
                // An add transition cut short by a displacement would leave the bar faded.
                NumberAnimation {
                    property: "opacity"
                    to: 1
                    duration: 150
                }
            }

            QQC2.Label {
                anchors.centerIn: parent
                width: parent.width - 40
                visible: bars.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: qsTr("Press Compare: a cast returns in microseconds, a call waits for the reply.")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
            }
        }

        Rectangle {
            Layout.fillWidth: true
            height: 1
            color: Theme.border
        }

        // The per-server summary.
        RowLayout {
            Layout.fillWidth: true
            spacing: root.columnSpacing

            QQC2.Label {
                Layout.fillWidth: true
                text: qsTr("server")
                color: Theme.textFaint
                font.pixelSize: 10
                font.bold: true
            }
            Item {
                implicitWidth: 40
            }
            Repeater {
                model: [qsTr("count"), "p50", "p99", "max"]

                delegate: QQC2.Label {
                    required property string modelData

                    Layout.preferredWidth: root.figureWidth
                    horizontalAlignment: Text.AlignRight
                    text: modelData
                    color: Theme.textFaint
                    font.pixelSize: 10
                    font.bold: true
                }
            }
        }
        ListView {
            objectName: "callStats"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 84)
            clip: true
            model: root.stats
            interactive: contentHeight > height

            delegate: RowLayout {
                id: statRow

                required property string server
                required property string kind
                required property var count
                required property real p50Us
                required property real p99Us
                required property real maxUs

                width: ListView.view.width
                spacing: root.columnSpacing

                QQC2.Label {
                    Layout.fillWidth: true
                    text: statRow.server
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                }
                KindChip {
                    Layout.preferredWidth: 40
                    text: statRow.kind
                    tint: Theme.kindColor(statRow.kind === "send" ? "info" : statRow.kind)
                }
                Repeater {
                    model: [String(statRow.count), Theme.formatUs(statRow.p50Us), Theme.formatUs(statRow.p99Us), Theme.formatUs(statRow.maxUs)]

                    delegate: QQC2.Label {
                        required property string modelData

                        Layout.preferredWidth: root.figureWidth
                        horizontalAlignment: Text.AlignRight
                        text: modelData
                        color: Theme.text
                        font.family: Theme.monoFamily
                        font.pixelSize: 11
                    }
                }
            }
        }
    }
}
