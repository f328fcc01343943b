// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Dialogs
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The trace pane: every event as a *DBG* line (Erlang syntax, or Elixir's), with the time
// since start, filters by process and category, text search, follow-tail, copy and save.
// Selecting a line highlights its process and message on the stage.
PanelFrame {
    id: root

    required property App.TraceModel trace
    required property App.EventBridge bridge
    required property App.ProcessModel processes
    property bool follow: true
    /// Too narrow for every tool of the header beside the title (the window's smallest
    /// size, with the editor beside the console).
    readonly property bool narrow: width < 600
    readonly property alias list: lines
    readonly property alias searchField: search

    function saveLines() {
        saveDialog.open();
    }
    onFollowChanged: lines.followEnd()

    function focusSearch() {
        search.forceActiveFocus();
        search.selectAll();
    }

    title: qsTr("Trace")
    subtitle: trace.scanning ? qsTr("searching…") : qsTr("%1 of %2 lines").arg(Number(lines.count).toLocaleString(Qt.locale(), "f", 0)).arg(Number(trace.totalLines).toLocaleString(Qt.locale(), "f", 0))

    tools: [
        SegmentedSwitch {
            objectName: "syntaxSwitch"
            leftText: "Erlang"
            rightText: "Elixir"
            rightSelected: !root.trace.erlangSyntax
            onToggled: root.trace.erlangSyntax = !rightSelected
        },
        ToggleSwitch {
            objectName: "followTail"
            text: qsTr("Follow")
            checked: root.follow
            onToggled: root.follow = checked
        },
        ActionButton {
            objectName: "traceCopy"
            visible: !root.narrow
            text: qsTr("Copy")
            onClicked: root.trace.copy()
        },
        ActionButton {
            objectName: "traceSave"
            visible: !root.narrow
            text: qsTr("Save…")
            onClicked: saveDialog.open()
        },
        // In a narrow pane Copy and Save… share one button, so that the header keeps the
        // switch, the syntax and Follow whole.
        ActionButton {
            id: moreButton

            objectName: "traceMore"
            visible: root.narrow
            text: "⋯"
            onClicked: moreMenu.popup(moreButton, 0, moreButton.height)
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: qsTr("Copy or save the lines the filters let through")

            QQC2.Menu {
                id: moreMenu

                QQC2.MenuItem {
                    text: qsTr("Copy the lines")
                    onTriggered: root.trace.copy()
                }
                QQC2.MenuItem {
                    text: qsTr("Save the lines…")
                    onTriggered: saveDialog.open()
                }
            }
        }
    ]

    // A category's chip: a click shows or hides its lines.
    component CategoryChip: Item {
        id: slot

        required property int index
        required property string modelData
        required property App.TraceModel trace
        readonly property bool on: (trace.categories & (1 << index)) !== 0

        implicitWidth: chip.implicitWidth
        implicitHeight: 24

        KindChip {
            id: chip

            objectName: "category_" + slot.modelData
            anchors.verticalCenter: parent.verticalCenter
            width: implicitWidth
            height: 20
            text: slot.modelData
            tint: Theme.categoryColor(slot.modelData)
            filled: slot.on
            opacity: slot.on ? 1 : 0.6

            TapHandler {
                onTapped: slot.trace.categories = slot.trace.categories ^ (1 << slot.index)
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 6
        anchors.topMargin: 5
        anchors.bottomMargin: 4
        spacing: 4

        // The search, the process filter and the category chips on one line: the chips go
        // under a Categories button when the line has no room for them (a second line of
        // filters cost a small window two lines of trace).
        RowLayout {
            id: filters

            objectName: "traceFilters"
            // The chips' room beside the search at its narrowest and the process filter, from
            // the pane's width: the row's own width is set while the row lays out, and a chip
            // shown then is left where it was (at the row's start).
            readonly property real chipsWidth: {
                let w = 0;
                for (let i = 0; i < inlineChips.count; ++i)
                    w += (inlineChips.itemAt(i)?.implicitWidth ?? 0) + spacing;
                return w;
            }
            readonly property bool chipsInline: root.width - 12 - search.Layout.minimumWidth - processFilter.Layout.preferredWidth - (clearPid.visible ? clearPid.implicitWidth + spacing : 0) - spacing >= chipsWidth

            Layout.fillWidth: true
            spacing: 6

            QQC2.TextField {
                id: search

                objectName: "traceSearch"
                Layout.fillWidth: true
                Layout.minimumWidth: 130
                Layout.maximumWidth: 230
                implicitHeight: 24
                placeholderText: qsTr("Search the trace (Ctrl+F)")
                selectByMouse: true
                font.pixelSize: Theme.fontSmall
                onTextEdited: searchDelay.restart()
                Keys.onEscapePressed: {
                    text = "";
                    root.trace.search = "";
                }

                Timer {
                    id: searchDelay

                    interval: 200
                    onTriggered: root.trace.search = search.text
                }
            }
            QQC2.ComboBox {
                id: processFilter

                objectName: "traceProcessFilter"
                Layout.preferredWidth: root.width < 700 ? 140 : 170
                Layout.preferredHeight: search.height
                model: root.processes
                textRole: "name"
                valueRole: "pid"
                font.pixelSize: Theme.fontSmall
                displayText: root.trace.pidFilter === 0 ? qsTr("All processes") : currentText
                onActivated: root.trace.pidFilter = currentValue
                popup.width: Math.max(width, 260) // the names in full
                // The row the keyboard is on is drawn on palette.light, not on the accent: its
                // text in the accent's text colour (dark on the dark panel) could not be read.
                popup.palette.light: Theme.selection
                palette.highlightedText: Theme.text
                QQC2.ToolTip.visible: hovered && root.trace.pidFilter !== 0
                QQC2.ToolTip.text: currentText
            }
            QQC2.ToolButton {
                id: clearPid

                visible: root.trace.pidFilter !== 0
                Layout.preferredHeight: search.height
                text: "✕"
                font.pixelSize: Theme.fontSmall
                onClicked: root.trace.pidFilter = 0
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: qsTr("Show every process")
            }
            Repeater {
                id: inlineChips

                model: root.trace.categoryNames

                delegate: CategoryChip {
                    visible: filters.chipsInline
                    trace: root.trace
                }
            }
            ActionButton {
                id: categoriesButton

                objectName: "traceCategories"
                readonly property int shown: {
                    let n = 0;
                    for (let i = 0; i < root.trace.categoryNames.length; ++i)
                        n += (root.trace.categories & (1 << i)) !== 0 ? 1 : 0;
                    return n;
                }

                visible: !filters.chipsInline
                Layout.preferredHeight: search.height
                text: shown === root.trace.categoryNames.length ? qsTr("Categories ▾") : qsTr("Categories %1/%2 ▾").arg(shown).arg(root.trace.categoryNames.length)
                onClicked: categoriesPopup.open()
                QQC2.ToolTip.visible: hovered
                QQC2.ToolTip.text: qsTr("Which categories of lines the trace shows")

                QQC2.Popup {
                    id: categoriesPopup

                    objectName: "traceCategoriesPopup"
                    focus: true
                    y: categoriesButton.height + 4
                    width: 260
                    padding: 10
                    // Modal (without dimming): a click beside it closes it and reaches nothing below.
                    modal: true
                    dim: false
                    closePolicy: QQC2.Popup.CloseOnEscape | QQC2.Popup.CloseOnPressOutside

                    background: Rectangle {
                        color: Theme.panel
                        radius: Theme.radius
                        border.color: Theme.borderStrong
                    }

                    Flow {
                        width: categoriesPopup.availableWidth
                        spacing: 6

                        Repeater {
                            model: root.trace.categoryNames

                            delegate: CategoryChip {
                                trace: root.trace
                            }
                        }
                    }
                }
            }
            Item {
                Layout.fillWidth: true
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.sunken
            radius: 6

            ListView {
                id: lines

                objectName: "traceList"
                anchors.fill: parent
                anchors.margins: 1
                clip: true
                model: root.trace
                reuseItems: true
                boundsBehavior: Flickable.StopAtBounds
                currentIndex: -1
                highlightMoveDuration: 0

                QQC2.ScrollBar.vertical: QQC2.ScrollBar {
                    policy: QQC2.ScrollBar.AlwaysOn
                }

                delegate: TraceLine {
                    required property int index
                    required property int pid
                    required property int otherPid
                    required property real messageId
                    required property real seq

                    width: lines.width - 12
                    selected: ListView.isCurrentItem
                    atPlayhead: !root.bridge.live && index === lines.playheadRow
                    future: !root.bridge.live && seq > root.bridge.playhead
                    related: root.bridge.selectedPid !== 0 && (pid === root.bridge.selectedPid || otherPid === root.bridge.selectedPid)
                    onClicked: {
                        lines.currentIndex = index;
                        root.follow = false;
                        root.bridge.selectedPid = pid;
                        root.bridge.selectedMessage = messageId;
                    }
                    onDoubleClicked: root.trace.pidFilter = pid
                }

                // The last line at or before the playhead: marked, and kept in view.
                property int playheadRow: -1

                function followPlayhead() {
                    if (root.bridge.live) {
                        playheadRow = -1;
                        return;
                    }
                    playheadRow = root.trace.rowOfSeq(root.bridge.playhead);
                    if (playheadRow >= 0)
                        positionViewAtIndex(playheadRow, ListView.Contain);
                    else if (count > 0)
                        positionViewAtBeginning(); // before the first line (Home)
                }

                Connections {
                    target: root.bridge

                    function onPlayheadChanged() {
                        if (!root.bridge.live)
                            root.follow = false;
                        else if (!lines.wasLive)
                            root.follow = true; // back to live: the newest lines, as before freezing
                        lines.wasLive = root.bridge.live;
                        lines.followPlayhead();
                    }
                }
                property bool wasLive: true

                // positionViewAtEnd() lays out every row it passes on the way, which a flood
                // of lines turns into seconds; with rows of one height the end is known.
                function showEnd() {
                    if (root.follow && !moving)
                        contentY = Math.max(originY, originY + contentHeight - height);
                }
                // The view takes in new rows as it lays them out, once a frame, and tells
                // the count before its content height: the end is looked up once that is
                // done, or the newest lines would stay below the view until more came.
                function followEnd() {
                    if (root.follow)
                        endLater.restart();
                }

                Timer {
                    id: endLater

                    interval: 0
                    onTriggered: lines.showEnd()
                }

                onCountChanged: followEnd()
                onContentHeightChanged: followEnd()
                onOriginYChanged: followEnd()
                onHeightChanged: followEnd()
                onMovementStarted: {
                    if (!atYEnd)
                        root.follow = false;
                }
                onAtYEndChanged: {
                    if (atYEnd && moving)
                        root.follow = true;
                }
            }

            QQC2.Label {
                anchors.centerIn: parent
                visible: lines.count === 0
                text: root.trace.scanning ? qsTr("Searching…") : qsTr("No lines match the filters")
                color: Theme.textFaint
            }
        }
    }

    FileDialog {
        id: saveDialog

        title: qsTr("Save the trace")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Text files (*.txt)"), qsTr("All files (*)")]
        onAccepted: {
            if (!root.trace.save(selectedFile))
                console.warn("Could not save the trace:", root.trace.errorString());
        }
    }
}
