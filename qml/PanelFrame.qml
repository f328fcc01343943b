// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2

// A titled panel: a header with the title, a subtitle and tools, then the content.
Rectangle {
    id: root

    property string title
    /// Room kept at the start of the header for an item laid over it from outside (the
    /// Trace/Sequence switch, shared by the two panes it switches between).
    property real titleInset: 0
    readonly property int headerHeight: 34
    property string subtitle
    default property alias content: body.data
    property alias tools: toolRow.data

    color: Theme.panel
    radius: Theme.radius
    border.color: Theme.border
    clip: true

    RowLayout {
        id: header

        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.leftMargin: 12
        anchors.rightMargin: 8
        height: root.headerHeight
        spacing: 8

        Item {
            visible: root.titleInset > 0
            Layout.preferredWidth: root.titleInset
        }
        QQC2.Label {
            visible: root.title.length > 0
            text: root.title
            color: Theme.text
            font.pixelSize: Theme.fontNormal
            font.bold: true
        }
        QQC2.Label {
            Layout.fillWidth: true
            text: root.subtitle
            color: Theme.textFaint
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Row {
            id: toolRow

            spacing: 6
        }
    }

    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: header.bottom
        height: 1
        color: Theme.border
    }

    Item {
        id: body

        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: header.bottom
        anchors.bottom: parent.bottom
        anchors.topMargin: 1
    }
}
