// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// A process's module as source, beside the stage: the clause that handled its latest message
// is highlighted (strongly while it runs), and the line where a handler crashed is marked.
// Both come from the record at the playhead (the HandlerBegin's and the crashed HandlerEnd's
// lines, docs/events.md), so scrubbing the timeline moves them. The text is the definition
// that handler ran (a learner's module from the console or the editor, or a catalog server's
// file): scrubbing back past a redefinition shows the older source.
// Non-modal: the stage, the cards and the timeline stay usable while it is open.
QQC2.Popup {
    id: root

    required property App.Controller controller
    /// The process followed.
    property int pid: 0
    /// Its module ("Counter", "Tally").
    property string module
    /// Controller.moduleSource(module, sourceTime): {file, text, firstLine, clauses}; {} when
    /// there is none.
    property var source: ({})
    /// When the handler at the playhead began (-1: none): the definition of the module it
    /// ran, which a later redefinition does not replace here.
    property real sourceTime: -1
    readonly property bool hasSource: source.text !== undefined
    readonly property int firstLine: source.firstLine ?? 1
    readonly property var clauses: source.clauses ?? []
    /// What the record says at the playhead (0: nothing to show).
    property int clauseLine: 0
    property int crashLine: 0
    /// Inside the highlighted clause now (running, or sleeping or blocked in it).
    property bool running: false
    /// The highlighted clause's last line.
    readonly property int clauseEnd: {
        for (const c of clauses)
            if (c.firstLine === clauseLine)
                return c.lastLine;
        return clauseLine;
    }
    readonly property string clauseName: {
        for (const c of clauses)
            if (c.firstLine === clauseLine)
                return c.name + "/" + c.arity;
        return "";
    }

    /// Opens the view on `pid`, whose module is `module`.
    function show(pid: int, module: string) {
        root.pid = pid;
        root.module = module;
        sourceTime = controller.processes.valueOf(pid, "clauseTime") ?? -1;
        reload();
        refresh();
        open();
        scrollToClause();
    }
    /// Reads the module's source again (a redefinition replaces it).
    function reload() {
        source = module.length > 0 ? controller.moduleSource(module, sourceTime) : {};
    }
    /// Reads the lines of the process at the playhead, in the source that ran them.
    function refresh() {
        const processes = controller.processes;
        const time = processes.valueOf(pid, "clauseTime") ?? -1;
        if (time !== sourceTime) {
            sourceTime = time;
            reload();
        }
        clauseLine = processes.valueOf(pid, "clauseLine") ?? 0;
        crashLine = processes.valueOf(pid, "crashLine") ?? 0;
        running = processes.valueOf(pid, "inHandler") ?? false;
    }
    /// Brings the highlighted clause (or the crash) into view.
    function scrollToClause() {
        const line = crashLine > 0 ? crashLine : clauseLine;
        if (line <= 0 || !hasSource)
            return;
        const top = code.topPadding + (line - firstLine) * code.lineHeight;
        const bottom = code.topPadding + (Math.max(line, crashLine > 0 ? line : clauseEnd) - firstLine + 1) * code.lineHeight;
        if (top < flick.contentY || bottom > flick.contentY + flick.height)
            flick.contentY = Math.max(0, Math.min(top - flick.height / 4, flick.contentHeight - flick.height));
    }

    onClauseLineChanged: scrollToClause()
    onCrashLineChanged: scrollToClause()

    Connections {
        target: root.controller.processes

        function onDataChanged() {
            if (root.opened)
                root.refresh();
        }
        function onModelReset() {
            if (root.opened)
                root.refresh();
        }
    }
    Connections {
        target: root.controller

        function onEvaluated() {
            if (root.opened)
                root.reload();
        }
    }

    padding: 10
    modal: false
    focus: true
    closePolicy: QQC2.Popup.CloseOnEscape

    background: Rectangle {
        color: Theme.panel
        radius: Theme.radius
        border.color: Theme.borderStrong
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        RowLayout {
            Layout.fillWidth: true
            spacing: 8

            QQC2.Label {
                text: root.module
                color: Theme.text
                font.bold: true
                font.pixelSize: Theme.fontLarge
            }
            QQC2.Label {
                Layout.fillWidth: true
                text: (root.source.file ?? "") + " · " + root.controller.processes.valueOf(root.pid, "pidText")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideMiddle
            }
            ActionButton {
                objectName: "sourceClose"
                text: qsTr("Close")
                onClicked: root.close()
            }
        }
        QQC2.Label {
            objectName: "sourceStatus"
            Layout.fillWidth: true
            text: {
                if (!root.hasSource)
                    return qsTr("No source for %1").arg(root.module);
                if (root.crashLine > 0)
                    return qsTr("crashed at line %1").arg(root.crashLine);
                if (root.clauseLine <= 0)
                    return qsTr("no handler has run yet");
                return (root.running ? qsTr("running %1, the clause at line %2") : qsTr("last ran %1, the clause at line %2")).arg(root.clauseName).arg(root.clauseLine);
            }
            color: root.crashLine > 0 ? Theme.danger : (root.running ? Theme.running : Theme.textMuted)
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.sunken
            radius: 6

            Flickable {
                id: flick

                anchors.fill: parent
                anchors.margins: 2
                clip: true
                contentWidth: Math.max(width, code.implicitWidth)
                contentHeight: code.implicitHeight
                boundsBehavior: Flickable.StopAtBounds
                QQC2.ScrollBar.vertical: QQC2.ScrollBar {}
                QQC2.ScrollBar.horizontal: QQC2.ScrollBar {}

                // The clause that ran: a band over its lines (and a bar in the gutter).
                Rectangle {
                    objectName: "sourceClauseHighlight"
                    visible: root.hasSource && root.clauseLine > 0
                    width: flick.contentWidth
                    y: code.topPadding + (root.clauseLine - root.firstLine) * code.lineHeight
                    height: (root.clauseEnd - root.clauseLine + 1) * code.lineHeight
                    color: Qt.rgba(Theme.running.r, Theme.running.g, Theme.running.b, root.running ? 0.28 : 0.12)
                }
                // The line where a handler crashed.
                Rectangle {
                    objectName: "sourceCrashMark"
                    visible: root.hasSource && root.crashLine > 0
                    width: flick.contentWidth
                    y: code.topPadding + (root.crashLine - root.firstLine) * code.lineHeight
                    height: code.lineHeight
                    color: Qt.rgba(Theme.danger.r, Theme.danger.g, Theme.danger.b, 0.28)
                }

                TextEdit {
                    id: code

                    readonly property real lineHeight: lineCount > 0 ? contentHeight / lineCount : fontMetrics.lineSpacing

                    objectName: "sourceText"
                    width: flick.contentWidth
                    leftPadding: gutter.width + 8
                    topPadding: 6
                    bottomPadding: 6
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.NoWrap
                    font.family: Theme.monoFamily
                    font.pixelSize: 12
                    color: Theme.text
                    selectionColor: Theme.selection
                    text: root.source.text ?? ""

                    FontMetrics {
                        id: fontMetrics

                        font: code.font
                    }
                    App.EditorDocument {
                        textDocument: code.textDocument
                        dark: Theme.dark
                        keptPath: ""
                    }
                }
                // Line numbers as in the code that defined the module, in a gutter that stays
                // put when the text scrolls sideways.
                Rectangle {
                    id: gutter

                    x: flick.contentX
                    width: fontMetrics.averageCharacterWidth * Math.max(3, String(root.firstLine + code.lineCount).length + 1) + 10
                    height: Math.max(code.height, flick.height)
                    color: Theme.panelAlt

                    QQC2.Label {
                        objectName: "sourceLineNumbers"
                        anchors.right: parent.right
                        anchors.rightMargin: 6
                        y: code.topPadding
                        horizontalAlignment: Text.AlignRight
                        lineHeightMode: Text.FixedHeight
                        lineHeight: code.lineHeight
                        text: Array.from({
                            length: Math.max(1, code.lineCount)
                        }, (_, i) => root.firstLine + i).join("\n")
                        font: code.font
                        color: Theme.textFaint
                    }
                    Rectangle {
                        visible: root.hasSource && root.clauseLine > 0
                        anchors.right: parent.right
                        width: 3
                        y: code.topPadding + (root.clauseLine - root.firstLine) * code.lineHeight
                        height: (root.clauseEnd - root.clauseLine + 1) * code.lineHeight
                        color: Theme.running
                        opacity: root.running ? 1 : 0.5
                    }
                    QQC2.Label {
                        visible: root.hasSource && root.crashLine > 0
                        x: 3
                        y: code.topPadding + (root.crashLine - root.firstLine) * code.lineHeight
                        height: code.lineHeight
                        verticalAlignment: Text.AlignVCenter
                        text: "✖"
                        color: Theme.danger
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }
    }
}
