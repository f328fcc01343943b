// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2
import Mailroom.App as App

// The stage: one card per process, laid out in slots that stay put as processes come and
// go (and draggable), with messages flying between their mailboxes. Exited plain
// processes (clients of one click) linger a few seconds, exited servers stay greyed. A
// record of a BEAM cluster shows one group of cards per node, side by side, each headed by
// the node's name: a message between nodes flies from one group to the other.
Item {
    id: root

    required property App.EventBridge bridge
    required property App.ProcessModel processes
    required property App.InFlightModel flights
    /// New servers and named processes are scrolled into view when they land out of sight;
    /// off while the launch's own cards come, which keep the stage at its top.
    property bool revealNew: false
    /// How long an exited plain process stays on the stage.
    property int lingerMs: 6000
    /// Processes that exited before this moment (ms) are off the stage: "Clear exited".
    property real clearedAtMs: -1
    /// Exited processes on the stage now.
    readonly property int exitedShown: {
        let n = 0;
        for (const pid in cards) {
            const card = cards[pid];
            if (card && card.shown && card.exited)
                ++n;
        }
        return n;
    }

    /// Takes every process that has exited off the stage (those exiting later still show).
    function clearExited() {
        clearedAtMs = root.bridge ? root.bridge.nowMs : -1;
    }
    readonly property int gap: 12
    readonly property int rowHeight: 132
    /// The nodes of the cards' processes, in the order their first cards came (none but a
    /// cluster's record names them).
    property var nodes: []
    readonly property bool grouped: nodes.length > 1
    readonly property int groupCount: grouped ? nodes.length : 1
    /// Each group's columns: the stage's, shared out (one at least).
    readonly property int groupColumns: Math.max(1, Math.floor(Math.max(1, Math.floor((width - gap) / (Theme.cardWidth + gap))) / groupCount))
    readonly property int columns: groupColumns * groupCount
    readonly property real cardWidth: (width - gap) / columns - gap
    /// Room above the cards for the groups' headers.
    readonly property int headerHeight: grouped ? 26 : 0

    function groupOf(node: string): int {
        return grouped ? Math.max(0, nodes.indexOf(node)) : 0;
    }
    function noteNode(node: string) {
        if (node !== "" && nodes.indexOf(node) < 0)
            nodes = nodes.concat([node]);
    }
    property int slotsUsed: 0
    // pid -> card item, for the flights' endpoints and the link lines
    property var cards: ({})
    /// Where the user dragged named processes' cards: name -> {x, y}. A card whose name is
    /// here starts there (kept between runs by the window's settings); the others take slots.
    property var savedPositions: ({})
    readonly property bool hasSavedPositions: Object.keys(savedPositions).length > 0
    /// The lowest card's bottom edge: dragged cards can sit below the slots.
    readonly property real cardsBottom: {
        let bottom = 0;
        for (const pid in cards) {
            const card = cards[pid];
            if (card && card.shown)
                bottom = Math.max(bottom, card.y + card.height);
        }
        return bottom;
    }

    signal cardClicked(int pid, Item card)

    // Positions restored after the cards came (the window's settings load late).
    onSavedPositionsChanged: {
        for (const pid in cards)
            if (cards[pid])
                placeSaved(cards[pid]);
    }

    /// Where each row of slots starts: a row is as tall as its tallest card (an expanded
    /// state, a crash reason, timers), so that no card lies over the row below.
    readonly property var rowTops: {
        const heights = [];
        for (const pid in cards) {
            const card = cards[pid];
            if (card && card.shown && card.slot >= 0) {
                const row = Math.floor(card.slot / groupColumns);
                heights[row] = Math.max(heights[row] ?? 0, card.height + gap);
            }
        }
        const tops = [gap];
        for (let row = 0; row < heights.length; ++row)
            tops.push(tops[row] + Math.max(rowHeight, heights[row] ?? 0));
        return tops;
    }

    function slotX(slot: int, group: int): real {
        return gap + (group * groupColumns + slot % groupColumns) * (cardWidth + gap);
    }
    function slotY(slot: int): real {
        const row = Math.floor(slot / groupColumns);
        const known = rowTops.length - 1;
        return headerHeight + (row <= known ? rowTops[row] : rowTops[known] + (row - known) * rowHeight);
    }
    /// The first free slot of the group of `node`.
    function takeSlot(node: string): int {
        const used = {};
        for (const pid in cards) {
            const card = cards[pid];
            if (card && card.slot >= 0 && groupOf(card.node) === groupOf(node))
                used[card.slot] = true;
        }
        let slot = 0;
        while (used[slot])
            ++slot;
        return slot;
    }
    function recountSlots() {
        let highest = -1;
        for (const pid in cards) {
            const card = cards[pid];
            if (card && card.shown)
                highest = Math.max(highest, card.slot);
        }
        slotsUsed = highest + 1;
    }
    /// The cards out of sight below the stage's visible part (at least half of them hidden),
    /// topmost first: what the "more below" pill counts and scrolls to.
    readonly property var cardsBelow: {
        const bottom = scroll.contentY + scroll.height;
        const below = [];
        for (const pid in cards) {
            const card = cards[pid];
            if (card && card.shown && card.y + card.height / 2 > bottom)
                below.push(card);
        }
        below.sort((a, b) => a.y - b.y);
        return below;
    }

    /// A card's name when its place can be remembered: pids change from run to run.
    function positionKey(card: ProcessCard): string {
        return card.name !== "" && card.name !== card.pidText ? card.name : "";
    }
    /// Puts `card` where its name was dragged to, kept inside the stage's width as that
    /// changes (it is still being laid out when the cards of a launch come).
    function placeSaved(card: ProcessCard) {
        const key = positionKey(card);
        const saved = key !== "" ? savedPositions[key] : undefined;
        if (!saved)
            return;
        card.x = Qt.binding(() => Math.max(0, Math.min(saved.x, root.width - card.width)));
        card.y = Math.max(0, saved.y);
    }
    function rememberPosition(card: ProcessCard) {
        const key = positionKey(card);
        if (key === "")
            return;
        const positions = Object.assign({}, savedPositions);
        positions[key] = { "x": Math.round(card.x), "y": Math.round(card.y) };
        savedPositions = positions;
    }
    /// Forgets every dragged position: all cards go back to their slots.
    function resetPositions() {
        savedPositions = {};
        for (const pid in cards) {
            const card = cards[pid];
            if (!card)
                continue;
            card.x = Qt.binding(() => root.slotX(card.slot, root.groupOf(card.node)));
            card.y = Qt.binding(() => root.slotY(card.slot));
        }
    }

    /// Scrolls down just far enough to show the topmost card hidden below.
    function revealNextBelow() {
        if (cardsBelow.length === 0)
            return;
        const card = cardsBelow[0];
        const target = card.y + card.height + gap - scroll.height;
        reveal.to = Math.max(0, Math.min(target, scroll.contentHeight - scroll.height));
        reveal.restart();
    }

    /// The card revealCard() shows, kept in view while it settles (its row is laid out
    /// and its content filled in a frame or two after it comes).
    property ProcessCard revealing: null

    /// Cards whose roles changed this frame: looked at once the frame's roles are all in.
    property var revealCandidates: []

    function considerReveal(card: ProcessCard) {
        revealCandidates.push(card);
        candidateTimer.restart();
    }

    Timer {
        id: candidateTimer

        interval: 0
        onTriggered: {
            const candidates = root.revealCandidates;
            root.revealCandidates = [];
            for (const card of candidates)
                if (card) // gone meanwhile
                    card.revealNow();
        }
    }

    /// Scrolls just far enough to show all of `card`, once the frame has laid it out.
    function revealCard(card: ProcessCard) {
        revealing = card;
        settling.restart();
        revealTimer.restart();
    }

    Timer {
        id: settling

        interval: 800
        onTriggered: root.revealing = null
    }
    Timer {
        id: revealTimer

        interval: 0
        onTriggered: {
            const card = root.revealing;
            if (card === null || !card.shown)
                return;
            const top = card.y - root.gap;
            const bottom = card.y + card.height + root.gap;
            let target = scroll.contentY;
            if (bottom > target + scroll.height)
                target = bottom - scroll.height;
            if (top < target)
                target = top;
            target = Math.max(0, Math.min(target, scroll.contentHeight - scroll.height));
            if (target !== scroll.contentY) {
                reveal.to = target;
                reveal.restart();
            }
        }
    }

    /// The point a flight leaves from (sender's card) or lands at (receiver's mailbox).
    function endpoint(pid: int, landing: bool): point {
        const card = cards[pid];
        if (!card || !card.shown)
            return Qt.point(-1, -1);
        const p = landing ? card.mailboxPoint : card.outboxPoint;
        return card.mapToItem(flightLayer, p.x, p.y);
    }

    Flickable {
        id: scroll

        objectName: "stageScroll"
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, root.slotY(root.slotsUsed + root.groupColumns - 1), root.cardsBottom + root.gap)
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        QQC2.ScrollBar.vertical: QQC2.ScrollBar {
        }

        NumberAnimation on contentY {
            id: reveal

            running: false
            duration: 250
            easing.type: Easing.OutCubic
        }

        Item {
            id: canvas

            width: scroll.contentWidth
            height: scroll.contentHeight

            // One frame a node, headed by its name, behind its group of cards.
            Repeater {
                model: root.grouped ? root.nodes : []

                delegate: Rectangle {
                    id: group

                    required property string modelData
                    required property int index

                    objectName: "nodeGroup"
                    x: root.slotX(0, index) - root.gap / 2
                    y: 2
                    width: root.groupColumns * (root.cardWidth + root.gap)
                    height: canvas.height - 4
                    radius: 6
                    color: "transparent"
                    border.color: Theme.border

                    QQC2.Label {
                        objectName: "nodeGroupLabel"
                        x: 8
                        y: 4
                        width: group.width - 16
                        elide: Text.ElideMiddle
                        text: group.modelData
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                }
            }

            LinkLines {
                anchors.fill: parent
                cards: root.cards
                bridge: root.bridge
            }

            Repeater {
                model: root.processes

                delegate: ProcessCard {
                    id: card

                    required property string node
                    property int slot: -1
                    property bool complete: false
                    readonly property bool shown: !(exited && ((!isServer && !isShell && root.bridge && root.bridge.nowMs - statusSinceMs > root.lingerMs) || statusSinceMs <= root.clearedAtMs))

                    bridge: root.bridge
                    width: root.cardWidth
                    visible: shown
                    x: root.slotX(slot, root.groupOf(node))
                    y: root.slotY(slot)

                    onShownChanged: {
                        if (!shown)
                            slot = -1;
                        root.recountSlots();
                    }
                    /// A server or a named process the user's code started (one with a parent:
                    /// the launch's servers have none) comes into view. Looked at once a frame's
                    /// roles are all in (the shell's card comes with its first line as a plain
                    /// process, and is named the shell in the same frame).
                    function revealIfNew() {
                        if (root.revealNew && complete)
                            root.considerReveal(card);
                    }
                    function revealNow() {
                        if (shown && !exited && !isShell && (isServer || root.positionKey(card) !== "") && root.processes.valueOf(pid, "parent") !== 0)
                            root.revealCard(card);
                    }

                    onClicked: root.cardClicked(pid, card)
                    onDragged: root.rememberPosition(card)
                    onNameChanged: {
                        root.placeSaved(card); // registered after its card came
                        revealIfNew();
                    }
                    onIsServerChanged: revealIfNew()
                    onHeightChanged: if (root.revealing === card)
                        root.revealCard(card)
                    onYChanged: if (root.revealing === card)
                        root.revealCard(card)
                    Component.onCompleted: {
                        root.noteNode(node);
                        slot = root.takeSlot(node);
                        root.placeSaved(card);
                        const cards = root.cards;
                        cards[pid] = card;
                        root.cards = cards;
                        root.recountSlots();
                        complete = true;
                        revealIfNew();
                    }
                    Component.onDestruction: {
                        const cards = root.cards;
                        delete cards[pid];
                        root.cards = cards;
                        if (Object.keys(cards).length === 0)
                            root.nodes = []; // a new record starts without groups
                        root.recountSlots();
                    }
                }
            }

            Item {
                id: flightLayer

                objectName: "flightLayer"
                anchors.fill: parent

                Repeater {
                    model: root.flights

                    delegate: FlightToken {
                        id: flight

                        required property int fromPid
                        required property int toPid

                        duration: root.flights ? root.flights.durationMs : 650
                        flooding: root.bridge ? root.bridge.flooding : false
                        viewport: Qt.rect(0, scroll.contentY, scroll.width, scroll.height)
                        visible: to.x >= 0
                        Component.onCompleted: {
                            const target = root.endpoint(toPid, true);
                            let source = root.endpoint(fromPid, false);
                            if (source.x < 0)
                                source = Qt.point(target.x + 120, target.y); // from outside the stage: along its mailbox row
                            flight.from = source;
                            flight.to = target;
                        }
                    }
                }
            }
        }
    }

    // New processes take the next free slot, which can be out of sight: say how many are
    // there and take the user to them.
    Rectangle {
        objectName: "moreBelow"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 8
        visible: root.cardsBelow.length > 0
        width: moreLabel.implicitWidth + 24
        height: 26
        radius: 13
        color: moreArea.containsMouse ? Theme.selection : Theme.panelAlt
        border.color: Theme.borderStrong

        QQC2.Label {
            id: moreLabel

            objectName: "moreBelowLabel"
            anchors.centerIn: parent
            text: qsTr("▼ %n more below", "", root.cardsBelow.length)
            color: Theme.text
            font.pixelSize: Theme.fontSmall
        }
        MouseArea {
            id: moreArea

            anchors.fill: parent
            hoverEnabled: true
            cursorShape: Qt.PointingHandCursor
            onClicked: root.revealNextBelow()
        }
    }

    Rectangle {
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 10
        visible: root.flights !== null && root.flights.coalescing
        width: floodLabel.implicitWidth + 20
        height: 26
        radius: 13
        color: Theme.warning

        QQC2.Label {
            id: floodLabel

            anchors.centerIn: parent
            text: qsTr("flood: %1 events/s, flights coalesced").arg(Math.round(root.bridge ? root.bridge.eventRate : 0))
            color: Theme.accentText
            font.bold: true
            font.pixelSize: Theme.fontSmall
        }
    }
}
