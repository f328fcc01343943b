// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2

// The catalog: every example server with what it shows and the messages it understands;
// "Start" starts another one (the line of script it runs is in the tooltip).
QQC2.Popup {
    id: root

    property var catalog

    signal startRequested(string module)

    width: 460
    height: Math.min(560, list.contentHeight + 60)
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
            text: qsTr("Catalog servers")
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
            model: root.catalog

            delegate: Rectangle {
                id: entry

                required property string module
                required property string summary
                required property var messages
                required property string startCode

                width: list.width
                height: column.implicitHeight + 16
                radius: 6
                color: Theme.panelAlt
                border.color: Theme.border

                ColumnLayout {
                    id: column

                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: 8
                    spacing: 4

                    RowLayout {
                        Layout.fillWidth: true

                        QQC2.Label {
                            Layout.fillWidth: true
                            text: entry.module
                            color: Theme.text
                            font.bold: true
                        }
                        ActionButton {
                            objectName: "start_" + entry.module
                            text: qsTr("Start")
                            primary: true
                            onClicked: root.startRequested(entry.module)
                            QQC2.ToolTip.visible: hovered
                            QQC2.ToolTip.text: entry.startCode
                        }
                    }
                    QQC2.Label {
                        Layout.fillWidth: true
                        text: entry.summary
                        wrapMode: Text.WordWrap
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 4

                        Repeater {
                            model: entry.messages

                            delegate: KindChip {
                                required property var modelData

                                text: modelData.label
                                tint: Theme.kindColor(modelData.kind)
                            }
                        }
                    }
                }
            }
        }
    }
}
