// SPDX-License-Identifier: MIT
pragma Singleton
pragma ComponentBehavior: Bound
import QtQuick

// Colours, sizes and fonts of the whole UI, for the dark and the light theme.
QtObject {
    id: root

    property bool dark: true

    // Surfaces
    readonly property color window: dark ? "#11151c" : "#f3f5f8"
    readonly property color panel: dark ? "#181d26" : "#ffffff"
    readonly property color panelAlt: dark ? "#1e2430" : "#f7f8fa"
    readonly property color sunken: dark ? "#0d1117" : "#eef1f5"
    readonly property color card: dark ? "#202735" : "#ffffff"
    readonly property color cardExited: dark ? "#191d24" : "#eceef1"
    readonly property color border: dark ? "#2c3444" : "#d9dee6"
    readonly property color borderStrong: dark ? "#3b4558" : "#b9c1cd"
    readonly property color hover: dark ? "#263042" : "#eef2f8"
    readonly property color selection: dark ? "#2a3d63" : "#dbe7ff"

    // Text
    readonly property color text: dark ? "#e6e9ef" : "#1b2230"
    readonly property color textMuted: dark ? "#9aa4b5" : "#5c6677"
    readonly property color textFaint: dark ? "#6b7587" : "#8a93a3"
    readonly property color accent: dark ? "#7aa2f7" : "#2f6fe4"
    readonly property color accentText: dark ? "#0d1117" : "#ffffff"

    // Message kinds: call, cast, info, reply, system
    readonly property color call: dark ? "#5b9cff" : "#2563eb"
    readonly property color cast: dark ? "#3ccf9a" : "#0c9a6a"
    readonly property color info: dark ? "#f2b950" : "#b7740f"
    readonly property color reply: dark ? "#b891ff" : "#7c3aed"
    readonly property color system: dark ? "#8f9bb0" : "#64748b"

    // States
    readonly property color ok: dark ? "#3ccf9a" : "#0c9a6a"
    readonly property color warning: dark ? "#f2b950" : "#b7740f"
    readonly property color danger: dark ? "#ff6b6b" : "#d63031"
    readonly property color running: dark ? "#5b9cff" : "#2563eb"
    readonly property color blocked: dark ? "#ff9f43" : "#d9730d"

    // Fonts
    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontSmall: 11
    readonly property int fontNormal: 13
    readonly property int fontLarge: 16
    readonly property int fontHuge: 34

    // Geometry
    readonly property int radius: 8
    readonly property int spacing: 8
    readonly property int cardWidth: 190 // the narrowest a card gets (three abreast in the smallest window); the stage widens them to fill

    /// The colour of a message kind ("call", "cast", "info", "reply", "system").
    function kindColor(kind: string): color {
        switch (kind) {
        case "call":
            return root.call;
        case "cast":
            return root.cast;
        case "reply":
            return root.reply;
        case "system":
            return root.system;
        default:
            return root.info;
        }
    }

    /// The colour of a trace category.
    function categoryColor(category: string): color {
        switch (category) {
        case "call":
        case "cast":
        case "info":
        case "reply":
        case "system":
            return kindColor(category);
        case "timer":
            return root.warning;
        case "output":
            return root.textMuted;
        case "mailbox":
            return root.accent;
        case "wait":
            return root.blocked;
        default:
            return root.textFaint;
        }
    }

    /// The colour of a process status.
    function statusColor(status: string): color {
        switch (status) {
        case "running":
            return root.running;
        case "blocked":
        case "awaiting":
            return root.blocked;
        case "sleeping":
            return root.warning;
        case "suspended":
            return root.system;
        case "exited":
            return root.textFaint;
        default:
            return root.ok;
        }
    }

    /// A duration in µs as people read it: 3 µs, 12.5 ms, 1.002 s.
    function formatUs(us: real): string {
        if (us < 0)
            return "…";
        if (us < 1000)
            return us.toFixed(us < 10 ? 1 : 0) + " µs";
        if (us < 1000000)
            return (us / 1000).toFixed(us < 10000 ? 2 : 1) + " ms";
        return (us / 1000000).toFixed(3) + " s";
    }

    /// A duration in ms, short: 850 ms, 1.2 s, 2 min.
    function formatMs(ms: real): string {
        if (ms < 0)
            ms = 0;
        if (ms < 1000)
            return Math.round(ms) + " ms";
        if (ms < 60000)
            return (ms / 1000).toFixed(1) + " s";
        return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
    }
}
