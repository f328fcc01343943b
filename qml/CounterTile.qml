// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// One counter server: its value big, a sparkline of the last minute, the countdown to its
// next self-scheduled tick, or (for Counter) its queue and buttons to cast and call.
Rectangle {
    id: root

    required property App.EventBridge bridge
    required property string server
    property string caption
    property color tint: Theme.accent
    /// Counter: show the queue and the cast/call buttons instead of a tick countdown.
    property bool interactive: false
    readonly property alias history: history

    signal incrementRequested(int times)
    signal getCountRequested

    /// Narrow or short: shorter labels, no caption.
    readonly property bool compact: width < 250 || height < 140

    objectName: "counter_" + server
    clip: true
    radius: Theme.radius
    color: Theme.panelAlt
    border.color: Theme.border
    implicitHeight: 150

    App.StateHistoryModel {
        id: history

        bridge: root.bridge
        server: root.server
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 10
        spacing: 2

        RowLayout {
            Layout.fillWidth: true

            QQC2.Label {
                Layout.fillWidth: true
                text: root.server
                color: Theme.text
                font.bold: true
                font.pixelSize: Theme.fontSmall + 1
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: 9
                elide: Text.ElideRight
            }
            Rectangle {
                width: 8
                height: 8
                radius: 4
                color: history.alive ? (history.handling ? Theme.running : Theme.ok) : Theme.danger
            }
        }
        QQC2.Label {
            visible: !root.compact || !history.alive
            Layout.fillWidth: true
            text: history.alive ? root.caption : qsTr("not running")
            color: Theme.textMuted
            font.pixelSize: 10
            elide: Text.ElideRight
        }
        QQC2.Label {
            objectName: "counterValue"
            text: isNaN(history.value) ? "–" : String(history.value)
            color: root.tint
            font.pixelSize: root.compact ? Theme.fontHuge - 8 : Theme.fontHuge
            font.bold: true
            font.family: Theme.monoFamily
        }
        Sparkline {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 14
            history: history
            nowMs: root.bridge ? root.bridge.nowMs : 0
            lineColor: root.tint
        }

        // The next tick.
        Item {
            id: tick

            visible: !root.interactive
            Layout.fillWidth: true
            implicitHeight: 16

            readonly property real remaining: history.nextTimerMs < 0 ? 0 : Math.max(0, history.nextTimerMs - root.bridge.nowMs)

            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: 3
                radius: 1.5
                color: Theme.sunken

                Rectangle {
                    width: history.timerPeriodMs > 0 ? parent.width * (1 - tick.remaining / history.timerPeriodMs) : 0
                    height: parent.height
                    radius: 1.5
                    color: root.tint
                }
            }
            QQC2.Label {
                text: history.nextTimerMs < 0 ? qsTr("no tick scheduled") : qsTr("next tick in %1").arg(Theme.formatMs(tick.remaining))
                color: Theme.textMuted
                font.pixelSize: 10
            }
        }

        // Counter's queue and buttons.
        QQC2.Label {
            objectName: "counterQueue"
            visible: root.interactive
            Layout.fillWidth: true
            text: history.handling ? qsTr("working · %n queued", "", history.mailboxDepth) : qsTr("%n queued", "", history.mailboxDepth)
            color: history.mailboxDepth > 0 ? Theme.cast : Theme.textMuted
            font.pixelSize: 10
            font.bold: history.mailboxDepth > 0
        }
        RowLayout {
            visible: root.interactive
            Layout.fillWidth: true
            spacing: 4

            ActionButton {
                objectName: "counterIncrement"
                Layout.fillWidth: true
                text: root.compact ? "cast" : ":increment"
                kind: "cast"
                onClicked: root.incrementRequested(1)
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: "GenServer.cast(Counter, :increment) (Ctrl+I)"
            }
            ActionButton {
                objectName: "counterIncrement3"
                text: "×3"
                kind: "cast"
                onClicked: root.incrementRequested(3)
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: qsTr("Three casts: watch them queue")
            }
            ActionButton {
                objectName: "counterGetCount"
                Layout.fillWidth: true
                text: root.compact ? "call" : ":get_count"
                kind: "call"
                onClicked: root.getCountRequested()
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: "GenServer.call(Counter, :get_count) (Ctrl+G)"
            }
        }
    }
}
