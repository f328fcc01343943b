// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// The handle between split panels: a gap with a short grip that always shows where it is,
// brighter when hovered or dragged.
Item {
    id: root

    readonly property bool horizontal: width > height
    readonly property bool active: root.QQC2.SplitHandle.hovered || root.QQC2.SplitHandle.pressed

    objectName: "splitHandle"
    implicitWidth: 8
    implicitHeight: 8

    Rectangle {
        anchors.centerIn: parent
        width: root.horizontal ? Math.min(parent.width, root.active ? 60 : 36) : (root.active ? 3 : 2)
        height: root.horizontal ? (root.active ? 3 : 2) : Math.min(parent.height, root.active ? 60 : 36)
        radius: 1
        color: root.active ? Theme.accent : Theme.borderStrong
    }
}
