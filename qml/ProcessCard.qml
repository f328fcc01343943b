// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// One process on the stage: its name, module, status, state and mailbox; greyed out with
// the reason once it exited, with the linked process whose crash took it down.
Rectangle {
    id: root

    required property int index
    required property int pid
    required property string pidText
    required property string name
    required property string module
    required property bool isServer
    required property bool isShell
    required property string status
    required property string statusText
    required property real statusSinceMs
    required property string stateText
    required property string stateFull
    required property int mailboxDepth
    required property bool exited
    required property bool crashed
    required property string exitReason
    required property int diedWith
    required property string diedWithName
    required property bool traced
    required property bool suspended
    required property int receiveRate
    required property var links

    property App.EventBridge bridge
    property bool selected: bridge !== null && bridge.selectedPid === pid
    property bool expanded: false
    readonly property real elapsedMs: bridge && statusSinceMs > 0 ? bridge.nowMs - statusSinceMs : -1
    /// Where tokens land: the mailbox row's start, in the card's coordinates.
    readonly property point mailboxPoint: Qt.point(content.x + mailbox.x + 14, content.y + mailbox.y + mailbox.height / 2)
    /// Where tokens leave from: the mailbox row's end, clear of the name and status above.
    readonly property point outboxPoint: Qt.point(width - 22, content.y + mailbox.y + mailbox.height / 2)
    readonly property App.MailboxModel mailboxModel: mailbox.model

    signal clicked
    signal dragged(real x, real y)

    objectName: "card_" + name
    height: content.implicitHeight + 18
    radius: Theme.radius
    color: exited ? Theme.cardExited : Theme.card
    border.width: selected ? 2 : 1
    border.color: selected ? Theme.accent : exited && crashed ? Qt.rgba(Theme.danger.r, Theme.danger.g, Theme.danger.b, 0.6) : Theme.border
    // Opaque even when exited (its content greys out): the link lines behind stay behind its
    // text. Expanded, it lies over the cards below instead of mixing with them.
    z: expanded ? 2 : 0

    // The status strip on the left edge.
    Rectangle {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.margins: 1
        width: 4
        radius: 2
        color: root.exited && root.crashed ? Theme.danger : Theme.statusColor(root.status)
    }

    ColumnLayout {
        id: content

        objectName: "cardContent"
        opacity: root.exited ? 0.72 : 1
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.leftMargin: 14
        anchors.rightMargin: 10
        anchors.topMargin: 8
        spacing: 3

        RowLayout {
            Layout.fillWidth: true
            spacing: 6

            QQC2.Label {
                id: nameLabel

                objectName: "cardName"
                Layout.fillWidth: true
                text: root.name
                color: Theme.text
                font.pixelSize: Theme.fontNormal + 1
                font.bold: true
                font.strikeout: root.exited
                elide: Text.ElideRight
            }
            KindChip {
                visible: root.traced
                text: qsTr("traced")
                tint: Theme.accent
            }
            KindChip {
                visible: root.receiveRate >= 20
                text: root.receiveRate + "/s"
                tint: Theme.warning
                filled: true
            }
            QQC2.Label {
                text: root.pidText
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
                font.family: Theme.monoFamily
            }
        }

        QQC2.Label {
            Layout.fillWidth: true
            text: root.isShell ? qsTr("the iex shell: runs console lines and clicks") : root.module + (root.isServer ? qsTr(" · GenServer") : "")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }

        QQC2.Label {
            id: statusLabel

            objectName: "statusLabel"
            Layout.fillWidth: true
            text: root.statusText + (root.elapsedMs >= 0 && !root.exited ? " · " + Theme.formatMs(root.elapsedMs) : "")
            color: root.exited && root.crashed ? Theme.danger : Theme.statusColor(root.status)
            font.pixelSize: Theme.fontSmall
            font.bold: root.status !== "waiting"
            elide: Text.ElideRight
        }

        QQC2.Label {
            visible: root.diedWith !== 0
            Layout.fillWidth: true
            text: "↯ " + qsTr("linked to %1, which crashed").arg(root.diedWithName)
            color: Theme.danger
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }

        QQC2.Label {
            id: stateLabel

            objectName: "stateLabel"
            visible: root.isServer
            Layout.fillWidth: true
            text: root.expanded ? root.stateFull : qsTr("state ") + root.stateText
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
            elide: root.expanded ? Text.ElideNone : Text.ElideRight
            wrapMode: root.expanded ? Text.WrapAnywhere : Text.NoWrap
            maximumLineCount: root.expanded ? 12 : 1

        }

        MailboxView {
            id: mailbox

            Layout.fillWidth: true
            Layout.topMargin: 2
            visible: !root.exited
            bridge: root.bridge
            pid: root.pid
        }

        TimerCountdowns {
            Layout.fillWidth: true
            visible: count > 0
            bridge: root.bridge
            pid: root.pid
        }
    }

    // What a narrow card cuts (a long name, a crash reason), in full on hover.
    HoverHandler {
        id: hover
    }
    QQC2.ToolTip {
        objectName: "cardToolTip"
        visible: hover.hovered && text !== "" && !drag.active
        delay: 500
        text: nameLabel.truncated || statusLabel.truncated ? root.name + "\n" + root.statusText : ""
    }

    // One handler for the whole card: a tap on the state line expands it, elsewhere it
    // asks for the card's menu (two nested handlers would both see the tap).
    TapHandler {
        onTapped: eventPoint => {
            const p = stateLabel.mapFromItem(root, eventPoint.position);
            if (stateLabel.visible && stateLabel.contains(p))
                root.expanded = !root.expanded;
            else
                root.clicked();
        }
    }
    DragHandler {
        id: drag

        target: root
        onActiveChanged: {
            if (!active)
                root.dragged(root.x, root.y);
        }
    }
}
