// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The time controls under the header. On the left the runtime's: pause world, step one
// message, the virtual clock's speed. On the right the views': freeze or follow live, and a
// slider over the whole recorded history that rebuilds every view at the moment it points
// to (the arrow keys step one event while frozen).
Rectangle {
    id: root

    required property App.Controller controller
    readonly property App.EventBridge bridge: controller.bridge
    readonly property bool live: bridge.live
    /// The last notice (nothing to step…), shown for a few seconds.
    property string noticeText
    /// Why the runtime's controls are off while the views follow a script in real elixir.
    readonly property string beamRealReason: qsTr("The BEAM's time does not stop: Pause world, Step and Speed act on Mailroom's own runtime, not on a script running in elixir")

    function toggleFreeze() {
        if (root.bridge.live)
            root.bridge.freeze();
        else
            root.bridge.goLive();
    }
    function togglePause() {
        root.controller.setPaused(!root.controller.paused);
    }
    function showNotice(text: string) {
        root.noticeText = text;
        noticeTimer.restart();
    }
    function timeText(ms: real): string {
        return Number(ms).toLocaleString(Qt.locale(), "f", 3) + " ms";
    }
    // Slider position 0..1 <-> speed 0.01..1 on a log scale.
    function speedAt(position: real): real {
        return Math.pow(10, -2 + 2 * position);
    }
    function positionOf(speed: real): real {
        return (Math.log(speed) / Math.LN10 + 2) / 2;
    }

    implicitHeight: 40
    color: Theme.panelAlt

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }

    Connections {
        target: root.controller

        function onNotice(text: string) {
            root.showNotice(text);
        }
        function onFileDone(ok: bool, message: string) {
            root.showNotice(message);
        }
    }
    Timer {
        id: noticeTimer

        interval: 4000
        onTriggered: root.noticeText = ""
    }

    // Disabled controls get no hover of their own: on the BEAM one handler on the row tells
    // which of them the pointer is over, for their tooltips.
    function beamHovers(item: Item): bool {
        return beamHover.hovered && item.contains(item.mapFromItem(bar, beamHover.point.position));
    }

    RowLayout {
        id: bar

        anchors.fill: parent
        anchors.leftMargin: 14
        anchors.rightMargin: 14
        spacing: 8

        HoverHandler {
            id: beamHover

            enabled: root.controller.onBeam
        }

        // A recording: what it is, and the way back.
        QQC2.Label {
            visible: root.controller.replaying
            text: qsTr("Replaying %1 · read-only").arg(root.controller.replayName)
            color: Theme.accent
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        ActionButton {
            objectName: "closeRecordingButton"
            visible: root.controller.replaying
            text: qsTr("Back to the runtime")
            onClicked: root.controller.closeRecording()
        }
        // The runtime.
        ActionButton {
            id: pauseWorldButton

            objectName: "pauseWorldButton"
            visible: !root.controller.replaying
            enabled: !root.controller.onBeam
            text: root.controller.paused ? qsTr("▶ Resume") : qsTr("Pause world")
            primary: root.controller.paused
            onClicked: root.togglePause()
            QQC2.ToolTip.visible: hovered || root.beamHovers(pauseWorldButton)
            QQC2.ToolTip.text: root.controller.onBeam ? root.beamRealReason : root.controller.paused ? qsTr("Let the world run again, from exactly where it stopped (F5)") : qsTr("Stop the runtime: no process runs and timers stand still (F5)")
        }
        ActionButton {
            id: stepButton

            objectName: "stepButton"
            visible: !root.controller.replaying
            enabled: root.controller.paused && !root.controller.onBeam
            text: qsTr("Step")
            onClicked: root.controller.step(root.bridge.selectedPid)
            QQC2.ToolTip.visible: hovered || root.beamHovers(stepButton)
            QQC2.ToolTip.text: root.controller.onBeam ? root.beamRealReason : qsTr("Deliver and handle one message: the selected process's next one, or the oldest anywhere (F10)")
        }
        QQC2.Label {
            visible: !root.controller.replaying
            text: qsTr("Speed")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        QQC2.Slider {
            id: speedSlider

            objectName: "speedSlider"
            Layout.preferredWidth: 110
            visible: !root.controller.replaying
            enabled: !root.controller.onBeam
            from: 0
            to: 1
            value: root.positionOf(root.controller.speed)
            onMoved: root.controller.speed = root.speedAt(value)
            QQC2.ToolTip.visible: hovered || pressed || root.beamHovers(speedSlider)
            QQC2.ToolTip.text: root.controller.onBeam ? root.beamRealReason : qsTr("The virtual clock's speed: timers, sleeps and the counters' ticks slow down together")
        }
        QQC2.Label {
            Layout.preferredWidth: 40
            visible: !root.controller.replaying
            text: root.controller.speed >= 0.995 ? "1×" : Number(root.controller.speed).toLocaleString(Qt.locale(), "f", root.controller.speed < 0.1 ? 2 : 1) + "×"
            color: root.controller.speed < 0.995 ? Theme.warning : Theme.textMuted
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
        }

        Rectangle {
            Layout.preferredWidth: 1
            Layout.fillHeight: true
            Layout.topMargin: 8
            Layout.bottomMargin: 8
            color: Theme.border
        }

        // The views.
        ActionButton {
            objectName: "freezeButton"
            text: root.live ? qsTr("❄ Freeze view") : root.controller.replaying ? qsTr("Go to end") : qsTr("● Live")
            primary: !root.live
            onClicked: root.toggleFreeze()
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: root.live ? qsTr("Stop the views at this moment; the runtime keeps running and recording (F6)") : qsTr("Follow the runtime again (F6 or End)")
        }
        QQC2.ToolButton {
            objectName: "stepBackButton"
            text: "◀"
            font.pixelSize: Theme.fontSmall
            enabled: root.bridge.playhead > root.bridge.firstSeq
            onClicked: root.bridge.stepBy(-1)
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: qsTr("One event back (←; Shift+← for 100)")
        }
        QQC2.Slider {
            id: scrub

            objectName: "scrubSlider"
            Layout.fillWidth: true
            Layout.minimumWidth: 120
            from: root.bridge.firstSeq
            to: Math.max(root.bridge.firstSeq + 1, root.bridge.lastSeq)
            stepSize: 1
            // Live, the handle sits at the newest event. The slider clamps a value beyond `to`
            // for good, so the value also follows `to` (it may be told after the value).
            value: Math.min(root.live ? root.bridge.lastSeq : root.bridge.playhead, to)
            onMoved: root.bridge.seek(Math.round(value))
            QQC2.ToolTip.visible: pressed
            QQC2.ToolTip.text: qsTr("event %1 · %2").arg(Math.round(value)).arg(root.timeText(root.bridge.playheadTimeMs))
        }
        QQC2.ToolButton {
            objectName: "stepForwardButton"
            text: "▶"
            font.pixelSize: Theme.fontSmall
            enabled: root.bridge.playhead < root.bridge.lastSeq
            onClicked: root.bridge.stepBy(1)
            QQC2.ToolTip.visible: hovered
            QQC2.ToolTip.text: qsTr("One event forward (→; Shift+→ for 100)")
        }
        QQC2.Label {
            objectName: "playheadLabel"
            Layout.preferredWidth: Math.max(190, implicitWidth)
            horizontalAlignment: Text.AlignRight
            text: root.live ? qsTr("live · %1").arg(root.timeText(root.bridge.nowMs)) : qsTr("event %1 of %2 · %3").arg(Number(root.bridge.playhead).toLocaleString(Qt.locale(), "f", 0)).arg(Number(root.bridge.lastSeq).toLocaleString(Qt.locale(), "f", 0)).arg(root.timeText(root.bridge.playheadTimeMs))
            color: root.live ? Theme.textMuted : Theme.accent
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
        }
    }

    // A notice floats over the controls' right end for a few seconds.
    Rectangle {
        visible: root.noticeText.length > 0
        anchors.right: parent.right
        anchors.rightMargin: 14
        anchors.top: parent.bottom
        anchors.topMargin: 4
        z: 10
        width: noticeLabel.implicitWidth + 20
        height: noticeLabel.implicitHeight + 12
        radius: 6
        color: Theme.panel
        border.color: Theme.warning

        QQC2.Label {
            id: noticeLabel

            objectName: "noticeLabel"
            anchors.centerIn: parent
            text: root.noticeText
            color: Theme.text
            font.pixelSize: Theme.fontSmall
        }
    }

    Shortcut {
        sequence: "F5"
        enabled: !root.controller.replaying
        onActivated: root.togglePause()
    }
    Shortcut {
        sequence: "F6"
        onActivated: root.toggleFreeze()
    }
    Shortcut {
        sequence: "F10"
        enabled: root.controller.paused
        onActivated: root.controller.step(root.bridge.selectedPid)
    }
    // Text fields keep their arrow keys: these act only while the views are frozen.
    Shortcut {
        sequence: "Left"
        enabled: !root.live
        onActivated: root.bridge.stepBy(-1)
    }
    Shortcut {
        sequence: "Right"
        enabled: !root.live
        onActivated: root.bridge.stepBy(1)
    }
    Shortcut {
        sequence: "Shift+Left"
        enabled: !root.live
        onActivated: root.bridge.stepBy(-100)
    }
    Shortcut {
        sequence: "Shift+Right"
        enabled: !root.live
        onActivated: root.bridge.stepBy(100)
    }
    Shortcut {
        sequence: "Home"
        enabled: !root.live
        onActivated: root.bridge.seek(root.bridge.firstSeq)
    }
    Shortcut {
        sequence: "End"
        enabled: !root.live && !root.controller.replaying
        onActivated: root.bridge.goLive()
    }
}
