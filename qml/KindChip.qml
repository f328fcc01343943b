// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// A small rounded label in a message kind's or category's colour.
Rectangle {
    id: root

    property string text
    property color tint: Theme.kindColor(text)
    property bool filled: false

    implicitWidth: label.implicitWidth + 10
    implicitHeight: 16
    radius: 8
    color: filled ? tint : Qt.rgba(tint.r, tint.g, tint.b, Theme.dark ? 0.18 : 0.12)
    border.color: Qt.rgba(tint.r, tint.g, tint.b, 0.55)

    QQC2.Label {
        id: label

        anchors.centerIn: parent
        text: root.text
        color: root.filled ? Theme.accentText : root.tint
        font.pixelSize: 10
        font.bold: true
    }
}
