// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// A message as a token: coloured by kind, labelled with the message. The one being
// handled is highlighted and shows how long it has been handled.
Rectangle {
    id: root

    required property string kind
    required property string label
    required property bool handling
    property bool selected: false
    property real elapsedMs: -1
    readonly property color tint: Theme.kindColor(kind)

    implicitWidth: Math.min(150, row.implicitWidth + 12)
    clip: true
    implicitHeight: 20
    radius: 10
    color: handling ? tint : Qt.rgba(tint.r, tint.g, tint.b, Theme.dark ? 0.22 : 0.14)
    border.width: selected ? 2 : 1
    border.color: selected ? Theme.text : Qt.rgba(tint.r, tint.g, tint.b, 0.8)

    Row {
        id: row

        anchors.centerIn: parent
        spacing: 4

        QQC2.Label {
            width: Math.min(implicitWidth, root.width - 12 - (elapsed.visible ? elapsed.implicitWidth + 4 : 0))
            text: root.label
            elide: Text.ElideRight
            color: root.handling ? Theme.accentText : root.tint
            font.family: Theme.monoFamily
            font.pixelSize: 11
            font.bold: root.handling
        }
        QQC2.Label {
            id: elapsed

            visible: root.handling && root.elapsedMs >= 0
            text: Theme.formatMs(root.elapsedMs)
            color: Theme.accentText
            opacity: 0.8
            font.pixelSize: 10
        }
    }
}
