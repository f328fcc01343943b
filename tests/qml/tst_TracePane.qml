// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The trace pane: lines arrive, the search field, the category chips and the syntax
// switch drive the model's filters.
TestCase {
    id: root

    name: "TracePane"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 900
    height: 400

    Component {
        id: paneComponent

        TracePane {
            anchors.fill: parent
            trace: App.Controller.trace
            bridge: App.Controller.bridge
            processes: App.Controller.processes
        }
    }

    Component {
        id: narrowComponent

        TracePane {
            width: 520
            height: 300
            trace: App.Controller.trace
            bridge: App.Controller.bridge
            processes: App.Controller.processes
        }
    }

    function findChild(item, objectName) {
        if (item.objectName === objectName)
            return item;
        const kids = item.children;
        for (let i = 0; i < kids.length; ++i) {
            const found = findChild(kids[i], objectName);
            if (found)
                return found;
        }
        return null;
    }

    /// The visible item named `objectName` under `item` (a chip on the filters' line, or in
    /// the Categories popup: both exist, one shows).
    function findShown(item, objectName) {
        if (!item.visible)
            return null;
        if (item.objectName === objectName)
            return item;
        const kids = item.children;
        for (let i = 0; i < kids.length; ++i) {
            const found = findShown(kids[i], objectName);
            if (found)
                return found;
        }
        return null;
    }

    function cleanup() {
        const trace = App.Controller.trace;
        trace.search = "";
        trace.categories = 1023;
        trace.pidFilter = 0;
        trace.erlangSyntax = true;
    }

    function test_linesArriveAndSearchFilters() {
        const pane = createTemporaryObject(paneComponent, root);
        tryVerify(() => pane.list.count > 0, 5000);
        App.Controller.evaluateIn("GenServer.call(Counter, :get_count)", true);
        pane.searchField.forceActiveFocus();
        for (const ch of "got call")
            keyClick(ch === " " ? Qt.Key_Space : ch);
        tryCompare(App.Controller.trace, "search", "got call", 2000);
        tryVerify(() => pane.list.count >= 1, 5000);
        tryVerify(() => !App.Controller.trace.scanning, 5000);
        const line = App.Controller.trace.linesText(0, 0);
        verify(line.indexOf("*DBG* 'Elixir.Counter' got call get_count from <0.") >= 0, line);
    }

    function test_categoryChipsToggleFilters() {
        const pane = createTemporaryObject(paneComponent, root);
        tryVerify(() => findShown(pane, "category_timer") !== null, 2000, "a wide pane shows the chips on its filters' line");
        const chip = findShown(pane, "category_timer");
        const search = findChild(pane, "traceSearch");
        tryVerify(() => chip.mapToItem(pane, 0, 0).x > search.mapToItem(pane, 0, 0).x + search.width, 2000, "laid out beside the search");
        const before = App.Controller.trace.categories;
        mouseClick(chip);
        compare(App.Controller.trace.categories, before ^ (1 << 6));
        mouseClick(chip);
        compare(App.Controller.trace.categories, before);
    }

    function test_theSyntaxSwitchShowsElixir() {
        const pane = createTemporaryObject(paneComponent, root);
        const toggle = findChild(pane, "syntaxSwitch");
        verify(toggle !== null);
        verify(App.Controller.trace.erlangSyntax);
        mouseClick(toggle, toggle.width - 10, toggle.height / 2);
        compare(App.Controller.trace.erlangSyntax, false);
        tryVerify(() => pane.list.count > 0, 5000);
        const text = App.Controller.trace.linesText(0, pane.list.count - 1);
        verify(text.indexOf("'Elixir.") < 0, "no Erlang-quoted module names left");
    }

    // Following, the newest line is in view as soon as it is laid out, not only once the
    // next line arrives: the view used to scroll to where the end had been before the
    // rows just added, one batch behind, so in a quiet world the last lines stayed hidden.
    function test_followKeepsTheNewestLineInView() {
        const pane = createTemporaryObject(paneComponent, root);
        const list = pane.list;
        tryVerify(() => list.count > 20, 5000);
        verify(pane.follow);
        const lastRowInView = () => {
            const bottom = list.contentY + list.height - 1;
            return list.indexAt(10, bottom) === list.count - 1 || list.indexAt(10, bottom - 4) === list.count - 1;
        };
        for (let i = 0; i < 3; ++i) {
            const before = list.count;
            App.Controller.evaluateIn("GenServer.call(Counter, :get_count)", true);
            tryVerify(() => list.count > before, 5000);
            // Within a few frames; lines keep coming (the counters tick), and before the fix
            // the view stayed a batch behind through all of them.
            tryVerify(lastRowInView, 1000, "row " + (list.count - 1) + " of " + list.count + " is below the view");
        }
        // Switched off, the view stays where the reader put it; switched back on, it goes
        // to the end at once.
        const toggle = findChild(pane, "followTail");
        verify(toggle !== null);
        mouseClick(toggle, 10, toggle.height / 2);
        verify(!pane.follow);
        list.contentY = list.originY;
        waitForRendering(list);
        verify(!lastRowInView());
        mouseClick(toggle, 10, toggle.height / 2);
        verify(pane.follow);
        tryVerify(lastRowInView, 1000, "Follow switched on again shows the newest line");
    }

    function test_freezeThenLiveFollowsAgainAndHomeGoesToTheTop() {
        const pane = createTemporaryObject(paneComponent, root);
        const list = pane.list;
        const bridge = App.Controller.bridge;
        tryVerify(() => list.count > 40, 5000);
        verify(pane.follow);
        bridge.freeze();
        verify(!pane.follow);
        // Home: the playhead at the start, and the trace shows its first lines.
        bridge.seek(bridge.firstSeq);
        tryVerify(() => list.contentY <= list.originY + 1, 1000, "Home scrolls the trace to its start");
        // Live again: Follow is back on and the newest line in view.
        bridge.goLive();
        verify(bridge.live);
        verify(pane.follow, "Follow comes back with Live");
        tryVerify(() => list.atYEnd, 1000, "the newest line is in view");
    }

    // In a narrow pane the chips leave the filters' line (a second line cost the trace two
    // lines of its own) for the Categories button, under which every one is whole and works.
    function test_everyCategoryChipShowsInANarrowPane() {
        const pane = createTemporaryObject(narrowComponent, root);
        const names = App.Controller.trace.categoryNames;
        verify(names.length >= 10);
        const filters = findChild(pane, "traceFilters");
        const search = findChild(pane, "traceSearch");
        verify(filters !== null && search !== null);
        tryVerify(() => filters.height > 0 && filters.height <= search.height + 1, 2000, "the filters take one line: " + filters.height);
        const button = findChild(pane, "traceCategories");
        verify(button !== null);
        tryVerify(() => button.visible && button.width > 0);
        const p = button.mapToItem(pane, 0, 0);
        verify(p.x >= 0 && p.x + button.width <= pane.width, "the Categories button is whole");
        mouseClick(button);
        const overlay = root.Window.window.contentItem;
        for (let i = 0; i < names.length; ++i) {
            tryVerify(() => findShown(overlay, "category_" + names[i]) !== null, 2000, names[i]);
            const chip = findShown(overlay, "category_" + names[i]);
            tryVerify(() => {
                const q = chip.mapToItem(overlay, 0, 0);
                return chip.visible && chip.width > 0 && q.x >= 0 && q.x + chip.width <= overlay.width && q.y >= 0 && q.y + chip.height <= overlay.height;
            }, 2000, names[i] + " is cut at " + chip.mapToItem(overlay, 0, 0));
        }
        // A chip in the popup filters as one on the line does.
        const before = App.Controller.trace.categories;
        mouseClick(findShown(overlay, "category_timer"));
        compare(App.Controller.trace.categories, before ^ (1 << 6));
        compare(button.text, qsTr("Categories %1/%2 ▾").arg(names.length - 1).arg(names.length));
        keyClick(Qt.Key_Escape);
    }

    /// WCAG's contrast ratio of two colours.
    function contrast(a, b) {
        const lum = c => {
            const f = v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
            return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
        };
        const x = lum(a), y = lum(b);
        return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    }

    function test_theProcessFiltersListIsReadableOnEveryRow() {
        const pane = createTemporaryObject(paneComponent, root);
        const filter = findChild(pane, "traceProcessFilter");
        verify(filter !== null);
        tryVerify(() => filter.count >= 3, 5000);
        filter.popup.open();
        tryVerify(() => filter.popup.opened, 2000);
        const list = filter.popup.contentItem;
        compare(filter.highlightedIndex, 0); // the row the keyboard is on as the list opens
        for (let i = 0; i < 3; ++i) {
            const row = list.itemAtIndex(i);
            verify(row !== null);
            const back = row.background && row.background.visible ? row.background.color : filter.popup.background.color;
            const ratio = contrast(row.contentItem.color, back);
            verify(ratio >= 3, "row " + i + " (" + row.text + ") has a contrast of " + ratio.toFixed(2));
        }
        filter.popup.close();
    }
}
