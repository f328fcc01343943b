// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// A switch drawn in the theme's colours: a pill track and a knob.
QQC2.Switch {
    id: root

    font.pixelSize: Theme.fontSmall
    spacing: 8

    indicator: Rectangle {
        x: root.leftPadding
        anchors.verticalCenter: parent.verticalCenter
        implicitWidth: 34
        implicitHeight: 18
        radius: 9
        color: root.checked ? Theme.accent : Theme.sunken
        border.color: root.checked ? Theme.accent : Theme.borderStrong

        Rectangle {
            x: root.checked ? parent.width - width - 2 : 2
            anchors.verticalCenter: parent.verticalCenter
            width: 14
            height: 14
            radius: 7
            color: root.checked ? Theme.accentText : Theme.textMuted

            Behavior on x  {
                NumberAnimation {
                    duration: 120
                }
            }
        }
    }

    contentItem: QQC2.Label {
        leftPadding: root.indicator.width + root.spacing
        verticalAlignment: Text.AlignVCenter
        text: root.text
        font: root.font
        color: Theme.text
    }
}
