// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// File → Attach to a node…: the node's name and cookie, its processes listed (grouped by
// application, supervisors marked), the ones to watch checked, then the views follow them
// live (docs/beam.md). What went wrong (a wrong cookie, no such node) is said here, naming
// the node; the app goes on with what it showed.
QQC2.Popup {
    id: root

    required property App.Controller controller
    /// What the last listing said: empty, an error, or how many processes and which peers.
    property string status
    property bool failed

    parent: QQC2.Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(560, parent ? parent.width - 40 : 560)
    height: Math.min(600, parent ? parent.height - 40 : 600)
    padding: 12
    focus: true
    modal: true
    dim: false
    closePolicy: QQC2.Popup.CloseOnEscape

    onOpened: nodeField.forceActiveFocus()

    background: Rectangle {
        color: Theme.panel
        radius: Theme.radius
        border.color: Theme.borderStrong
    }

    Connections {
        target: root.controller

        function onNodeListed(node: string, error: string, peers: list<string>) {
            root.failed = error.length > 0;
            if (root.failed)
                root.status = error;
            else
                root.status = qsTr("%1: %n process(es) to pick from", "", root.controller.nodeProcesses.rowCount()).arg(node) + (peers.length > 0 ? qsTr("; connected to %1").arg(peers.join(", ")) : "");
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        QQC2.Label {
            text: qsTr("Attach to a running node")
            color: Theme.text
            font.bold: true
            font.pixelSize: Theme.fontLarge
        }
        QQC2.Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("A node started with --sname or --name. Mailroom connects as a hidden node with the cookie, loads its tracer there while it watches, and removes it when it leaves.")
            color: Theme.textMuted
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 2

            QQC2.Label {
                text: qsTr("Node")
                color: Theme.text
            }
            QQC2.TextField {
                id: nodeField

                objectName: "attachNode"
                Layout.fillWidth: true
                placeholderText: qsTr("name@host")
                onAccepted: listButton.clicked()
            }
            QQC2.Label {
                text: qsTr("Cookie")
                color: Theme.text
            }
            QQC2.TextField {
                id: cookieField

                objectName: "attachCookie"
                Layout.fillWidth: true
                echoMode: TextInput.PasswordEchoOnEdit
                onAccepted: listButton.clicked()
            }
        }
        RowLayout {
            Layout.fillWidth: true

            QQC2.Button {
                id: listButton

                objectName: "attachList"
                text: qsTr("List processes")
                enabled: nodeField.text.length > 0 && cookieField.text.length > 0 && !root.controller.listingNode
                onClicked: {
                    root.status = qsTr("Asking %1…").arg(nodeField.text);
                    root.failed = false;
                    root.controller.listNode(nodeField.text, cookieField.text);
                }
            }
            QQC2.BusyIndicator {
                Layout.preferredHeight: listButton.height
                Layout.preferredWidth: listButton.height
                running: root.controller.listingNode
                visible: running
            }
            QQC2.Label {
                objectName: "attachStatus"
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                text: root.status
                color: root.failed ? Theme.danger : Theme.textMuted
            }
        }
        ListView {
            id: list

            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.controller.nodeProcesses
            QQC2.ScrollBar.vertical: QQC2.ScrollBar {
            }

            delegate: QQC2.CheckDelegate {
                id: row

                required property int index
                required property string label
                required property string detail
                required property string kind
                required property bool picked
                required property bool indented

                width: ListView.view.width
                leftPadding: indented ? 28 : 8
                checkState: picked ? Qt.Checked : Qt.Unchecked
                onToggled: root.controller.nodeProcesses.setChecked(index, checkState === Qt.Checked)

                contentItem: ColumnLayout {
                    spacing: 0

                    QQC2.Label {
                        text: row.label
                        color: Theme.text
                        font.bold: row.kind === "application" || row.kind === "supervisor"
                    }
                    QQC2.Label {
                        Layout.fillWidth: true
                        text: row.detail
                        color: Theme.textMuted
                        elide: Text.ElideRight
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true

            QQC2.CheckBox {
                objectName: "attachMessagesOnly"
                text: qsTr("Messages only")
                checked: root.controller.beamMessagesOnly
                onToggled: root.controller.beamMessagesOnly = checked
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: qsTr("Sends, receives and processes, without a GenServer's handlers and states: half the tracing cost on the node")
            }
            QQC2.Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.textMuted
                text: root.controller.nodeProcesses.spec.length > 0 ? qsTr("Watch: %1").arg(root.controller.nodeProcesses.spec) : qsTr("Nothing checked: every registered process outside OTP's and Elixir's own applications")
            }
            QQC2.Button {
                text: qsTr("Cancel")
                onClicked: root.close()
            }
            QQC2.Button {
                objectName: "attachButton"
                text: qsTr("Attach")
                enabled: nodeField.text.length > 0 && cookieField.text.length > 0 && !root.controller.beamRunning
                onClicked: {
                    if (root.controller.attachNode(nodeField.text, cookieField.text, root.controller.nodeProcesses.spec))
                        root.close();
                }
            }
        }
    }
}
