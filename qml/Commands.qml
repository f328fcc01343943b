// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2
import QtQuick.Dialogs as Dialogs
import Mailroom.App as App

// Every command of the window, once: its text, its shortcut and when it can run. The File
// menu, the header's buttons, the panels and the keyboard all trigger these Actions; a
// shortcut works anywhere in the window, whether or not a control shows its action.
Item {
    id: root

    required property App.Controller controller
    required property ConsolePane consolePane
    required property TracePane tracePane
    required property SequenceChart sequenceChart
    required property SegmentedSwitch traceView
    required property CatalogPalette catalogPalette
    required property LessonsPopup lessonsPopup

    readonly property alias openRecording: openRecording
    readonly property alias saveRecording: saveRecording
    readonly property alias exportChrome: exportChrome
    readonly property alias exportTraceText: exportTraceText
    readonly property alias exportMermaid: exportMermaid
    readonly property alias exportSvg: exportSvg
    readonly property alias exportPng: exportPng
    readonly property alias closeRecording: closeRecording
    readonly property alias attachNode: attachNode
    readonly property alias detachNode: detachNode
    readonly property alias watchFewer: watchFewer
    readonly property alias servers: servers
    readonly property alias lessons: lessons
    readonly property alias freshProcess: freshProcess
    readonly property alias theme: theme
    readonly property alias increment: increment
    readonly property alias getCount: getCount
    readonly property alias showEditor: showEditor

    /// "Text (Shortcut)" for a menu item or a tooltip; the text alone without a shortcut.
    function withShortcut(text: string, action: QQC2.Action): string {
        const keys = String(action.shortcut ?? "");
        return keys.length > 0 ? qsTr("%1 (%2)").arg(text).arg(keys) : text;
    }

    // Files.
    QQC2.Action {
        id: openRecording

        text: qsTr("Open recording…")
        shortcut: "Ctrl+O"
        onTriggered: openDialog.open()
    }
    QQC2.Action {
        id: saveRecording

        text: qsTr("Save recording as JSON Lines…")
        shortcut: "Ctrl+S"
        onTriggered: saveDialog.open()
    }
    QQC2.Action {
        id: exportChrome

        text: qsTr("Export Chrome trace (Perfetto)…")
        onTriggered: chromeDialog.open()
    }
    QQC2.Action {
        id: exportTraceText

        text: qsTr("Export the trace as text…")
        onTriggered: root.tracePane.saveLines()
    }
    QQC2.Action {
        id: exportMermaid

        text: qsTr("Export the sequence chart as Mermaid…")
        onTriggered: root.sequenceChart.exportAs("mmd")
    }
    QQC2.Action {
        id: exportSvg

        text: qsTr("Export the sequence chart as SVG…")
        onTriggered: root.sequenceChart.exportAs("svg")
    }
    QQC2.Action {
        id: exportPng

        text: qsTr("Export the sequence chart as PNG…")
        onTriggered: root.sequenceChart.exportAs("png")
    }
    QQC2.Action {
        id: closeRecording

        text: qsTr("Close recording")
        enabled: root.controller.replaying
        onTriggered: root.controller.closeRecording()
    }

    QQC2.Action {
        id: attachNode

        text: qsTr("Attach to a node…")
        enabled: !root.controller.beamRunning
        onTriggered: attachDialog.open()
    }
    QQC2.Action {
        id: watchFewer

        text: qsTr("Watch fewer processes…")
        enabled: root.controller.beamTripped
        onTriggered: {
            root.controller.detachBeam();
            attachDialog.open();
        }
    }
    QQC2.Action {
        id: detachNode

        text: qsTr("Stop watching the BEAM")
        enabled: root.controller.beamRunning
        onTriggered: root.controller.detachBeam()
    }

    // The header's buttons.
    QQC2.Action {
        id: servers

        text: qsTr("Servers…")
        shortcut: "Ctrl+P"
        onTriggered: root.catalogPalette.open()
    }
    QQC2.Action {
        id: lessons

        text: qsTr("Lessons…")
        shortcut: "Ctrl+E"
        onTriggered: root.lessonsPopup.open()
    }
    QQC2.Action {
        id: freshProcess

        text: qsTr("New process per click")
        shortcut: "Ctrl+N"
        checkable: true
        checked: root.controller.freshProcess
        onToggled: root.controller.freshProcess = freshProcess.checked
    }
    QQC2.Action {
        id: theme

        text: Theme.dark ? "☀" : "☾"
        shortcut: "Ctrl+D"
        onTriggered: Theme.dark = !Theme.dark
    }

    // The editor beside the console.
    QQC2.Action {
        id: showEditor

        text: qsTr("Editor")
        shortcut: "Ctrl+Shift+E"
        checkable: true
        checked: true
    }

    // Counter, as its panel's buttons do.
    QQC2.Action {
        id: increment

        text: qsTr("Cast :increment to Counter")
        shortcut: "Ctrl+I"
        onTriggered: root.controller.evaluate("GenServer.cast(Counter, :increment)")
    }
    QQC2.Action {
        id: getCount

        text: qsTr("Call :get_count on Counter")
        shortcut: "Ctrl+G"
        onTriggered: root.controller.evaluate("GenServer.call(Counter, :get_count)")
    }

    // Keyboard only.
    QQC2.Action {
        shortcut: "Ctrl+K"
        onTriggered: root.controller.compare("Counter")
    }
    QQC2.Action {
        shortcut: "Ctrl+L"
        onTriggered: root.consolePane.focusInput()
    }
    QQC2.Action {
        shortcut: "Ctrl+Shift+X"
        onTriggered: root.controller.console.clearTranscript()
    }
    QQC2.Action {
        shortcut: "Ctrl+F"
        onTriggered: root.tracePane.focusSearch()
    }
    QQC2.Action {
        shortcut: "Ctrl+T"
        onTriggered: root.traceView.rightSelected = !root.traceView.rightSelected
    }
    QQC2.Action {
        shortcut: "Ctrl+End"
        onTriggered: root.tracePane.follow = true
    }

    Dialogs.FileDialog {
        id: openDialog

        title: qsTr("Open a recording")
        nameFilters: [qsTr("Event records (*.jsonl)"), qsTr("All files (*)")]
        onAccepted: root.controller.openRecording(selectedFile)
    }
    Dialogs.FileDialog {
        id: saveDialog

        title: qsTr("Save the recording")
        fileMode: Dialogs.FileDialog.SaveFile
        defaultSuffix: "jsonl"
        nameFilters: [qsTr("Event records (*.jsonl)"), qsTr("All files (*)")]
        onAccepted: root.controller.saveRecording(selectedFile)
    }
    Dialogs.FileDialog {
        id: chromeDialog

        title: qsTr("Export a Chrome trace")
        fileMode: Dialogs.FileDialog.SaveFile
        defaultSuffix: "json"
        nameFilters: [qsTr("Chrome trace (*.json)"), qsTr("All files (*)")]
        onAccepted: root.controller.exportChromeTrace(selectedFile)
    }
    AttachDialog {
        id: attachDialog

        objectName: "attachDialog"
        controller: root.controller
    }
}
