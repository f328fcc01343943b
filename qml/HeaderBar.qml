// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The bar along the window's top: the name, the File menu, a file's progress, the catalog
// and the lessons, the new-process switch, the kinds' colours, the event counter and the
// theme. Its buttons and menu items are the window's Commands.
Rectangle {
    id: root

    required property App.Controller controller
    required property Commands commands

    height: 46
    color: Theme.panel

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 14
        anchors.rightMargin: 14
        spacing: 10

        Image {
            source: "qrc:/icons/mailroom.png"
            sourceSize.width: 30
            sourceSize.height: 30
            Layout.preferredWidth: 30
            Layout.preferredHeight: 30
        }
        ColumnLayout {
            spacing: 0

            QQC2.Label {
                text: qsTr("Mailroom")
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            QQC2.Label {
                text: qsTr("see how GenServers talk")
                color: Theme.textFaint
                font.pixelSize: 10
            }
        }
        Item {
            Layout.preferredWidth: 12
        }
        ActionButton {
            id: fileButton

            objectName: "fileButton"
            text: qsTr("File")
            onClicked: fileMenu.popup(fileButton, 0, fileButton.height)

            QQC2.Menu {
                id: fileMenu

                objectName: "fileMenu"
                // As wide as its widest entry: a Menu takes its background's width and cuts
                // longer entries ("Export the sequence chart a…" three times over).
                width: {
                    let widest = implicitWidth;
                    for (let i = 0; i < count; ++i) {
                        const entry = itemAt(i);
                        if (entry)
                            widest = Math.max(widest, entry.implicitWidth + leftPadding + rightPadding);
                    }
                    return widest;
                }

                CommandMenuItem {
                    action: root.commands.openRecording
                }
                CommandMenuItem {
                    action: root.commands.saveRecording
                }
                CommandMenuItem {
                    action: root.commands.exportChrome
                }
                CommandMenuItem {
                    action: root.commands.exportTraceText
                }
                CommandMenuItem {
                    action: root.commands.exportMermaid
                }
                CommandMenuItem {
                    action: root.commands.exportSvg
                }
                CommandMenuItem {
                    action: root.commands.exportPng
                }
                QQC2.MenuSeparator {
                }
                CommandMenuItem {
                    action: root.commands.attachNode
                }
                CommandMenuItem {
                    action: root.commands.watchFewer
                }
                CommandMenuItem {
                    action: root.commands.detachNode
                }
                QQC2.MenuSeparator {
                }
                CommandMenuItem {
                    action: root.commands.closeRecording
                }
            }
        }
        RowLayout {
            visible: root.controller.fileProgress >= 0
            spacing: 6

            QQC2.Label {
                text: root.controller.fileTask
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            QQC2.ProgressBar {
                objectName: "fileProgress"
                Layout.preferredWidth: 120
                from: 0
                to: 1
                value: Math.max(0, root.controller.fileProgress)
            }
            QQC2.ToolButton {
                text: "✕"
                font.pixelSize: Theme.fontSmall
                onClicked: root.controller.cancelFile()
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: qsTr("Cancel")
            }
        }
        ActionButton {
            objectName: "paletteButton"
            action: root.commands.servers
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: root.commands.withShortcut(qsTr("Start a catalog server"), action)
        }
        ActionButton {
            objectName: "lessonsButton"
            action: root.commands.lessons
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: root.commands.withShortcut(qsTr("Open a lesson's program in the editor"), action)
        }
        ToggleSwitch {
            objectName: "freshProcessSwitch"
            action: root.commands.freshProcess
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: root.commands.withShortcut(qsTr("Off: clicks run in the iex shell, which a call blocks. On: each click runs in a new client process, so several calls can be in flight."), action)
        }
        Item {
            Layout.fillWidth: true
        }
        // The kinds' colours, where the bar has room for them (the trace's chips show them too).
        Row {
            objectName: "kindLegend"
            visible: root.width >= 1180
            spacing: 6

            Repeater {
                model: ["call", "cast", "info", "reply", "system"]

                delegate: KindChip {
                    required property string modelData

                    text: modelData
                }
            }
        }
        QQC2.Label {
            objectName: "eventCounter"
            // Room for growing numbers, so that the bar does not shift with every digit.
            Layout.minimumWidth: implicitWidth
            Layout.preferredWidth: Math.max(implicitWidth, 190)
            horizontalAlignment: Text.AlignRight
            text: qsTr("%1 events · %2/s").arg(Number(root.controller.bridge.eventCount).toLocaleString(Qt.locale(), "f", 0)).arg(Number(root.controller.bridge.eventRate).toLocaleString(Qt.locale(), "f", 0)) + (root.controller.bridge.behind ? qsTr(" · catching up") : "")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        QQC2.ToolButton {
            objectName: "themeButton"
            action: root.commands.theme
            font.pixelSize: 16
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: root.commands.withShortcut(qsTr("Switch to the %1 theme").arg(Theme.dark ? qsTr("light") : qsTr("dark")), action)
        }
    }
}
