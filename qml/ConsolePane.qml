// SPDX-License-Identifier: MIT
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
    /// Shows or hides the editor beside the console (a checkable Action), when given.
    property QQC2.Action editorToggle: null

    signal submitted(string code)
    /// Stop on a running entry: interrupt line `promptNumber`.
    signal interruptRequested(int promptNumber)
    /// Ctrl+C in the input (with nothing selected to copy): interrupt every running line.
    signal interruptAllRequested

    function focusInput() {
        input.forceActiveFocus();
    }

    title: qsTr("Console")
    subtitle: root.running > 0 ? qsTr("%n evaluation(s) running", "", root.running) : root.freshProcess ? qsTr("each line in a new process") : qsTr("the iex shell")

    tools: [
        ActionButton {
            objectName: "editorToggle"
            visible: root.editorToggle !== null
            action: root.editorToggle
            text: root.editorToggle && root.editorToggle.checked ? qsTr("Hide editor") : qsTr("Editor")
        },
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
                    onStopRequested: number => root.interruptRequested(number)
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
            // Grows with the lines of a multi-line entry, up to half the pane; then it scrolls.
            implicitHeight: Math.min(Math.max(input.implicitHeight, 26), root.height * 0.5) + 8
            radius: 6
            color: Theme.panelAlt
            border.color: input.activeFocus ? Theme.accent : Theme.border

            QQC2.ScrollView {
                id: inputScroll

                anchors.fill: parent
                anchors.leftMargin: 4
                anchors.rightMargin: busy.visible ? busy.width + 8 : 4
                anchors.topMargin: 4
                anchors.bottomMargin: 4

                QQC2.TextArea {
                    id: input

                    property int back: -1
                    property string draft
                    // Where each line starts: the prompts sit beside them, iex's for the first,
                    // "...(N)>" for the lines that continue it.
                    readonly property var lineStarts: {
                        const starts = [0];
                        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
                            starts.push(i + 1);
                        return starts;
                    }
                    readonly property bool onFirstLine: text.lastIndexOf("\n", cursorPosition - 1) < 0
                    readonly property bool onLastLine: text.indexOf("\n", cursorPosition) < 0

                    objectName: "consoleInput"
                    leftPadding: promptMetrics.advanceWidth + 14
                    topPadding: 4
                    bottomPadding: 4
                    wrapMode: TextEdit.Wrap
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
                    // Enter runs the entry once it is whole; while a `do`, bracket or string is
                    // open it starts the next line, as iex continues with ...(N)>.
                    // Shift+Enter always starts a new line.
                    function enter(event: var) {
                        if (event.modifiers & Qt.ShiftModifier) {
                            event.accepted = false;
                            return;
                        }
                        if (text.trim().length === 0) {
                            text = "";
                            return;
                        }
                        if (root.consoleModel && root.consoleModel.isIncomplete(text)) {
                            event.accepted = false;
                            return;
                        }
                        root.submitted(text.replace(/\s+$/, ""));
                        text = "";
                        back = -1;
                        draft = "";
                    }

                    // Ctrl+C copies a selection; without one it interrupts, as in iex.
                    Keys.onPressed: event => {
                        if (event.key === Qt.Key_C && (event.modifiers & Qt.ControlModifier) && selectedText.length === 0) {
                            root.interruptAllRequested();
                            event.accepted = true;
                        }
                    }
                    Keys.onReturnPressed: event => enter(event)
                    Keys.onEnterPressed: event => enter(event)
                    // Up and down walk the history from the first and the last line; inside a
                    // multi-line entry they move the cursor.
                    Keys.onUpPressed: event => {
                        if (onFirstLine)
                            showHistory(1);
                        else
                            event.accepted = false;
                    }
                    Keys.onDownPressed: event => {
                        if (onLastLine)
                            showHistory(-1);
                        else
                            event.accepted = false;
                    }

                    TextMetrics {
                        id: promptMetrics

                        font.family: Theme.monoFamily
                        font.pixelSize: 13
                        font.bold: true
                        text: root.consoleModel ? root.consoleModel.continuationPrompt : "...(1)>"
                    }
                    Repeater {
                        model: input.lineStarts.length

                        QQC2.Label {
                            required property int index

                            objectName: index === 0 ? "consolePrompt" : "consoleContinuationPrompt"
                            x: 6
                            // A binding on text and width too: the lines move as they wrap.
                            y: input.text.length >= 0 && input.width > 0 ? input.positionToRectangle(input.lineStarts[index]).y : 0
                            text: !root.consoleModel ? "iex>" : index === 0 ? root.consoleModel.prompt : root.consoleModel.continuationPrompt
                            color: Theme.accent
                            font.family: Theme.monoFamily
                            font.pixelSize: 13
                            font.bold: true
                        }
                    }
                }
            }
            QQC2.BusyIndicator {
                id: busy

                anchors.right: parent.right
                anchors.rightMargin: 4
                anchors.verticalCenter: parent.verticalCenter
                implicitWidth: 22
                implicitHeight: 22
                running: root.running > 0
                visible: running
            }
        }
    }
}
