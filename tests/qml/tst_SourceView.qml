// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The source view of a card, against the real runtime: a learner's module defined in the
// console, the clause that handles each message highlighted (strongly while it runs), a
// crash's line marked, and the highlight following the playhead when the timeline scrubs.
TestCase {
    id: root

    // Line 6: handle_call(:get), 10: {:add, k}, 14: :wait (runs until it gets :go), 20: :boom
    // (raises at line 22).
    readonly property string tally: "defmodule SrcTally do\n  use GenServer\n\n  def init(n), do: {:ok, n}\n\n  def handle_call(:get, _from, n) do\n    {:reply, n, n}\n  end\n\n  def handle_call({:add, k}, _from, n) do\n    {:reply, :ok, n + k}\n  end\n\n  def handle_call(:wait, _from, n) do\n    receive do\n      :go -> {:reply, :went, n}\n    end\n  end\n\n  def handle_call(:boom, _from, n) do\n    x = n + 1\n    raise \"boom #{x}\"\n  end\nend\n"

    name: "SourceView"
    when: windowShown
    visible: true
    width: 700
    height: 600

    Component {
        id: viewComponent

        SourceView {
            controller: App.Controller
            width: 560
            height: 500
        }
    }
    SignalSpy {
        id: evaluated

        target: App.Controller
        signalName: "evaluated"
    }

    function findChild(item, objectName) {
        if (item.objectName === objectName)
            return item;
        const children = item.children ?? [];
        for (let i = 0; i < children.length; ++i) {
            const found = findChild(children[i], objectName);
            if (found)
                return found;
        }
        if (item.contentItem && item.contentItem !== item) {
            const found = findChild(item.contentItem, objectName);
            if (found)
                return found;
        }
        return null;
    }

    function run(code) {
        const before = evaluated.count;
        App.Controller.evaluate(code);
        tryCompare(evaluated, "count", before + 1, 10000);
    }

    /// Defines SrcTally, starts one registered as `name`, and opens a source view on it.
    function openOn(name) {
        App.Controller.bridge.goLive();
        run(tally);
        run("GenServer.start(SrcTally, 0, name: " + name + ")");
        tryVerify(() => App.Controller.processes.pidNamed(name) !== 0, 5000);
        const pid = App.Controller.processes.pidNamed(name);
        const view = createTemporaryObject(viewComponent, root);
        view.show(pid, App.Controller.moduleOf(pid));
        compare(view.module, "SrcTally");
        verify(view.hasSource);
        compare(view.firstLine, 1);
        compare(findChild(view.contentItem, "sourceText").text, tally.slice(0, -1)); // up to the module's `end`
        return view;
    }

    /// The highlight band's lines, as the view draws it.
    function highlightedLines(view) {
        const band = findChild(view.contentItem, "sourceClauseHighlight");
        const code = findChild(view.contentItem, "sourceText");
        if (!band.visible)
            return [];
        const first = Math.round((band.y - code.topPadding) / code.lineHeight) + view.firstLine;
        return [first, first + Math.round(band.height / code.lineHeight) - 1];
    }

    function cleanup() {
        App.Controller.bridge.goLive();
    }

    function test_theClauseThatRunsIsHighlighted() {
        const view = openOn("SrcA");
        compare(highlightedLines(view), []);
        run("GenServer.call(SrcA, :get)");
        tryCompare(view, "clauseLine", 6, 5000);
        compare(highlightedLines(view), [6, 8]);
        run("GenServer.call(SrcA, {:add, 2})");
        tryCompare(view, "clauseLine", 10, 5000);
        compare(highlightedLines(view), [10, 12]);
        compare(view.running, false);
        compare(findChild(view.contentItem, "sourceStatus").text, "last ran handle_call/3, the clause at line 10");

        // While a handler runs, its clause is the running one.
        run("spawn(fn -> GenServer.call(SrcA, :wait) end)");
        tryCompare(view, "running", true, 5000);
        compare(view.clauseLine, 14);
        compare(highlightedLines(view), [14, 18]);
        compare(findChild(view.contentItem, "sourceStatus").text, "running handle_call/3, the clause at line 14");
        run("send(SrcA, :go)");
        tryCompare(view, "running", false, 5000);
        compare(view.clauseLine, 14);
        compare(findChild(view.contentItem, "sourceCrashMark").visible, false);
    }

    function test_aCrashMarksItsLine() {
        const view = openOn("SrcB");
        run("spawn(fn -> GenServer.call(SrcB, :boom) end)");
        tryCompare(view, "crashLine", 22, 5000);
        compare(view.clauseLine, 20);
        const mark = findChild(view.contentItem, "sourceCrashMark");
        const code = findChild(view.contentItem, "sourceText");
        verify(mark.visible);
        compare(Math.round((mark.y - code.topPadding) / code.lineHeight) + 1, 22);
        compare(findChild(view.contentItem, "sourceStatus").text, "crashed at line 22");
    }

    function test_scrubbingMovesTheHighlight() {
        const view = openOn("SrcC");
        const bridge = App.Controller.bridge;
        run("GenServer.call(SrcC, :get)");
        tryCompare(view, "clauseLine", 6, 5000);
        const afterGet = bridge.lastSeq;
        run("GenServer.call(SrcC, {:add, 1})");
        tryCompare(view, "clauseLine", 10, 5000);
        const afterAdd = bridge.lastSeq;
        run("spawn(fn -> GenServer.call(SrcC, :boom) end)");
        tryCompare(view, "crashLine", 22, 5000);

        bridge.seek(afterGet);
        tryCompare(view, "clauseLine", 6, 5000);
        compare(view.crashLine, 0, "before the crash, no line is marked");
        compare(highlightedLines(view), [6, 8]);
        bridge.seek(afterAdd);
        tryCompare(view, "clauseLine", 10, 5000);
        compare(highlightedLines(view), [10, 12]);
        bridge.goLive();
        tryCompare(view, "crashLine", 22, 5000);
        compare(view.clauseLine, 20);
    }

    // A redefinition does not rewrite the past: scrubbing back to a message handled before it
    // shows the source that handled it, with its clause where that source had it.
    function test_scrubbingBackShowsTheSourceThatRan() {
        const view = openOn("SrcD");
        const bridge = App.Controller.bridge;
        run("GenServer.call(SrcD, :get)");
        tryCompare(view, "clauseLine", 6, 5000);
        const afterFirst = bridge.lastSeq;
        const text = () => findChild(view.contentItem, "sourceText").text;
        // handle_call(:get) at line 5 now.
        const second = "defmodule SrcTally do\n  use GenServer\n  # the second definition\n\n  def handle_call(:get, _from, n) do\n    {:reply, n + 1, n}\n  end\nend\n";
        run(second);
        run("GenServer.call(SrcD, :get)");
        tryCompare(view, "clauseLine", 5, 5000);
        compare(text(), second.slice(0, -1));
        compare(highlightedLines(view), [5, 7]);

        bridge.seek(afterFirst);
        tryCompare(view, "clauseLine", 6, 5000);
        compare(text(), tally.slice(0, -1));
        compare(highlightedLines(view), [6, 8]);
        bridge.goLive();
        tryCompare(view, "clauseLine", 5, 5000);
        compare(text(), second.slice(0, -1));
    }

    // A catalog server's source is its file, embedded in the app.
    function test_aCatalogServerShowsItsFile() {
        const pid = App.Controller.processes.pidNamed("Counter");
        verify(pid !== 0);
        const view = createTemporaryObject(viewComponent, root);
        view.show(pid, App.Controller.moduleOf(pid));
        verify(view.hasSource);
        compare(view.source.file, "catalog/counter.ex");
        verify(findChild(view.contentItem, "sourceText").text.startsWith("defmodule Counter do"));
    }
}
