// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Dialogs
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The sequence chart: one lifeline per process, one arrow per message, time flowing down,
// up to the playhead and through the trace pane's filters. Click an arrow to select its
// message everywhere; export the range as Mermaid, SVG or PNG.
PanelFrame {
    id: root

    required property App.EventBridge bridge
    required property App.TraceModel trace
    readonly property alias chart: chart

    /// Asks where to save the chart as "mmd" (Mermaid), "svg" or "png", and saves it.
    function exportAs(format: string) {
        saveDialog.format = format;
        saveDialog.open();
    }

    title: qsTr("Sequence")
    subtitle: chart.lastSeq > 0 ? qsTr("%1 processes, %2 arrows · events %3–%4").arg(chart.lifelineCount).arg(chart.arrowCount).arg(Number(chart.firstSeq).toLocaleString(Qt.locale(), "f", 0)).arg(Number(chart.lastSeq).toLocaleString(Qt.locale(), "f", 0)) : qsTr("no events")

    tools: [
        ToggleSwitch {
            objectName: "sequenceFollow"
            text: qsTr("Follow")
            checked: chart.follow
            onToggled: chart.follow = checked
        },
        ActionButton {
            objectName: "exportMermaid"
            text: qsTr("Mermaid…")
            onClicked: root.exportAs("mmd")
        },
        ActionButton {
            objectName: "exportSvg"
            text: qsTr("SVG…")
            onClicked: root.exportAs("svg")
        },
        ActionButton {
            objectName: "exportPng"
            text: qsTr("PNG…")
            onClicked: root.exportAs("png")
        }
    ]

    Rectangle {
        anchors.fill: parent
        anchors.margins: 8
        color: Theme.sunken
        radius: 6
        clip: true

        App.SequenceChart {
            id: chart

            objectName: "sequenceChart"
            anchors.fill: parent
            anchors.margins: 2
            anchors.rightMargin: vbar.width + 2
            bridge: root.bridge
            trace: root.trace
            callColor: Theme.call
            castColor: Theme.cast
            infoColor: Theme.info
            replyColor: Theme.reply
            systemColor: Theme.system
            timerColor: Theme.warning
            textColor: Theme.text
            mutedColor: Theme.textFaint
            lineColor: Theme.borderStrong
            backgroundColor: Theme.sunken
            headerColor: Theme.panelAlt
            selectionColor: Theme.selection
            dangerColor: Theme.danger
            blockedColor: Theme.blocked
            monoFamily: Theme.monoFamily

            QQC2.ToolTip {
                x: Math.min(chart.hoverPosition.x + 12, chart.width - width)
                y: chart.hoverPosition.y + 16
                visible: chart.hoverText !== ""
                text: chart.hoverText
                delay: 300
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        QQC2.Label {
            anchors.centerIn: parent
            visible: chart.arrowCount === 0
            text: qsTr("No messages up to the playhead match the filters")
            color: Theme.textFaint
        }

        QQC2.ScrollBar {
            id: vbar

            objectName: "sequenceScrollBar"
            anchors.top: parent.top
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.bottomMargin: hbar.visible ? hbar.height : 0
            orientation: Qt.Vertical
            policy: QQC2.ScrollBar.AlwaysOn
            size: chart.contentHeight > 0 ? Math.min(1, chart.height / chart.contentHeight) : 1
            position: chart.contentHeight > 0 ? chart.contentY / chart.contentHeight : 0
            onPositionChanged: {
                if (pressed)
                    chart.contentY = position * chart.contentHeight;
            }
        }

        QQC2.ScrollBar {
            id: hbar

            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.rightMargin: vbar.width
            orientation: Qt.Horizontal
            policy: QQC2.ScrollBar.AlwaysOn
            visible: chart.contentWidth > chart.width + 1
            size: chart.contentWidth > 0 ? Math.min(1, chart.width / chart.contentWidth) : 1
            position: chart.contentWidth > 0 ? chart.contentX / chart.contentWidth : 0
            onPositionChanged: {
                if (pressed)
                    chart.contentX = position * chart.contentWidth;
            }
        }
    }

    FileDialog {
        id: saveDialog

        property string format: "svg"

        title: format === "mmd" ? qsTr("Save the chart as Mermaid") : format === "svg" ? qsTr("Save the chart as SVG") : qsTr("Save the chart as PNG")
        fileMode: FileDialog.SaveFile
        defaultSuffix: format
        nameFilters: format === "mmd" ? [qsTr("Mermaid diagrams (*.mmd)"), qsTr("All files (*)")] : format === "svg" ? [qsTr("SVG images (*.svg)"), qsTr("All files (*)")] : [qsTr("PNG images (*.png)"), qsTr("All files (*)")]
        onAccepted: {
            const ok = format === "mmd" ? chart.saveMermaid(selectedFile) : format === "svg" ? chart.saveSvg(selectedFile) : chart.savePng(selectedFile);
            if (!ok)
                console.warn("Could not save the sequence chart:", chart.errorString());
        }
    }
}
