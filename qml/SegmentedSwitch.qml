// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// Two labelled halves, one selected: a compact either/or switch.
Rectangle {
    id: root

    property string leftText
    property string rightText
    property bool rightSelected: false

    signal toggled

    implicitWidth: leftLabel.implicitWidth + rightLabel.implicitWidth + 28
    implicitHeight: 24
    radius: 12
    color: Theme.sunken
    border.color: Theme.border

    Rectangle {
        // Each label has 5 px of the pill either side (the row starts 7 px in, 14 apart).
        x: root.rightSelected ? leftLabel.width + 16 : 2
        y: 2
        width: (root.rightSelected ? rightLabel.width : leftLabel.width) + 10
        height: parent.height - 4
        radius: height / 2
        color: Theme.accent

        Behavior on x  {
            NumberAnimation {
                duration: 120
            }
        }
    }
    Row {
        anchors.centerIn: parent
        spacing: 14

        QQC2.Label {
            id: leftLabel

            text: root.leftText
            color: root.rightSelected ? Theme.textMuted : Theme.accentText
            font.pixelSize: Theme.fontSmall
            font.bold: !root.rightSelected
        }
        QQC2.Label {
            id: rightLabel

            text: root.rightText
            color: root.rightSelected ? Theme.accentText : Theme.textMuted
            font.pixelSize: Theme.fontSmall
            font.bold: root.rightSelected
        }
    }
    TapHandler {
        onTapped: {
            root.rightSelected = !root.rightSelected;
            root.toggled();
        }
    }
}
