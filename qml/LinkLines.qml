// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import Mailroom.App as App

// Lines between linked processes on the stage: faint while both live, red and dashed from
// a process to the linked one whose crash took it down.
Canvas {
    id: root

    required property var cards
    required property App.EventBridge bridge

    function centre(card: Item): point {
        return Qt.point(card.x + card.width / 2, card.y + card.height / 2);
    }

    onPaint: {
        const ctx = getContext("2d");
        ctx.reset();
        ctx.lineWidth = 1.5;
        for (const key in cards) {
            const card = cards[key];
            if (!card || !card.shown)
                continue;
            const a = centre(card);
            const links = card.links || [];
            for (let i = 0; i < links.length; ++i) {
                const other = cards[links[i]];
                if (!other || !other.shown || other.pid < card.pid)
                    continue;
                const b = centre(other);
                ctx.strokeStyle = Theme.borderStrong;
                ctx.setLineDash([]);
                ctx.beginPath();
                ctx.moveTo(a.x, a.y);
                ctx.lineTo(b.x, b.y);
                ctx.stroke();
            }
            const killer = card.diedWith !== 0 ? cards[card.diedWith] : null;
            if (killer && killer.shown) {
                const b = centre(killer);
                ctx.strokeStyle = Theme.danger;
                ctx.lineWidth = 2.5;
                ctx.setLineDash([6, 4]);
                ctx.beginPath();
                ctx.moveTo(a.x, a.y);
                ctx.lineTo(b.x, b.y);
                ctx.stroke();
                ctx.lineWidth = 1.5;
            }
        }
    }

    // What the lines depend on, as text: the canvas repaints only when it changes.
    property string drawn

    function signature(): string {
        let text = "";
        for (const key in cards) {
            const card = cards[key];
            if (card && card.shown && (card.links.length > 0 || card.diedWith !== 0))
                text += key + "@" + Math.round(card.x) + "," + Math.round(card.y) + "," + Math.round(card.height) + ":"
                        + card.links.join(",") + ">" + card.diedWith + ";";
        }
        return text;
    }

    Timer {
        interval: 150
        running: root.visible
        repeat: true
        onTriggered: {
            const now = root.signature();
            if (now !== root.drawn) {
                root.drawn = now;
                root.requestPaint();
            }
        }
    }
}
