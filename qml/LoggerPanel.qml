// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The AsyncLogger's state live, oldest first, new entries highlighted; a field with "log"
// (a cast: returns at once) and "get_logs" (a call: shows the list and how long it blocked).
PanelFrame {
    id: root

    required property App.EventBridge bridge
    /// The calls, for how long get_logs kept its caller waiting: the figure the Call vs cast
    /// panel shows for the same call.
    property App.CallModel calls
    /// What the last get_logs returned, and how long it kept the caller waiting.
    property string lastReply
    property real lastReplyUs: -1

    function updateLastReplyUs() {
        root.lastReplyUs = root.calls ? root.calls.lastCallUs("AsyncLogger") : -1;
    }

    onLastReplyChanged: updateLastReplyUs()

    Connections {
        target: root.calls

        function onRowsInserted() {
            root.updateLastReplyUs();
        }
        function onDataChanged() {
            root.updateLastReplyUs();
        }
    }

    signal logRequested(string message)
    signal getLogsRequested

    title: qsTr("Logger")
    subtitle: entries.alive ? qsTr("AsyncLogger's state: %n entries", "", list.count) : qsTr("AsyncLogger is not running")

    App.StateEntriesModel {
        id: entries

        bridge: root.bridge
        server: "AsyncLogger"
        newestFirst: true
    }

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
                id: list

                objectName: "loggerEntries"
                anchors.fill: parent
                anchors.margins: 4
                clip: true
                model: entries
                spacing: 1
                boundsBehavior: Flickable.StopAtBounds

                delegate: Rectangle {
                    id: entry

                    required property string text
                    required property bool isNew

                    width: list.width
                    height: 20
                    radius: 3
                    color: isNew ? Qt.rgba(Theme.cast.r, Theme.cast.g, Theme.cast.b, 0.18) : "transparent"

                    Behavior on color  {
                        ColorAnimation {
                            duration: 600
                        }
                    }

                    QQC2.Label {
                        anchors.fill: parent
                        anchors.leftMargin: 6
                        verticalAlignment: Text.AlignVCenter
                        text: entry.text
                        elide: Text.ElideRight
                        color: entry.isNew ? Theme.text : Theme.textMuted
                        font.family: Theme.monoFamily
                        font.pixelSize: 11
                    }
                }
                // Keeps the newest entry in view, unless the user scrolled up to read.
                property bool following: true

                function followTail() {
                    if (following)
                        positionViewAtEnd();
                }
                // Once the layout has settled: the view tells its count before its height.
                function followLater() {
                    followTimer.restart();
                }

                Timer {
                    id: followTimer

                    interval: 0
                    onTriggered: list.followTail()
                }

                onCountChanged: followLater()
                onContentHeightChanged: followLater()
                onHeightChanged: followLater()
                onMovementStarted: following = false
                onMovementEnded: following = atYEnd

                Connections {
                    target: entries

                    // The list starts over (a restarted logger, a trimmed list): still its end.
                    function onModelReset() {
                        list.followLater();
                    }
                }
            }
            QQC2.Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No entries yet: log something")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 6

            QQC2.TextField {
                id: field

                objectName: "loggerField"
                Layout.fillWidth: true
                implicitHeight: 28
                text: qsTr("hello from the UI")
                selectByMouse: true
                font.pixelSize: Theme.fontSmall
                onAccepted: root.logRequested(text)
            }
            ActionButton {
                objectName: "loggerLog"
                text: qsTr("log")
                kind: "cast"
                enabled: field.text.length > 0
                onClicked: root.logRequested(field.text)
            }
            ActionButton {
                objectName: "loggerGetLogs"
                text: qsTr("get_logs")
                kind: "call"
                onClicked: root.getLogsRequested()
            }
        }
        QQC2.Label {
            objectName: "loggerReply"
            Layout.fillWidth: true
            visible: root.lastReply.length > 0
            // One line in the panel (a long list is pretty-printed on several); all of it on hover.
            text: (root.lastReplyUs >= 0 ? qsTr("get_logs blocked %1 → %2").arg(Theme.formatUs(root.lastReplyUs)) : qsTr("get_logs → %1")).arg(root.lastReply.replace(/\s*\n\s*/g, " "))
            elide: Text.ElideRight
            maximumLineCount: 1
            QQC2.ToolTip.visible: replyHover.hovered && truncated
            QQC2.ToolTip.text: root.lastReply

            HoverHandler {
                id: replyHover
            }
            color: Theme.call
            font.family: Theme.monoFamily
            font.pixelSize: 11
        }
    }
}
