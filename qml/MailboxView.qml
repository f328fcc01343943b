// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2
import Mailroom.App as App

// A process's mailbox: the message being handled first (highlighted, with its elapsed
// time), then the queued ones oldest first; what does not fit is counted, exactly.
Item {
    id: root

    required property App.EventBridge bridge
    required property int pid
    property int tokenWidth: 64
    readonly property alias depth: mailbox.depth
    readonly property alias model: mailbox

    implicitHeight: 22

    App.MailboxModel {
        id: mailbox

        bridge: root.bridge
        pid: root.pid
        maxTokens: Math.max(1, Math.floor((root.width - 44 - 124) / (root.tokenWidth + 4)) + 1)
    }

    ListView {
        id: tokens

        anchors.left: parent.left
        anchors.right: overflowBadge.left
        anchors.rightMargin: 4
        height: parent.height
        orientation: ListView.Horizontal
        interactive: false
        spacing: 4
        clip: true
        model: mailbox

        delegate: MessageToken {
            required property int index
            required property real sinceMs
            required property real messageId

            objectName: "token_" + index
            width: handling ? 124 : root.tokenWidth
            height: 20
            elapsedMs: root.bridge ? root.bridge.nowMs - sinceMs : -1
            selected: root.bridge !== null && root.bridge.selectedMessage === messageId
        }

        add: Transition {
            NumberAnimation {
                property: "scale"
                from: 0.3
                to: 1
                duration: 180
                easing.type: Easing.OutBack
            }
            NumberAnimation {
                property: "opacity"
                from: 0
                to: 1
                duration: 120
            }
        }
        displaced: Transition {
            NumberAnimation {
                properties: "x"
                duration: 160
                easing.type: Easing.OutCubic
            }
            // An add transition cut short by a displacement would leave the token half grown.
            NumberAnimation {
                properties: "opacity,scale"
                to: 1
                duration: 160
            }
        }
    }

    QQC2.Label {
        anchors.verticalCenter: parent.verticalCenter
        anchors.left: parent.left
        visible: mailbox.count === 0
        text: qsTr("mailbox empty")
        color: Theme.textFaint
        font.pixelSize: Theme.fontSmall
        font.italic: true
    }

    Rectangle {
        id: overflowBadge

        objectName: "overflowBadge"
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        visible: mailbox.overflow > 0
        width: visible ? overflowLabel.implicitWidth + 12 : 0
        height: 20
        radius: 10
        color: Theme.sunken
        border.color: Theme.borderStrong

        QQC2.Label {
            id: overflowLabel

            anchors.centerIn: parent
            text: "+" + mailbox.overflow
            color: Theme.text
            font.pixelSize: 11
            font.bold: true
        }
    }
}
