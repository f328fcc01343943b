// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// One line of the trace pane: the time in ms since start, the category, the *DBG* text.
Rectangle {
    id: root

    required property string timeText
    required property string category
    required property string text
    property bool selected: false
    property bool related: false
    /// The last line at or before the playhead (frozen or scrubbed views).
    property bool atPlayhead: false
    /// After the playhead: not yet happened at the moment shown.
    property bool future: false

    signal clicked
    signal doubleClicked

    height: 20
    opacity: future ? 0.4 : 1
    color: atPlayhead ? Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.25) : selected ? Theme.selection : related ? Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.07) : hover.hovered ? Theme.hover : "transparent"

    QQC2.Label {
        id: time

        anchors.left: parent.left
        anchors.verticalCenter: parent.verticalCenter
        width: 84
        horizontalAlignment: Text.AlignRight
        text: root.timeText
        color: Theme.textFaint
        font.family: Theme.monoFamily
        font.pixelSize: 12
    }
    KindChip {
        id: chip

        anchors.left: time.right
        anchors.leftMargin: 10
        anchors.verticalCenter: parent.verticalCenter
        width: 56
        text: root.category
        tint: Theme.categoryColor(root.category)
    }
    QQC2.Label {
        anchors.left: chip.right
        anchors.leftMargin: 10
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        text: root.text
        elide: Text.ElideRight
        color: root.category === "output" ? Theme.textMuted : Theme.text
        font.family: Theme.monoFamily
        font.pixelSize: 12
    }

    HoverHandler {
        id: hover
    }
    TapHandler {
        onTapped: root.clicked()
        onDoubleTapped: root.doubleClicked()
    }
}
