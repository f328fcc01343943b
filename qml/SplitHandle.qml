pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// The handle between split panels: a gap that shows a line when hovered or dragged.
Item {
    id: root

    implicitWidth: 8
    implicitHeight: 8

    Rectangle {
        anchors.centerIn: parent
        width: parent.width > parent.height ? Math.min(parent.width, 40) : 2
        height: parent.width > parent.height ? 2 : Math.min(parent.height, 40)
        radius: 1
        color: Theme.accent
        visible: root.QQC2.SplitHandle.hovered || root.QQC2.SplitHandle.pressed
    }
}
