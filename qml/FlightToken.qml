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
    property real progress
    readonly property color tint: Theme.kindColor(kind)
    // The curve's control point: lifted above the middle, more for longer flights.
    readonly property point control: Qt.point((from.x + to.x) / 2, Math.min(from.y, to.y) - 30 - Math.abs(to.x - from.x) * 0.15)

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
        readonly property point at: root.flooding ? root.pointAt(Math.max(0, root.progress - lag)) : Qt.point(0, 0)

        x: at.x - width / 2
        y: at.y - height / 2
        visible: root.flooding && root.progress > lag
        width: root.count > 1 ? size : size - 2
        height: width
        radius: width / 2
        color: root.tint
    }

    Shape {
        anchors.fill: parent
        visible: !root.flooding
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

        x: at.x - width / 2
        y: at.y - height / 2
        width: Math.min(120, tokenLabel.implicitWidth + 14)
        height: root.count > 1 ? 24 : 20
        radius: height / 2
        color: root.tint
        scale: 0.8 + 0.4 * Math.sin(Math.PI * root.progress)
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
