// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Qt.labs.settings as Labs
import Mailroom.App as App

// The main window: the stage with the counters, call-vs-cast and logger panels beside it,
// the trace pane and the console below. Every button runs a line of script through the
// Controller, echoed in the console.
QQC2.ApplicationWindow {
    id: root

    /// "dark" or "light" from the command line; empty: as last time.
    property string initialTheme
    readonly property App.Controller controller: App.Controller
    /// Bumped whenever the panels' splits change, so that an older saved layout is ignored.
    readonly property int layoutVersion: 6
    /// The trace's and the code's row while the editor sits over the console: about 42 % of
    /// the splits' height. From the window's height, which the settings restore before the
    /// splits: a size read off the splits themselves would change as they are laid out and
    /// undo the restored state.
    readonly property int stackedBottomHeight: Math.max(300, Math.round((height - 110) * 0.42))

    function openCardMenu(pid: int, card: Item) {
        const processes = controller.processes;
        cardMenu.pid = pid;
        cardMenu.name = processes.valueOf(pid, "name");
        cardMenu.module = controller.moduleOf(pid);
        cardMenu.isServer = processes.valueOf(pid, "isServer");
        cardMenu.suspended = processes.valueOf(pid, "suspended");
        cardMenu.traced = processes.valueOf(pid, "traced");
        cardMenu.exited = processes.valueOf(pid, "exited");
        cardMenu.messages = controller.messagesFor(cardMenu.module);
        cardMenu.hasSource = "text" in controller.moduleSource(cardMenu.module);
        const p = card.mapToItem(root.contentItem, card.width + 6, 0);
        cardMenu.x = Math.min(p.x, root.width - cardMenu.width - 10);
        cardMenu.y = Math.max(10, Math.min(p.y, root.height - cardMenu.implicitHeight - 10));
        controller.bridge.selectedPid = pid;
        cardMenu.open();
    }

    // 1440×900 where the screen has room, else the screen's free area (never below the minimum):
    // a window larger than a 1024×700 screen would open with its header and panels off-screen.
    // A size kept from the last run (Settings below) replaces these.
    width: Math.max(minimumWidth, Math.min(1440, Screen.desktopAvailableWidth))
    height: Math.max(minimumHeight, Math.min(900, Screen.desktopAvailableHeight))
    minimumWidth: 1024
    minimumHeight: 700
    visible: true
    title: qsTr("Mailroom")
    color: Theme.window

    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.panelAlt
    palette.alternateBase: Theme.panel
    palette.text: Theme.text
    palette.button: Theme.panelAlt
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.textFaint
    palette.mid: Theme.border
    palette.dark: Theme.borderStrong
    palette.light: Theme.panel
    palette.toolTipBase: Theme.panel
    palette.toolTipText: Theme.text

    Component.onCompleted: {
        const theme = initialTheme.length > 0 ? initialTheme : settings.theme;
        Theme.dark = theme !== "light";
        controller.trace.erlangSyntax = settings.erlangSyntax;
        controller.freshProcess = settings.freshProcess;
        // Below 1280 px the trace, the editor and the console do not fit side by side: the
        // editor starts hidden there (its button in the console shows it, narrowed).
        commands.showEditor.checked = settings.editorShown && root.width >= 1280;
        // A layout saved by another version of the window may not fit this one's splits.
        if (settings.layoutVersion === root.layoutVersion) {
            const splits = [[mainSplit, settings.mainSplit], [topSplit, settings.topSplit], [leftSplit, settings.leftSplit], [sideSplit, settings.sideSplit], [bottomSplit, settings.bottomSplit], [codeSplit, settings.codeSplit]];
            for (const [split, state] of splits)
                if (state)
                    split.restoreState(state);
        }
    }
    Component.onDestruction: {
        settings.theme = Theme.dark ? "dark" : "light";
        settings.erlangSyntax = controller.trace.erlangSyntax;
        settings.freshProcess = controller.freshProcess;
        settings.editorShown = commands.showEditor.checked;
        settings.mainSplit = mainSplit.saveState();
        settings.topSplit = topSplit.saveState();
        settings.sideSplit = sideSplit.saveState();
        settings.leftSplit = leftSplit.saveState();
        settings.bottomSplit = bottomSplit.saveState();
        settings.codeSplit = codeSplit.saveState();
        settings.layoutVersion = root.layoutVersion;
    }

    Labs.Settings {
        id: settings

        property alias x: root.x
        property alias y: root.y
        property alias width: root.width
        property alias height: root.height
        property string theme
        property var mainSplit
        property var topSplit
        property var sideSplit
        property var leftSplit
        property int layoutVersion
        property var bottomSplit
        property var codeSplit
        property bool freshProcess
        property bool editorShown: true
        property bool erlangSyntax: true
        property alias cardPositions: stage.savedPositions
    }

    Connections {
        target: root.controller

        function onLoggerReplied(text: string) {
            logger.lastReply = text;
        }
    }

    Commands {
        id: commands

        controller: root.controller
        consolePane: consolePane
        tracePane: tracePane
        sequenceChart: sequenceChart
        traceView: traceView
        catalogPalette: catalogPalette
        lessonsPopup: lessonsPopup
    }

    header: Column {
        HeaderBar {
            width: parent.width
            controller: root.controller
            commands: commands
        }
        Timeline {
            id: timeline

            objectName: "timeline"
            width: parent.width
            controller: root.controller
        }
    }

    QQC2.SplitView {
        id: mainSplit

        anchors.fill: parent
        anchors.margins: 6
        orientation: Qt.Vertical
        handle: SplitHandle {
        }

        QQC2.SplitView {
            id: topSplit

            QQC2.SplitView.fillHeight: true
            // Room for each column: its filling panel at its minimum and the other as sized
            // (a SplitView does not shrink that one), or they would spill into the trace.
            QQC2.SplitView.minimumHeight: Math.max(stagePanel.QQC2.SplitView.minimumHeight + countersPanel.QQC2.SplitView.preferredHeight, callCast.QQC2.SplitView.minimumHeight + logger.QQC2.SplitView.preferredHeight) + 8
            orientation: Qt.Horizontal
            handle: SplitHandle {
            }

            QQC2.SplitView {
                id: leftSplit

                QQC2.SplitView.fillWidth: true
                QQC2.SplitView.minimumWidth: 480
                orientation: Qt.Vertical
                handle: SplitHandle {
                }

                PanelFrame {
                    id: stagePanel

                    QQC2.SplitView.fillHeight: true
                    QQC2.SplitView.minimumHeight: 180
                    title: qsTr("Stage")
                    subtitle: qsTr("click a card to send it messages · drag to move")
                    tools: [
                        ActionButton {
                            objectName: "clearExited"
                            enabled: stage.exitedShown > 0
                            text: qsTr("Clear exited")
                            onClicked: stage.clearExited()
                        },
                        ActionButton {
                            objectName: "resetLayout"
                            enabled: stage.hasSavedPositions
                            text: qsTr("Reset layout")
                            onClicked: stage.resetPositions()
                        }
                    ]

                    Stage {
                        id: stage

                        objectName: "stage"
                        anchors.fill: parent
                        bridge: root.controller.bridge
                        processes: root.controller.processes
                        flights: root.controller.flights
                        revealNew: root.controller.ready && !root.controller.replaying && !root.controller.onBeam
                        onCardClicked: (pid, card) => root.openCardMenu(pid, card)
                    }
                }
                CountersPanel {
                    id: countersPanel

                    objectName: "countersPanel"
                    QQC2.SplitView.preferredHeight: root.height < 800 ? 170 : 196
                    QQC2.SplitView.minimumHeight: 170 // its buttons whole
                    bridge: root.controller.bridge
                    onIncrementRequested: times => {
                        for (let i = 0; i < times; ++i)
                            commands.increment.trigger();
                    }
                    onGetCountRequested: commands.getCount.trigger()
                    onEvaluateRequested: code => root.controller.evaluateIn(code, false)
                }
            }

            QQC2.SplitView {
                id: sideSplit

                // Narrower in a small window: the stage keeps three cards abreast.
                QQC2.SplitView.preferredWidth: root.width < 1200 ? 380 : 500
                QQC2.SplitView.minimumWidth: 380
                orientation: Qt.Vertical
                handle: SplitHandle {
                }

                CallCastPanel {
                    id: callCast

                    QQC2.SplitView.fillHeight: true
                    QQC2.SplitView.minimumHeight: 150
                    calls: root.controller.calls
                    stats: root.controller.callStats
                    bridge: root.controller.bridge
                    onCompareRequested: server => root.controller.compare(server)
                }
                LoggerPanel {
                    id: logger

                    objectName: "loggerPanel"
                    QQC2.SplitView.preferredHeight: root.height < 800 ? 170 : 200
                    QQC2.SplitView.minimumHeight: 120
                    bridge: root.controller.bridge
                    calls: root.controller.calls
                    onLogRequested: message => root.controller.log(message)
                    onGetLogsRequested: root.controller.getLogs()
                }
            }
        }

        QQC2.SplitView {
            id: bottomSplit

            objectName: "bottomSplit"
            // Taller while the editor shares the console's column: both need lines of their own.
            // In a short window, all that the panels above leave at their minimum (at 1024×700
            // that is the trace's eight lines).
            QQC2.SplitView.preferredHeight: root.height < 800 ? Math.min(300, Math.max(226, mainSplit.height - topSplit.QQC2.SplitView.minimumHeight - 8)) : codeSplit.stacked && commands.showEditor.checked ? root.stackedBottomHeight : 300
            QQC2.SplitView.minimumHeight: 190
            orientation: Qt.Horizontal
            handle: SplitHandle {
            }

            // The trace as lines, or as a sequence chart (Ctrl+T switches). The switch sits in
            // the shown pane's header, where its title would be: a row of its own took two
            // trace lines from a small window.
            Item {
                QQC2.SplitView.fillWidth: true
                QQC2.SplitView.minimumWidth: 420

                StackLayout {
                    anchors.fill: parent
                    currentIndex: traceView.rightSelected ? 1 : 0

                    TracePane {
                        id: tracePane

                        title: ""
                        titleInset: traceView.width
                        trace: root.controller.trace
                        bridge: root.controller.bridge
                        processes: root.controller.processes
                    }
                    SequenceChart {
                        id: sequenceChart

                        objectName: "sequenceChart"
                        title: ""
                        titleInset: traceView.width
                        trace: root.controller.trace
                        bridge: root.controller.bridge
                    }
                }
                SegmentedSwitch {
                    id: traceView

                    objectName: "traceViewSwitch"
                    x: 10
                    y: (tracePane.headerHeight - height) / 2 // on the panes' header line
                    leftText: qsTr("Trace")
                    rightText: qsTr("Sequence")
                    QQC2.ToolTip.visible: switchHover.hovered
                    QQC2.ToolTip.text: qsTr("The trace as lines or as a sequence chart (Ctrl+T)")

                    HoverHandler {
                        id: switchHover
                    }
                }
            }
            // The editor and the console. In a wide window they share one column, the editor
            // over the console, so that the trace keeps the width its filters need on one line
            // and, with the row taller while the editor shows, the height for its lines. Below
            // 1280 px the row cannot grow (the panels above are at their minimum): side by side.
            QQC2.SplitView {
                id: codeSplit

                objectName: "codeSplit"
                readonly property bool stacked: root.width >= 1280

                QQC2.SplitView.preferredWidth: stacked ? 520 : commands.showEditor.checked ? 576 : 470
                QQC2.SplitView.minimumWidth: stacked || !commands.showEditor.checked ? 320 : 548
                orientation: stacked ? Qt.Vertical : Qt.Horizontal
                handle: SplitHandle {
                }

                EditorPane {
                    id: editorPane

                    objectName: "editorPane"
                    visible: commands.showEditor.checked
                    QQC2.SplitView.preferredWidth: 270
                    QQC2.SplitView.minimumWidth: 260
                    QQC2.SplitView.preferredHeight: Math.round(root.stackedBottomHeight * 0.52)
                    QQC2.SplitView.minimumHeight: 140
                    controller: root.controller
                }
                ConsolePane {
                    id: consolePane

                    QQC2.SplitView.fillWidth: true
                    QQC2.SplitView.fillHeight: true
                    QQC2.SplitView.minimumWidth: 280
                    QQC2.SplitView.minimumHeight: 130
                    consoleModel: root.controller.console
                    running: root.controller.running
                    freshProcess: root.controller.freshProcess
                    editorToggle: commands.showEditor
                    onSubmitted: code => root.controller.evaluate(code)
                    onInterruptRequested: number => root.controller.interrupt(number)
                    onInterruptAllRequested: root.controller.interruptAll()
                }
            }
        }
    }

    CardMenu {
        id: cardMenu

        objectName: "cardMenu"
        onSendSpec: code => {
            root.controller.sendSpec(code, cardMenu.pid);
        }
        onSendPlain: message => {
            root.controller.sendPlain(cardMenu.pid, message);
        }
        onGetState: {
            root.controller.getState(cardMenu.pid);
        }
        onSuspendRequested: {
            root.controller.suspend(cardMenu.pid);
        }
        onResumeRequested: {
            root.controller.resume(cardMenu.pid);
        }
        onTraceRequested: on => {
            root.controller.setTraced(cardMenu.pid, on);
        }
        onStopRequested: {
            root.controller.stop(cardMenu.pid);
        }
        onKillRequested: {
            root.controller.kill(cardMenu.pid);
        }
        onSourceRequested: sourceView.show(cardMenu.pid, cardMenu.module)
    }

    SourceView {
        id: sourceView

        objectName: "sourceView"
        controller: root.controller
        // Over the right-hand panels, below the toolbar: the stage's cards stay in reach.
        width: Math.min(560, root.width / 2)
        height: Math.min(640, (parent?.height ?? root.height) - 16)
        x: root.width - width - 12
        y: 8
    }

    CatalogPalette {
        id: catalogPalette

        objectName: "catalogPalette"
        x: 120
        y: 8
        catalog: root.controller.catalog
        onStartRequested: module => {
            root.controller.startServer(module);
            catalogPalette.close();
        }
    }

    LessonsPopup {
        id: lessonsPopup

        objectName: "lessonsPopup"
        x: 220
        y: 8
        lessons: root.controller.lessons
        // A lesson's program opens in the editor, to read, change and run (Ctrl+Enter).
        onLessonChosen: row => {
            lessonsPopup.close();
            commands.showEditor.checked = true;
            const lessons = root.controller.lessons;
            editorPane.openLesson(lessons.fileOf(row), lessons.source(row));
            root.controller.console.appendNote(qsTr("Lesson %1: %2 is in the editor: Run (Ctrl+Enter) runs it, and it can be changed and run again.").arg(row + 1).arg(lessons.title(row)));
        }
    }
}
