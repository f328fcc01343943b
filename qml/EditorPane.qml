// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import QtQuick.Dialogs as Dialogs
import Mailroom.App as App

// The editor: an .exs buffer with Elixir highlighting and line numbers, run whole or as the
// selection (Ctrl+Enter) in the shell, its error underlined at its line and column. The
// buffer is kept between runs of the app (EditorDocument.keep/restore).
PanelFrame {
    id: root

    required property App.Controller controller
    readonly property alias editor: editor
    readonly property alias document: document
    readonly property alias runAction: runAction

    /// A lesson's name while its program is in the buffer (it runs under that name); empty
    /// for the learner's own buffer or a file.
    property string lessonName

    /// Puts a lesson's program in the buffer, to read, change and run. What was there before
    /// goes as an edit would, so Ctrl+Z brings it back.
    function openLesson(name: string, source: string) {
        document.clearError();
        editor.remove(0, editor.length);
        editor.insert(0, source);
        editor.cursorPosition = 0;
        root.lessonName = name;
        editor.forceActiveFocus();
    }
    /// Runs the selection when there is one, else the whole buffer.
    function run() {
        const selected = editor.selectionEnd > editor.selectionStart;
        const code = selected ? editor.selectedText.replace(/\u2029/g, "\n") : editor.text;
        if (code.trim().length === 0)
            return;
        document.clearError();
        document.keep();
        const start = selected ? editor.selectionStart : 0;
        root.controller.runBuffer(code, root.shownName, document.lineAt(start), document.columnAt(start));
    }
    function focusEditor() {
        editor.forceActiveFocus();
    }

    readonly property string shownName: lessonName.length > 0 ? lessonName : document.fileName

    title: qsTr("Editor")
    subtitle: root.shownName + (document.modified ? " •" : "") + (document.errorLine > 0 ? qsTr(" · error at line %1").arg(document.errorLine) : "")

    tools: [
        ActionButton {
            objectName: "editorOpen"
            text: qsTr("Open…")
            onClicked: openDialog.open()
        },
        ActionButton {
            objectName: "editorSave"
            text: qsTr("Save")
            onClicked: {
                if (document.hasFile)
                    document.save();
                else
                    saveDialog.open();
            }
        },
        ActionButton {
            objectName: "editorRun"
            primary: true
            action: runAction
            text: editor.selectionEnd > editor.selectionStart ? qsTr("Run selection") : qsTr("Run")
        }
    ]

    QQC2.Action {
        id: runAction

        text: qsTr("Run")
        onTriggered: root.run()
    }

    App.EditorDocument {
        id: document

        textDocument: editor.textDocument
        dark: Theme.dark
        onFileError: message => root.controller.console.appendError(message)
        // A file opened or saved is no longer the lesson.
        onFileUrlChanged: root.lessonName = ""
    }

    Connections {
        target: root.controller

        function onBufferRan(ok: bool, text: string, line: int, column: int) {
            if (ok) {
                document.clearError();
            } else {
                document.setError(line, column, text);
                revealError.restart();
            }
        }
    }

    // The error's line in sight once reported: the line naming the error, shown under the
    // text, takes the room of the buffer's last line, where a typed error often is. After
    // the frame that lays that out.
    Timer {
        id: revealError

        interval: 0
        onTriggered: {
            const flick = scroll.contentItem as Flickable;
            if (!flick || document.errorLine <= 0 || editor.lineCount <= 0)
                return;
            const lineHeight = editor.contentHeight / editor.lineCount;
            const top = editor.topPadding + (document.errorLine - 1) * lineHeight;
            if (top < flick.contentY)
                flick.contentY = top;
            else if (top + lineHeight + editor.bottomPadding > flick.contentY + flick.height)
                flick.contentY = Math.min(top + lineHeight + editor.bottomPadding - flick.height, Math.max(0, flick.contentHeight - flick.height));
        }
    }

    // Kept a moment after the last edit, and when the window closes.
    Timer {
        id: keepTimer

        interval: 800
        onTriggered: document.keep()
    }
    Component.onCompleted: {
        if (!document.restore())
            editor.text = "defmodule Greeter do\n  use GenServer\n\n  def init(name), do: {:ok, %{name: name, greeted: 0}}\n\n  def handle_call(:hello, _from, state) do\n    {:reply, \"Hello from \" <> state.name, %{state | greeted: state.greeted + 1}}\n  end\n\n  def handle_cast({:rename, name}, state), do: {:noreply, %{state | name: name}}\nend\n\nGenServer.start(Greeter, \"Greeter\", name: Greeter)\n";
    }
    Component.onDestruction: document.keep()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 4

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.sunken
            radius: 6
            border.color: editor.activeFocus ? Theme.accent : "transparent"

            QQC2.ScrollView {
                id: scroll

                anchors.fill: parent
                anchors.margins: 2
                clip: true
                onHeightChanged: {
                    if (document.errorLine > 0)
                        revealError.restart();
                }

                QQC2.TextArea {
                    id: editor

                    objectName: "editorText"
                    leftPadding: gutter.width + 8
                    topPadding: 6
                    bottomPadding: 6
                    wrapMode: TextEdit.NoWrap
                    font.family: Theme.monoFamily
                    font.pixelSize: 12
                    color: Theme.text
                    selectByMouse: true
                    persistentSelection: true
                    tabStopDistance: 2 * fontMetrics.averageCharacterWidth
                    background: null
                    onTextChanged: keepTimer.restart()

                    // Ctrl+Enter runs; Ctrl+S saves the file (not the window's recording).
                    Keys.onShortcutOverride: event => {
                        if ((event.modifiers & Qt.ControlModifier) && (event.key === Qt.Key_Return || event.key === Qt.Key_Enter || event.key === Qt.Key_S))
                            event.accepted = true;
                    }
                    Keys.onPressed: event => {
                        if (!(event.modifiers & Qt.ControlModifier))
                            return;
                        if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
                            root.run();
                            event.accepted = true;
                        } else if (event.key === Qt.Key_S) {
                            if (document.hasFile)
                                document.save();
                            else
                                saveDialog.open();
                            event.accepted = true;
                        }
                    }
                    // Two spaces for a tab, as Elixir is written.
                    Keys.onTabPressed: editor.insert(editor.cursorPosition, "  ")

                    FontMetrics {
                        id: fontMetrics

                        font: editor.font
                    }

                    // The line numbers, in a gutter that stays put when the text scrolls sideways.
                    Rectangle {
                        id: gutter

                        x: (scroll.contentItem as Flickable)?.contentX ?? 0
                        width: fontMetrics.averageCharacterWidth * Math.max(3, String(editor.lineCount).length + 1) + 8
                        height: Math.max(editor.height, scroll.height)
                        color: Theme.panelAlt

                        QQC2.Label {
                            objectName: "editorLineNumbers"
                            anchors.right: parent.right
                            anchors.rightMargin: 6
                            y: editor.topPadding
                            horizontalAlignment: Text.AlignRight
                            lineHeightMode: Text.FixedHeight
                            lineHeight: editor.lineCount > 0 ? (editor.contentHeight / editor.lineCount) : fontMetrics.lineSpacing
                            text: Array.from({
                                length: Math.max(1, editor.lineCount)
                            }, (_, i) => i + 1).join("\n")
                            font: editor.font
                            color: Theme.textFaint
                        }
                        // The error's line, marked in the gutter.
                        Rectangle {
                            objectName: "editorErrorMark"
                            visible: document.errorLine > 0
                            width: 3
                            height: editor.lineCount > 0 ? editor.contentHeight / editor.lineCount : 14
                            y: editor.topPadding + (document.errorLine - 1) * height
                            color: Theme.danger
                        }
                    }
                }
            }
        }
        QQC2.Label {
            objectName: "editorErrorText"
            Layout.fillWidth: true
            visible: document.errorLine > 0
            text: document.errorText.split("\n")[0]
            color: Theme.danger
            elide: Text.ElideRight
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
        }
    }

    Dialogs.FileDialog {
        id: openDialog

        title: qsTr("Open an Elixir script")
        nameFilters: [qsTr("Elixir scripts (*.exs *.ex)"), qsTr("All files (*)")]
        onAccepted: document.open(selectedFile)
    }
    Dialogs.FileDialog {
        id: saveDialog

        title: qsTr("Save the script")
        fileMode: Dialogs.FileDialog.SaveFile
        defaultSuffix: "exs"
        nameFilters: [qsTr("Elixir scripts (*.exs)"), qsTr("All files (*)")]
        onAccepted: document.save(selectedFile)
    }
}
