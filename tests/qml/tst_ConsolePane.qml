// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The console: Enter submits the line, up and down walk the history, results appear below.
TestCase {
    id: root

    name: "ConsolePane"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 500
    height: 300

    App.ConsoleModel {
        id: transcript
    }

    Component {
        id: paneComponent

        ConsolePane {
            anchors.fill: parent
            consoleModel: transcript
        }
    }

    SignalSpy {
        id: submitted

        signalName: "submitted"
    }

    function test_enterSubmitsAndHistoryRecalls() {
        const pane = createTemporaryObject(paneComponent, root);
        submitted.target = pane;
        pane.focusInput();
        keyClick("1");
        keyClick(Qt.Key_Space);
        keyClick(Qt.Key_Plus);
        keyClick(Qt.Key_Space);
        keyClick("1");
        compare(pane.input.text, "1 + 1");
        keyClick(Qt.Key_Return);
        compare(submitted.count, 1);
        compare(submitted.signalArguments[0][0], "1 + 1");
        compare(pane.input.text, "");
        transcript.appendInput("first");
        transcript.appendInput("second");
        keyClick(Qt.Key_Up);
        compare(pane.input.text, "second");
        keyClick(Qt.Key_Up);
        compare(pane.input.text, "first");
        keyClick(Qt.Key_Down);
        compare(pane.input.text, "second");
        keyClick(Qt.Key_Down);
        compare(pane.input.text, "");
    }

    function test_aLongPastedLineArrivesWhole() {
        const pane = createTemporaryObject(paneComponent, root);
        submitted.target = pane;
        submitted.clear();
        pane.focusInput();
        const line = "1 + ".repeat(30000) + "1"; // 120,001 characters: past TextInput's default cut at 32,767
        pane.input.insert(0, line);
        keyClick(Qt.Key_Return);
        compare(submitted.count, 1);
        compare(submitted.signalArguments[0][0].length, line.length);
        submitted.clear(); // the other tests count from zero
    }

    function promptsOf(pane) {
        const prompts = [];
        const collect = item => {
            if (item.objectName === "consolePrompt" || item.objectName === "consoleContinuationPrompt")
                prompts.push(item);
            for (let i = 0; i < item.children.length; ++i)
                collect(item.children[i]);
        };
        collect(pane.input);
        prompts.sort((a, b) => a.y - b.y);
        return prompts.map(p => p.text);
    }

    // While a do/end or a bracket is open Enter starts the next line, prompted as iex's
    // ...(N)>; the closing line runs the whole entry as one.
    function test_anOpenBlockContinuesOnTheNextLine() {
        const pane = createTemporaryObject(paneComponent, root);
        submitted.target = pane;
        submitted.clear();
        transcript.clearTranscript();
        pane.focusInput();
        const n = transcript.promptNumber;
        pane.input.insert(0, "defmodule Tally do");
        keyClick(Qt.Key_Return);
        compare(submitted.count, 0, "an open do waits for its end");
        compare(pane.input.text, "defmodule Tally do\n");
        keyClick(Qt.Key_Space);
        keyClick(Qt.Key_Space);
        pane.input.insert(pane.input.length, "def init(n), do: {:ok, n}");
        keyClick(Qt.Key_Return);
        compare(submitted.count, 0);
        pane.input.insert(pane.input.length, "end");
        tryCompare(pane.input, "lineCount", 3);
        compare(promptsOf(pane), ["iex(" + n + ")>", "...(" + n + ")>", "...(" + n + ")>"]);
        keyClick(Qt.Key_Return);
        compare(submitted.count, 1);
        compare(submitted.signalArguments[0][0], "defmodule Tally do\n  def init(n), do: {:ok, n}\nend");
        compare(pane.input.text, "");
        submitted.clear();
    }

    // A module pasted whole runs as one entry with the next Enter, its trailing newline dropped.
    function test_aPastedModuleRunsAsOneEntry() {
        const pane = createTemporaryObject(paneComponent, root);
        submitted.target = pane;
        submitted.clear();
        pane.focusInput();
        const module = "defmodule Greeter do\n  use GenServer\n  def init(_), do: {:ok, []}\nend\nGenServer.start(Greeter, [], name: Greeter)";
        pane.input.insert(0, module + "\n");
        keyClick(Qt.Key_Return);
        compare(submitted.count, 1);
        compare(submitted.signalArguments[0][0], module);
        submitted.clear();
    }

    // Shift+Enter starts a new line of a whole entry; up and down move within it, and walk
    // the history only from its first and last line.
    function test_shiftEnterAndArrowsInAMultiLineEntry() {
        const pane = createTemporaryObject(paneComponent, root);
        submitted.target = pane;
        submitted.clear();
        transcript.appendInput("earlier");
        pane.focusInput();
        pane.input.insert(0, "x = 1");
        keyClick(Qt.Key_Return, Qt.ShiftModifier);
        pane.input.insert(pane.input.length, "y = 2");
        compare(submitted.count, 0);
        compare(pane.input.text, "x = 1\ny = 2");
        keyClick(Qt.Key_Up);
        compare(pane.input.text, "x = 1\ny = 2", "up from the second line moves the cursor");
        verify(pane.input.cursorPosition <= 5);
        keyClick(Qt.Key_Up);
        compare(pane.input.text, "earlier", "up from the first line recalls the history");
        keyClick(Qt.Key_Down);
        compare(pane.input.text, "x = 1\ny = 2", "down comes back to the draft");
        pane.input.text = "";
    }

    function test_resultsAndErrorsAppear() {
        createTemporaryObject(paneComponent, root);
        const rows = transcript.count;
        transcript.appendError("** (exit) boom");
        compare(transcript.count, rows + 1);
    }

    function test_theViewFollowsNewLinesUnlessScrolledUp() {
        const pane = createTemporaryObject(paneComponent, root);
        const view = findChild(pane, "consoleTranscript");
        transcript.clearTranscript();
        for (let i = 0; i < 60; ++i)
            transcript.appendNote("line " + i + "\n  with a second line, indented, that is long enough to wrap in a narrow pane");
        // The newest line is in view, however tall the lines turn out once laid out.
        const lastInView = () => {
            const last = view.itemAtIndex(view.count - 1);
            return last !== null && last.y + last.height <= view.contentY + view.height + 1;
        };
        tryVerify(() => view.contentHeight > 3 * view.height && lastInView(), 2000, "follows the tail");
        transcript.appendError("** (exit) the newest");
        tryVerify(lastInView, 2000, "still follows");
        // Scrolled up to read, the user stays where they are as lines come.
        mouseWheel(view, view.width / 2, view.height / 2, 0, 2400);
        tryVerify(() => !view.atYEnd && !view.moving);
        const top = view.contentY;
        transcript.appendNote("more");
        wait(100);
        compare(view.contentY, top);
        verify(!view.atYEnd);
    }

    function test_atTheLineLimitTheViewStillFollows() {
        const pane = createTemporaryObject(paneComponent, root);
        const view = findChild(pane, "consoleTranscript");
        transcript.clearTranscript();
        transcript.maxLines = 20;
        const lastInView = () => {
            const last = view.itemAtIndex(view.count - 1);
            return last !== null && last.y + last.height <= view.contentY + view.height + 1;
        };
        for (let i = 0; i < 20; ++i)
            transcript.appendNote("line " + i);
        tryVerify(lastInView, 2000);
        // Full: each new line drops the oldest, the count stays at 20, and the newest shows.
        for (let i = 20; i < 40; ++i) {
            transcript.appendNote("line " + i);
            wait(20);
        }
        tryVerify(lastInView, 2000);
        compare(view.itemAtIndex(view.count - 1).text, "line 39");
    }

    function cleanup() {
        transcript.maxLines = 3000;
    }

    function test_wrappedTextBreaksAtWordsAndKeepsItsIndentation() {
        const pane = createTemporaryObject(paneComponent, root);
        pane.width = 320;
        transcript.clearTranscript();
        transcript.appendNote("*DBG* 'Elixir.PledgeServer' new state\n    #{'__struct__' => 'Elixir.PledgeServer.State', cache_size => 3, pledges => [{<<\"larry\">>,10}]}");
        const view = findChild(pane, "consoleTranscript");
        let body = null;
        tryVerify(() => {
            body = findChild(view, "consoleLineBody");
            return body !== null && body.height > 0;
        });
        // The indented line hangs under its indentation, and no line ends inside a word.
        const lines = [];
        for (let i = 0; i < body.children.length; ++i) {
            const label = body.children[i];
            if (label.text === undefined || label.lineCount === undefined)
                continue;
            lines.push(label);
        }
        compare(lines.length, 2);
        verify(lines[1].leftPadding > 0, "the second line keeps its indentation");
        verify(lines[1].lineCount > 1, "the long line wraps");
        verify(lines[1].text.indexOf("#{") === 0, "the indentation is padding, not spaces that wrap");
        compare(lines[1].wrapMode, Text.Wrap);
    }

    function findChild(item, objectName) {
        if (item.objectName === objectName)
            return item;
        for (let i = 0; i < item.children.length; ++i) {
            const found = findChild(item.children[i], objectName);
            if (found)
                return found;
        }
        if (item.contentItem !== undefined && item.contentItem !== null && item.contentItem !== item)
            for (let i = 0; i < item.contentItem.children.length; ++i) {
                const found = findChild(item.contentItem.children[i], objectName);
                if (found)
                    return found;
            }
        return null;
    }

    Component {
        id: freshModelComponent

        App.ConsoleModel {}
    }

    Component {
        id: paneOnComponent

        ConsolePane {
            anchors.fill: parent
        }
    }

    Component {
        id: paneSpyComponent

        SignalSpy {}
    }

    // A running entry has a Stop button, which asks to interrupt that line; Ctrl+C in the
    // input asks to interrupt every running line, unless text is selected (then it copies).
    function test_stopAndCtrlCAskToInterrupt() {
        const model = createTemporaryObject(freshModelComponent, root);
        const pane = createTemporaryObject(paneOnComponent, root, {
            "consoleModel": model
        });
        const stops = createTemporaryObject(paneSpyComponent, root, {
            "target": pane,
            "signalName": "interruptRequested"
        });
        const everything = createTemporaryObject(paneSpyComponent, root, {
            "target": pane,
            "signalName": "interruptAllRequested"
        });
        const number = model.appendInput("f = fn f -> f.(f) end; f.(f)");
        let stop = null;
        tryVerify(() => {
            stop = findChild(pane, "consoleLineStop");
            return stop !== null && stop.visible && stop.width > 0;
        });
        mouseClick(stop);
        compare(stops.count, 1);
        compare(stops.signalArguments[0][0], number);

        pane.focusInput();
        pane.input.text = "abc";
        pane.input.selectAll();
        keyClick(Qt.Key_C, Qt.ControlModifier);
        compare(everything.count, 0);
        pane.input.deselect();
        keyClick(Qt.Key_C, Qt.ControlModifier);
        compare(everything.count, 1);
        compare(pane.input.text, "abc");
        pane.input.text = "";
    }

    function test_aLineRunsThroughTheController() {
        const spy = createTemporaryObject(spyComponent, root);
        App.Controller.evaluate("Enum.sum([1, 2, 3])");
        tryCompare(spy, "count", 1, 5000);
        compare(spy.signalArguments[0][2], "6");
    }

    Component {
        id: spyComponent

        SignalSpy {
            target: App.Controller
            signalName: "evaluated"
        }
    }
}
