// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The stage, too short for the servers shown on launch: the cards out of sight are
// counted on a pill that takes the user to them.
TestCase {
    id: root

    name: "Stage"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 480
    height: 220

    Component {
        id: stageComponent

        Stage {
            width: 480
            height: 220
            bridge: App.Controller.bridge
            processes: App.Controller.processes
            flights: App.Controller.flights
        }
    }

    function findChild(item, objectName) {
        if (item.objectName === objectName)
            return item;
        for (let i = 0; i < item.children.length; ++i) {
            const found = findChild(item.children[i], objectName);
            if (found)
                return found;
        }
        return null;
    }

    /// The cards a user cannot see for being below the stage's visible part: their middle
    /// lies past its bottom edge.
    function cardsBelow(stage) {
        const below = [];
        for (const pid in stage.cards) {
            const card = stage.cards[pid];
            if (card && card.visible && card.mapToItem(stage, 0, card.height / 2).y > stage.height)
                below.push(card);
        }
        return below;
    }

    function test_cardsOutOfSightAreCountedAndReachedWithOneClickEach() {
        const stage = createTemporaryObject(stageComponent, root);
        verify(stage !== null);
        tryVerify(() => Object.keys(stage.cards).length >= 6, 5000, "the launch servers have cards");
        const pill = findChild(stage, "moreBelow");
        const label = findChild(stage, "moreBelowLabel");
        verify(pill !== null && label !== null);

        const last = cardsBelow(stage).reduce((a, b) => (b.y > a.y ? b : a));
        verify(cardsBelow(stage).length >= 2, "a stage this short hides the lower rows");
        verify(pill.visible);
        compare(label.text, "▼ " + cardsBelow(stage).length + " more below");

        // Each click brings at least one more card into sight, until none is left below.
        // (Other suites leave processes behind in the shared runtime: the count varies.)
        const most = cardsBelow(stage).length;
        for (let clicks = 0; clicks < most && cardsBelow(stage).length > 0; ++clicks) {
            const before = cardsBelow(stage).length;
            mouseClick(pill);
            tryVerify(() => cardsBelow(stage).length < before, 2000, "a click reveals a card");
            if (cardsBelow(stage).length > 0)
                compare(label.text, "▼ " + cardsBelow(stage).length + " more below");
        }
        compare(cardsBelow(stage).length, 0);
        verify(!pill.visible, "the pill goes once every card has been reached");
        const middle = last.mapToItem(stage, 0, last.height / 2).y;
        verify(middle >= 0 && middle <= stage.height, "the lowest card is in sight (its middle at " + middle + ")");
    }

    /// A named card the user can drag (a server started on launch).
    function namedCard(stage) {
        for (const pid in stage.cards) {
            const card = stage.cards[pid];
            if (card && card.visible && stage.positionKey(card) !== "" && card.y < 100)
                return card;
        }
        return null;
    }

    function cardNamed(stage, name) {
        for (const pid in stage.cards)
            if (stage.cards[pid] && stage.cards[pid].name === name)
                return stage.cards[pid];
        return null;
    }

    function test_aDraggedCardComesBackWhereItWasLeft() {
        const first = createTemporaryObject(stageComponent, root);
        tryVerify(() => namedCard(first) !== null, 5000, "a launch server has a card");
        const card = namedCard(first);
        const name = card.name;
        const slotPlace = Qt.point(card.x, card.y);
        mouseDrag(card, 20, 10, 60, 40);
        tryVerify(() => first.savedPositions[name] !== undefined, 2000, "the drop is remembered");
        const saved = first.savedPositions[name];
        fuzzyCompare(saved.x, card.x, 1);
        fuzzyCompare(saved.y, card.y, 1);
        verify(Math.abs(saved.x - slotPlace.x) > 20 && Math.abs(saved.y - slotPlace.y) > 20, "the card moved");
        verify(first.hasSavedPositions);
        const positions = first.savedPositions;
        first.destroy();

        // The next run: the settings hand the positions to a new stage, whose width the
        // window's layout settles only after its cards came.
        const second = createTemporaryObject(stageComponent, root, { "savedPositions": positions, "width": 0 });
        tryVerify(() => cardNamed(second, name) !== null, 5000, "the server has a card again");
        second.width = 480;
        const again = cardNamed(second, name);
        tryCompare(again, "x", saved.x, 2000);
        compare(again.y, saved.y);

        // Reset: back to its slot, and nothing remembered.
        second.resetPositions();
        compare(again.x, second.slotX(again.slot, 0));
        compare(again.y, second.slotY(again.slot));
        verify(!second.hasSavedPositions);
    }

    function test_exitedProcessesCanBeClearedOffTheStage() {
        const stage = createTemporaryObject(stageComponent, root);
        tryVerify(() => Object.keys(stage.cards).length >= 6, 5000, "the launch servers have cards");
        // A server that is stopped stays on the stage, greyed, until the user clears it.
        App.Controller.evaluateIn("{:ok, p} = GenServer.start(Journal, [])\nGenServer.stop(p)", true);
        const exitedServers = () => {
            let n = 0;
            for (const pid in stage.cards) {
                const card = stage.cards[pid];
                if (card && card.visible && card.exited && card.isServer)
                    ++n;
            }
            return n;
        };
        tryVerify(() => exitedServers() > 0, 5000, "the stopped server is on the stage");
        stage.clearExited();
        tryCompare(stage, "exitedShown", 0);
        compare(exitedServers(), 0);
        // The servers still running stay.
        verify(cardNamed(stage, "Counter").visible);
    }

    /// The node groups the stage shows, left to right: their frames and their labels.
    function nodeGroups(stage) {
        const groups = [];
        const collect = item => {
            if (item.objectName === "nodeGroup" && item.visible)
                groups.push(item);
            for (let i = 0; i < item.children.length; ++i)
                collect(item.children[i]);
        };
        collect(stage);
        return groups.sort((a, b) => a.x - b.x);
    }

    function test_aClusterShowsOneGroupOfCardsPerNodeAndItsMessagesCrossBetweenThem() {
        const stage = createTemporaryObject(stageComponent, root, { "width": 640 });
        verify(nodeGroups(stage).length === 0, "the runtime's processes are on no node");
        // What `mailroom-run --attach` recorded of two real nodes, a GenServer on one calling a
        // GenServer on the other (tst_beam's node_near.exs and node_far.exs).
        App.Controller.openRecording(Qt.resolvedUrl("data/cluster_record.jsonl"));
        try {
            tryVerify(() => App.Controller.replaying, 10000, "the recording opens");
            App.Controller.bridge.seek(App.Controller.bridge.lastSeq); // to its end
            tryVerify(() => cardNamed(stage, "Near") !== null && cardNamed(stage, "Far") !== null, 10000,
                "the cards come: " + Object.keys(stage.cards));
            checkClusterGroups(stage);
        } finally {
            App.Controller.closeRecording();
        }
        tryVerify(() => !App.Controller.replaying && nodeGroups(stage).length === 0, 10000, "the runtime's stage has no groups");
    }

    function checkClusterGroups(stage) {
        const groups = nodeGroups(stage);
        compare(groups.length, 2);
        compare(findChild(groups[0], "nodeGroupLabel").text, "mrx_near@vm");
        compare(findChild(groups[1], "nodeGroupLabel").text, "mrx_far@vm");
        // Each card lies in its node's frame, and none over another.
        const near = cardNamed(stage, "Near"), far = cardNamed(stage, "Far");
        const inside = (card, group) => card.x >= group.x && card.x + card.width <= group.x + group.width && card.y >= group.y + 20;
        verify(inside(near, groups[0]) && !inside(near, groups[1]), "Near is in its node's group");
        verify(inside(far, groups[1]) && !inside(far, groups[0]), "Far is in its node's group");
        compare(overlaps(stage), []);
        // The call from Near to Far flies from one group to the other.
        const from = stage.endpoint(near.pid, false), to = stage.endpoint(far.pid, true);
        verify(from.x < groups[1].x && to.x > groups[1].x, "the flight crosses from " + from.x + " to " + to.x);
    }

    /// The shown cards whose rectangles intersect, as "A over B" lines.
    function overlaps(stage) {
        const shown = [];
        for (const pid in stage.cards)
            if (stage.cards[pid] && stage.cards[pid].visible)
                shown.push(stage.cards[pid]);
        const found = [];
        for (let i = 0; i < shown.length; ++i)
            for (let j = i + 1; j < shown.length; ++j) {
                const a = shown[i], b = shown[j];
                if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
                    found.push(a.name + " over " + b.name);
            }
        return found;
    }

    function test_anExpandedStateLiesOverNoOtherCard() {
        App.Controller.evaluateIn("Enum.each(1..40, fn i -> AsyncLogger.log(\"entry number #{i}\") end)", true);
        // One column: every card but the last has another below it.
        const stage = createTemporaryObject(stageComponent, root, { "width": 230 });
        tryVerify(() => cardNamed(stage, "AsyncLogger") !== null && cardNamed(stage, "Counter") !== null, 5000);
        const logger = cardNamed(stage, "AsyncLogger");
        tryVerify(() => logger.stateFull.length > 400, 5000, "the logger holds its entries");
        let below = null;
        for (const pid in stage.cards) {
            const card = stage.cards[pid];
            if (card && card.visible && card.slot === logger.slot + 1)
                below = card;
        }
        verify(below !== null, "a card lies below the logger's");
        compare(overlaps(stage), []);
        const shortHeight = logger.height;
        mouseClick(findChild(logger, "stateLabel"));
        verify(logger.expanded);
        tryVerify(() => logger.height > shortHeight + 60, 2000, "the state shows in full");
        // The cards below make room for it.
        tryCompare(below, "y", logger.y + logger.height + stage.gap, 2000);
        compare(overlaps(stage), []);
        mouseClick(findChild(logger, "stateLabel"));
        verify(!logger.expanded);
        tryCompare(below, "y", stage.slotY(below.slot), 2000);
    }

    /// `item`'s rectangle in `to`'s coordinates (scaled as it is drawn).
    function rectIn(item, to) {
        const a = item.mapToItem(to, 0, 0);
        const b = item.mapToItem(to, item.width, item.height);
        return Qt.rect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y));
    }
    function intersect(a, b) {
        return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    }

    function test_tokensLeaveAndLandClearOfTheCardsNamesAndInsideTheStage() {
        // Three abreast, one row in sight: some flights come from cards out of sight.
        const stage = createTemporaryObject(stageComponent, root, { "width": 700, "height": 220 });
        tryVerify(() => cardNamed(stage, "DecrementingCounter") !== null && cardNamed(stage, "Counter") !== null, 5000);
        const layer = findChild(stage, "flightLayer");
        verify(layer !== null);
        // The ticking counters send to themselves; a cast flies from the shell to Counter.
        App.Controller.evaluateIn("GenServer.cast(Counter, :increment)", false);
        const over = [];
        let seen = 0;
        const end = Date.now() + 2500;
        while (Date.now() < end) {
            for (let i = 0; i < layer.children.length; ++i) {
                const flight = layer.children[i];
                const pill = findChild(flight, "flightPill");
                if (!pill || !flight.visible || flight.fromPid === undefined)
                    continue;
                ++seen;
                // A curve is drawn only where the stage shows it (the software renderer does
                // not clip it): every point of it in sight.
                const curve = findChild(flight, "flightCurve");
                for (let t = 0; curve && curve.visible && t <= 1; t += 0.1) {
                    const p = layer.mapToItem(stage, flight.pointAt(t).x, flight.pointAt(t).y);
                    if (p.x < 0 || p.x > stage.width || p.y < 0 || p.y > stage.height)
                        over.push("a curve out of sight at " + Math.round(p.x) + "," + Math.round(p.y));
                }
                // The token itself shows only inside the stage: the software renderer drew a
                // scaled pill flying to a card scrolled out of sight over the panel's header.
                const centre = pill.mapToItem(stage, pill.width / 2, pill.height / 2);
                if (pill.visible && (centre.x < 0 || centre.x > stage.width || centre.y < 0 || centre.y > stage.height))
                    over.push("a token out of sight at " + Math.round(centre.x) + "," + Math.round(centre.y));
                // A message to itself (a counter's tick) runs along its card's mailbox row, over
                // none of the card's other lines (its timers below, its state above).
                const own = stage.cards[flight.toPid];
                if (flight.fromPid === flight.toPid && own && own.visible) {
                    const row = own.mapToItem(layer, 0, own.mailboxPoint.y).y;
                    const middle = pill.mapToItem(layer, pill.width / 2, pill.height / 2).y;
                    if (Math.abs(middle - row) > 11)
                        over.push(own.name + "'s tick " + Math.round(middle - row) + " px off its mailbox row");
                }
                for (const pid of [flight.fromPid, flight.toPid]) {
                    const card = stage.cards[pid];
                    if (!card || !card.visible)
                        continue;
                    const name = findChild(card, "cardName");
                    const top = card.mapToItem(layer, 0, 0);
                    const bottom = name.mapToItem(layer, 0, name.height).y;
                    const header = Qt.rect(top.x, top.y, card.width, bottom - top.y);
                    // Where a token starts and lands it lies still for a moment: there it
                    // must not hide a name (flying past one on the way is fine).
                    const atAnEnd = flight.progress < 0.1 || flight.progress > 0.9;
                    if (atAnEnd && pill.opacity > 0.5 && intersect(rectIn(pill, layer), header))
                        over.push(card.name + " at progress " + flight.progress.toFixed(2));
                }
            }
            wait(16);
        }
        verify(seen > 0, "tokens flew");
        compare(over, [], "a token lay over a card's name, or a token or a curve outside the stage");
    }
}
