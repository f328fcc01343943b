// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// One line of the console: an input with its iex prompt (marked while it runs; a
// multi-line input's further lines continue it with ...(N)>, as iex shows them), printed
// output, a result or an error (in red, with a marker, so it stands out without disturbing
// the rest). Text wraps at word boundaries only, and a wrapped line keeps its indentation.
// A running input has a Stop button: it interrupts that line (stopRequested), as iex's break.
Item {
    id: root

    required property string kind
    required property string text
    required property string prompt
    required property string continuationPrompt
    required property bool running
    required property int promptNumber

    /// The Stop button on this running input was clicked.
    signal stopRequested(int promptNumber)

    // Each line of the text on its own, so that what wraps hangs under its indentation.
    readonly property var textLines: root.text.split("\n")
    readonly property color textColor: {
        switch (root.kind) {
        case "input":
            return Theme.text;
        case "result":
            return Theme.cast;
        case "error":
            return Theme.danger;
        case "note":
            return Theme.accent;
        default:
            return Theme.textMuted;
        }
    }

    implicitHeight: Math.max(body.implicitHeight, 18) + 4

    FontMetrics {
        id: metrics

        font.family: Theme.monoFamily
        font.pixelSize: 12
    }

    Rectangle {
        anchors.fill: parent
        visible: root.kind === "error"
        color: Qt.rgba(Theme.danger.r, Theme.danger.g, Theme.danger.b, Theme.dark ? 0.12 : 0.08)
        radius: 4

        Rectangle {
            width: 3
            height: parent.height
            color: Theme.danger
        }
    }

    TextMetrics {
        id: promptMetrics

        font.family: Theme.monoFamily
        font.pixelSize: 12
        font.bold: true
        text: root.prompt
    }
    Column {
        id: body

        objectName: "consoleLineBody"
        x: root.kind === "input" ? 8 + promptMetrics.advanceWidth + 8 : 8
        y: 2
        width: root.width - x - (runningMark.visible ? runningMark.width + 12 : 8)

        Repeater {
            model: root.textLines

            QQC2.Label {
                id: lineLabel

                required property string modelData
                required property int index

                readonly property int indent: modelData.length - modelData.replace(/^[ \t]+/, "").length

                width: body.width
                leftPadding: Math.min(indent * metrics.averageCharacterWidth, body.width / 2)
                text: modelData.substring(indent)
                wrapMode: Text.Wrap // at word boundaries; mid-word only for a word wider than the line
                textFormat: Text.PlainText
                font.family: Theme.monoFamily
                font.pixelSize: 12
                color: root.textColor

                // The prompt beside the line's start, left of the body.
                QQC2.Label {
                    x: 8 - body.x
                    visible: root.kind === "input"
                    text: lineLabel.index === 0 ? root.prompt : root.continuationPrompt
                    color: Theme.accent
                    font.family: Theme.monoFamily
                    font.pixelSize: 12
                    font.bold: true
                }
            }
        }
    }
    Row {
        id: runningMark

        anchors.right: parent.right
        anchors.rightMargin: 6
        y: 1
        spacing: 6
        visible: root.kind === "input" && root.running

        QQC2.Label {
            objectName: "consoleLineRunning"
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("running…")
            color: Theme.running
            font.pixelSize: Theme.fontSmall
            font.italic: true

            SequentialAnimation on opacity {
                running: runningMark.visible
                loops: Animation.Infinite
                NumberAnimation {
                    to: 0.35
                    duration: 600
                }
                NumberAnimation {
                    to: 1
                    duration: 600
                }
            }
        }
        ActionButton {
            objectName: "consoleLineStop"
            anchors.verticalCenter: parent.verticalCenter
            implicitHeight: 20
            leftPadding: 6
            rightPadding: 6
            danger: true
            text: qsTr("Stop")
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: qsTr("Interrupt this line (Ctrl+C in the console)")
            onClicked: root.stopRequested(root.promptNumber)
        }
    }
}
