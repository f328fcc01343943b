// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The send_after timers aimed at a process: what each will deliver and a countdown.
Column {
    id: root

    required property App.EventBridge bridge
    required property int pid
    property int maxShown: 2
    readonly property alias count: timers.count

    spacing: 2

    App.TimerModel {
        id: timers

        bridge: root.bridge
        targetPid: root.pid
    }

    Repeater {
        model: timers

        delegate: Item {
            id: timer

            required property int index
            required property string label
            required property real setMs
            required property real deadlineMs
            readonly property real remaining: Math.max(0, deadlineMs - (root.bridge ? root.bridge.nowMs : 0))
            readonly property real span: Math.max(1, deadlineMs - setMs)

            visible: index < root.maxShown
            width: root.width
            height: visible ? 16 : 0

            Rectangle {
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                height: 2
                radius: 1
                color: Theme.sunken

                Rectangle {
                    width: parent.width * (1 - timer.remaining / timer.span)
                    height: parent.height
                    radius: 1
                    color: Theme.warning
                }
            }
            QQC2.Label {
                anchors.left: parent.left
                anchors.right: parent.right
                text: "◷ " + timer.label + qsTr(" in ") + Theme.formatMs(timer.remaining)
                color: Theme.warning
                font.pixelSize: Theme.fontSmall
                font.family: Theme.monoFamily
                elide: Text.ElideRight
            }
        }
    }

    QQC2.Label {
        visible: timers.count > root.maxShown
        text: qsTr("+%1 more timers").arg(timers.count - root.maxShown)
        color: Theme.textFaint
        font.pixelSize: 10
    }
}
