// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// A compact button tinted by the kind of message it sends (call, cast, info, system), or
// red for a destructive action; `primary` fills it with the accent colour.
QQC2.Button {
    id: root

    property string kind: ""
    property bool danger: false
    property bool primary: false
    readonly property color tint: danger ? Theme.danger : primary ? Theme.accent : kind.length > 0 ? Theme.kindColor(kind) : Theme.textMuted

    implicitHeight: 28
    leftPadding: 10
    rightPadding: 10
    font.pixelSize: Theme.fontSmall
    hoverEnabled: true

    contentItem: Row {
        spacing: 6

        Rectangle {
            visible: root.kind.length > 0 && !root.primary
            anchors.verticalCenter: parent.verticalCenter
            width: 7
            height: 7
            radius: 3.5
            color: root.tint
        }
        QQC2.Label {
            anchors.verticalCenter: parent.verticalCenter
            text: root.text
            font: root.font
            color: root.primary ? Theme.accentText : root.enabled ? Theme.text : Theme.textFaint
        }
    }

    background: Rectangle {
        radius: 6
        color: root.primary ? (root.down ? Qt.darker(Theme.accent, 1.2) : root.hovered ? Qt.lighter(Theme.accent, 1.1) : Theme.accent) : root.down ? Qt.rgba(root.tint.r, root.tint.g, root.tint.b, 0.3) : root.hovered ? Qt.rgba(root.tint.r, root.tint.g, root.tint.b, 0.16) : Theme.panelAlt
        border.color: root.primary ? "transparent" : Qt.rgba(root.tint.r, root.tint.g, root.tint.b, root.enabled ? 0.6 : 0.25)
    }
}
