// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Shapes
import QtQuick.Controls as QQC2

// A message flying from its sender to the receiver's mailbox along a curve, with a fading
// trail. A coalesced flight stands for `count` messages and says so. Under a flood the trail
// is a few dots behind the token: the software renderer strokes a dashed curve again every
// frame its opacity changes, over all it covers (figure 7 of docs/performance.md).
Item {
    id: root

    property point from
    property point to
    required property string kind
    required property string label
    required property int count
    property int duration: 650
    /// A flood: the cheap trail.
    property bool flooding: false
    /// The part of the stage in sight, in this item's coordinates. The software renderer does
    /// not clip a Shape to the scrolled stage: a curve from a card out of sight would be
    /// drawn over the panels around it, so such a flight trails dots (which are clipped).
    property rect viewport: Qt.rect(-1e6, -1e6, 2e6, 2e6)
    readonly property bool curveInView: inView(from) && inView(to) && inView(pointAt(0.5))
    readonly property bool dotted: flooding || !curveInView
    property real progress
    readonly property color tint: Theme.kindColor(kind)
    /// A process's message to itself (a send_after tick): from one end of its mailbox row to
    /// the other.
    readonly property bool toItself: Math.abs(from.y - to.y) < 2 && Math.abs(from.x - to.x) < 400
    // The curve's control point: lifted above the middle, more for longer flights; on the row
    // for a message to itself, which runs along its own mailbox row, over no other text of
    // its card (its name above, its timers below).
    readonly property point control: toItself ? Qt.point((from.x + to.x) / 2, to.y) : Qt.point((from.x + to.x) / 2, Math.min(from.y, to.y) - 30 - Math.abs(to.x - from.x) * 0.15)

    function inView(p: point): bool {
        return p.x >= viewport.x && p.x <= viewport.x + viewport.width && p.y >= viewport.y && p.y <= viewport.y + viewport.height;
    }
    function pointAt(t: real): point {
        const u = 1 - t;
        return Qt.point(u * u * from.x + 2 * u * t * control.x + t * t * to.x, u * u * from.y + 2 * u * t * control.y + t * t * to.y);
    }

    anchors.fill: parent

    NumberAnimation on progress  {
        from: 0
        to: 1
        duration: root.duration
        easing.type: Easing.InOutQuad
    }

    component TrailDot: Rectangle {
        required property real lag
        property real size: 9
        readonly property point at: root.dotted ? root.pointAt(Math.max(0, root.progress - lag)) : Qt.point(0, 0)

        x: at.x - width / 2
        y: at.y - height / 2
        visible: root.dotted && root.progress > lag
        width: root.count > 1 ? size : size - 2
        height: width
        radius: width / 2
        color: root.tint
    }

    Shape {
        objectName: "flightCurve"
        anchors.fill: parent
        visible: !root.dotted
        opacity: 0.55 * (1 - root.progress)

        ShapePath {
            strokeColor: root.tint
            strokeWidth: root.count > 1 ? 3 : 1.5
            strokeStyle: ShapePath.DashLine
            dashPattern: [3, 4]
            fillColor: "transparent"
            startX: root.from.x
            startY: root.from.y

            PathQuad {
                x: root.to.x
                y: root.to.y
                controlX: root.control.x
                controlY: root.control.y
            }
        }
    }
    TrailDot {
        lag: 0.08
        opacity: 0.55
    }
    TrailDot {
        lag: 0.16
        size: 8
        opacity: 0.4
    }
    TrailDot {
        lag: 0.24
        size: 7
        opacity: 0.28
    }
    TrailDot {
        lag: 0.32
        size: 6
        opacity: 0.16
    }

    Rectangle {
        readonly property point at: root.pointAt(root.progress)

        objectName: "flightPill"
        // Only in sight: the software renderer does not clip the scaled pill to the scrolled
        // stage either, and drew one flying to a card out of sight over the panel's header.
        visible: root.inView(at)
        x: at.x - width / 2
        y: at.y - height / 2
        width: Math.min(120, tokenLabel.implicitWidth + 14)
        height: root.count > 1 ? 24 : 20
        radius: height / 2
        color: root.tint
        scale: 0.8 + 0.4 * Math.sin(Math.PI * root.progress)
        // Faded in as it leaves and out as it lands: its ends lie on the cards.
        opacity: Math.min(1, root.progress / 0.2, (1 - root.progress) / 0.2)
        border.color: Qt.lighter(root.tint, 1.3)

        QQC2.Label {
            id: tokenLabel

            anchors.centerIn: parent
            width: Math.min(implicitWidth, 106)
            text: root.label
            elide: Text.ElideRight
            color: Theme.accentText
            font.family: Theme.monoFamily
            font.pixelSize: root.count > 1 ? 12 : 11
            font.bold: true
        }
    }
}
