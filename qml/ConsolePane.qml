pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The console: an iex-style prompt for the script language with its history (up/down),
// what processes print, and every result or error below the line that caused it.
PanelFrame {
    id: root

    required property App.ConsoleModel consoleModel
    property int running: 0
    property bool freshProcess: false
    readonly property alias input: input

    signal submitted(string code)

    function focusInput() {
        input.forceActiveFocus();
    }

    title: qsTr("Console")
    subtitle: root.running > 0 ? qsTr("%n evaluation(s) running", "", root.running) : root.freshProcess ? qsTr("each line in a new process") : qsTr("the iex shell")

    tools: [
        ActionButton {
            text: qsTr("Clear")
            onClicked: root.consoleModel.clearTranscript()
        }
    ]

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 6

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.sunken
            radius: 6

            ListView {
                id: transcript

                // Keeps the newest line in view, unless the user scrolled up to read.
                property bool following: true

                function followTail() {
                    if (following)
                        positionViewAtEnd();
                }
                function userMoved() {
                    following = atYEnd;
                }
                // Once the layout has settled: the view tells its count before its height.
                function followLater() {
                    followTimer.restart();
                }

                Timer {
                    id: followTimer

                    interval: 0
                    onTriggered: transcript.followTail()
                }

                objectName: "consoleTranscript"
                anchors.fill: parent
                anchors.margins: 4
                clip: true
                model: root.consoleModel
                boundsBehavior: Flickable.StopAtBounds
                spacing: 1

                QQC2.ScrollBar.vertical: QQC2.ScrollBar {
                    onPressedChanged: if (!pressed)
                        transcript.userMoved()
                }

                delegate: ConsoleLine {
                    width: transcript.width - 10
                }
                // Lines are laid out (and wrapped) after they are added: follow what they take.
                onCountChanged: followLater()
                onContentHeightChanged: followLater()
                onHeightChanged: followLater()
                onMovementStarted: following = false
                // At the line limit the count stays put as lines come: follow the insertions.
                Connections {
                    target: root.consoleModel

                    function onRowsInserted() {
                        transcript.followLater();
                    }
                }
                onMovementEnded: userMoved()
            }
            QQC2.Label {
                anchors.centerIn: parent
                width: parent.width - 40
                visible: transcript.count === 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: qsTr("Type Elixir here, e.g. GenServer.call(Counter, :get_count). Every button runs a line like it.")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 34
            radius: 6
            color: Theme.panelAlt
            border.color: input.activeFocus ? Theme.accent : Theme.border

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 10
                anchors.rightMargin: 4
                spacing: 8

                QQC2.Label {
                    text: root.consoleModel ? "iex(" + root.consoleModel.promptNumber + ")>" : "iex>"
                    color: Theme.accent
                    font.family: Theme.monoFamily
                    font.pixelSize: 13
                    font.bold: true
                }
                QQC2.TextField {
                    id: input

                    property int back: -1
                    property string draft

                    objectName: "consoleInput"
                    // TextInput cuts at 32,767 characters by default: a pasted script arrives whole.
                    maximumLength: 2147483647
                    Layout.fillWidth: true
                    font.family: Theme.monoFamily
                    font.pixelSize: 13
                    color: Theme.text
                    selectByMouse: true
                    placeholderText: qsTr("GenServer.cast(Counter, :increment)")
                    background: null

                    function showHistory(step: int) {
                        const next = back + step;
                        if (next < -1 || next >= root.consoleModel.historyCount)
                            return;
                        if (back === -1)
                            draft = text;
                        back = next;
                        text = back === -1 ? draft : root.consoleModel.historyAt(back);
                        cursorPosition = text.length;
                    }

                    Keys.onUpPressed: showHistory(1)
                    Keys.onDownPressed: showHistory(-1)
                    onAccepted: {
                        if (text.trim().length === 0)
                            return;
                        root.submitted(text);
                        text = "";
                        back = -1;
                        draft = "";
                    }
                }
                QQC2.BusyIndicator {
                    implicitWidth: 22
                    implicitHeight: 22
                    running: root.running > 0
                    visible: running
                }
            }
        }
    }
}
