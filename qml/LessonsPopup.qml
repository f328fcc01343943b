// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2

// The lessons: built-in programs (a module and the code that drives it) that retell each
// lesson; choosing one opens it in the editor, where it runs, changes and runs again.
QQC2.Popup {
    id: root

    property var lessons

    signal lessonChosen(int row)

    width: 480
    height: Math.min(520, list.contentHeight + 60)
    padding: 12
    focus: true
    // Modal (without dimming): a click on it or beside it never reaches the stage below.
    modal: true
    dim: false
    closePolicy: QQC2.Popup.CloseOnEscape | QQC2.Popup.CloseOnReleaseOutside

    background: Rectangle {
        color: Theme.panel
        radius: Theme.radius
        border.color: Theme.borderStrong
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        QQC2.Label {
            text: qsTr("Lessons")
            color: Theme.text
            font.bold: true
            font.pixelSize: Theme.fontLarge
        }
        ListView {
            id: list

            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: root.lessons

            delegate: Rectangle {
                id: lesson

                required property int index
                required property string title
                required property string summary

                objectName: "lesson_" + index
                width: list.width
                height: column.implicitHeight + 16
                radius: 6
                color: hover.hovered ? Theme.hover : Theme.panelAlt
                border.color: hover.hovered ? Theme.accent : Theme.border

                ColumnLayout {
                    id: column

                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: 8
                    spacing: 2

                    QQC2.Label {
                        Layout.fillWidth: true
                        text: (lesson.index + 1) + ". " + lesson.title
                        color: Theme.text
                        font.bold: true
                    }
                    QQC2.Label {
                        Layout.fillWidth: true
                        text: lesson.summary
                        wrapMode: Text.WordWrap
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
                HoverHandler {
                    id: hover
                }
                TapHandler {
                    // Takes the press for itself, so that it never reaches what lies below.
                    gesturePolicy: TapHandler.ReleaseWithinBounds
                    onTapped: root.lessonChosen(lesson.index)
                }
            }
        }
    }
}
