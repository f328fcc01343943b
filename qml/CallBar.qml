// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// One call or cast as the caller saw it: a bar as long as it kept the caller waiting, on a
// log scale from 1 µs to 10 s, with the exact figure. A call still waiting grows live; a
// timed-out call is red.
Item {
    id: root

    required property bool isCast
    required property string kind
    required property string clientName
    required property string serverName
    required property string request
    required property string reply
    required property string outcome
    required property real durationUs
    required property real beginMs
    /// Virtual now, for a call still waiting.
    property real nowMs: 0
    readonly property real shownUs: outcome === "pending" ? Math.max(0, (nowMs - beginMs) * 1000) : durationUs
    property real labelWidth: 190
    readonly property real scaleStart: labelWidth + 8
    readonly property real scaleWidth: Math.max(40, width - scaleStart - 112)
    readonly property color tint: outcome === "timeout" || outcome === "down" ? Theme.danger : Theme.kindColor(kind === "info" ? "info" : kind)

    /// Position of `us` on the log scale, 0..1 (1 µs .. 10 s).
    function scaled(us: real): real {
        return Math.max(0, Math.min(1, Math.log(Math.max(us, 1)) / Math.LN10 / 7));
    }

    implicitHeight: 24

    Row {
        width: root.labelWidth
        anchors.verticalCenter: parent.verticalCenter
        spacing: 6

        KindChip {
            anchors.verticalCenter: parent.verticalCenter
            width: 40
            text: root.kind === "info" ? "send" : root.kind
            tint: Theme.kindColor(root.kind)
        }
        QQC2.Label {
            anchors.verticalCenter: parent.verticalCenter
            width: root.labelWidth - 46
            text: root.serverName + " " + root.request
            elide: Text.ElideRight
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: 11
        }
    }

    Rectangle {
        id: bar

        x: root.scaleStart
        anchors.verticalCenter: parent.verticalCenter
        width: Math.max(3, root.scaleWidth * root.scaled(root.shownUs))
        height: 12
        radius: 3
        color: root.outcome === "pending" ? Qt.rgba(root.tint.r, root.tint.g, root.tint.b, 0.55) : root.tint

        SequentialAnimation on opacity  {
            running: root.outcome === "pending"
            loops: Animation.Infinite
            NumberAnimation {
                to: 0.55
                duration: 450
            }
            NumberAnimation {
                to: 1
                duration: 450
            }
        }
    }

    QQC2.Label {
        anchors.left: bar.right
        anchors.leftMargin: 6
        anchors.verticalCenter: parent.verticalCenter
        text: (root.outcome === "pending" ? qsTr("waiting ") : "") + Theme.formatUs(root.shownUs) + (root.outcome === "timeout" ? qsTr(" timeout") : root.outcome === "down" ? qsTr(" exited") : "")
        color: root.outcome === "timeout" || root.outcome === "down" ? Theme.danger : Theme.text
        font.family: Theme.monoFamily
        font.pixelSize: 11
        font.bold: true
    }

    QQC2.ToolTip.visible: hover.hovered
    QQC2.ToolTip.text: (root.isCast ? qsTr("%1 sent %2 to %3: returned after %4") : qsTr("%1 called %3 with %2: blocked %4")).arg(root.clientName).arg(root.request).arg(root.serverName).arg(Theme.formatUs(root.shownUs)) + (root.reply.length > 0 ? qsTr(", reply %1").arg(root.reply) : "")

    HoverHandler {
        id: hover
    }
}
