// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import Mailroom.App as App

// A server's numeric state over the last minute, sliding with the virtual clock.
Canvas {
    id: root

    required property App.StateHistoryModel history
    property real nowMs: 0
    property color lineColor: Theme.accent

    onPaint: {
        const ctx = getContext("2d");
        ctx.reset();
        const points = history.points();
        if (points.length === 0)
            return;
        // The last minute, or less while there is less history: the line fills the width.
        const start = Math.min(Math.max(nowMs - history.windowMs, points[0].x), nowMs - 5000);
        const span = nowMs - start;
        let lo = history.minValue;
        let hi = history.maxValue;
        if (hi - lo < 1) {
            hi += 0.5;
            lo -= 0.5;
        }
        const pad = 3;
        const x = t => Math.max(0, (t - start) / span) * width;
        const y = v => pad + (1 - (v - lo) / (hi - lo)) * (height - 2 * pad);
        // A step line: the value holds until the next change.
        ctx.beginPath();
        ctx.moveTo(x(points[0].x), y(points[0].y));
        for (let i = 1; i < points.length; ++i) {
            ctx.lineTo(x(points[i].x), y(points[i - 1].y));
            ctx.lineTo(x(points[i].x), y(points[i].y));
        }
        ctx.lineTo(width, y(points[points.length - 1].y));
        ctx.strokeStyle = lineColor;
        ctx.lineWidth = 2;
        ctx.stroke();
        // The area below, faint.
        ctx.lineTo(width, height);
        ctx.lineTo(x(points[0].x), height);
        ctx.closePath();
        ctx.fillStyle = Qt.rgba(lineColor.r, lineColor.g, lineColor.b, 0.12);
        ctx.fill();
    }

    // Repaint when the history changes, and once a second as the window slides.
    Connections {
        target: root.history

        function onChanged() {
            root.requestPaint();
        }
    }
    Timer {
        interval: 1000
        running: root.visible
        repeat: true
        onTriggered: root.requestPaint()
    }
}
