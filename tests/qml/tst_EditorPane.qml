// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The editor: Run (or Ctrl+Enter) runs the whole buffer or the selection in the shell, and an
// error is underlined at its line and column in the buffer (positions as real Elixir gives
// them: t2.exs:2:14 for the second line below).
TestCase {
    id: root

    name: "EditorPane"
    when: windowShown
    visible: true
    width: 600
    height: 360

    Component {
        id: shortPaneComponent

        EditorPane {
            width: 500
            height: 190 // a few lines, as over the console in a 1440×900 window
            controller: App.Controller
        }
    }
    Component {
        id: paneComponent

        EditorPane {
            anchors.fill: parent
            controller: App.Controller
        }
    }
    SignalSpy {
        id: evaluated

        target: App.Controller
        signalName: "evaluated"
    }
    SignalSpy {
        id: ran

        target: App.Controller
        signalName: "bufferRan"
    }

    function makePane(text) {
        const pane = createTemporaryObject(paneComponent, root);
        pane.document.keptPath = ""; // a test leaves the kept buffer alone
        pane.editor.text = text;
        evaluated.clear();
        ran.clear();
        return pane;
    }

    function test_runRunsTheWholeBuffer() {
        const pane = makePane("x = 20\nx * 2 + 2\n");
        pane.runAction.trigger();
        tryCompare(ran, "count", 1, 5000);
        compare(evaluated.signalArguments[0][0], "x = 20\nx * 2 + 2\n");
        compare(ran.signalArguments[0][0], true);
        compare(ran.signalArguments[0][1], "42");
        compare(pane.document.errorLine, 0);
    }

    function test_ctrlEnterRunsTheSelection() {
        const pane = makePane("IO.puts(\"not this\")\n21 * 2\nraise \"nor this\"\n");
        const start = pane.editor.text.indexOf("21");
        pane.editor.forceActiveFocus();
        pane.editor.select(start, start + "21 * 2".length);
        keyClick(Qt.Key_Return, Qt.ControlModifier);
        tryCompare(evaluated, "count", 1, 5000);
        compare(evaluated.signalArguments[0][0], "21 * 2");
        compare(evaluated.signalArguments[0][2], "42");
        compare(pane.editor.text, "IO.puts(\"not this\")\n21 * 2\nraise \"nor this\"\n", "Ctrl+Enter did not type a newline");
    }

    function test_anErrorIsUnderlinedAtItsLineAndColumn() {
        const pane = makePane("ok = 1\n  bad = [1, 2))\n");
        pane.runAction.trigger();
        tryCompare(ran, "count", 1, 5000);
        compare(ran.signalArguments[0][0], false);
        compare(pane.document.errorLine, 2);
        compare(pane.document.errorColumn, 14);
        verify(pane.document.errorText.indexOf("SyntaxError") >= 0);
        // The next good run clears it.
        pane.editor.text = "ok = 1\n";
        pane.runAction.trigger();
        tryCompare(ran, "count", 2, 5000);
        compare(pane.document.errorLine, 0);
    }

    // An error on the last line of a short editor is in sight once reported: the error's
    // line under the text took the room of the line it named.
    function test_theErrorsLineIsInSight() {
        const pane = createTemporaryObject(shortPaneComponent, root);
        pane.document.keptPath = "";
        const lines = [];
        for (let i = 1; i <= 20; ++i)
            lines.push("a" + i + " = " + i);
        lines.push("x = [1, 2)");
        pane.editor.text = lines.join("\n");
        pane.editor.forceActiveFocus();
        pane.editor.cursorPosition = pane.editor.text.length; // typed there: the view shows it
        ran.clear();
        pane.runAction.trigger();
        tryCompare(ran, "count", 1, 5000);
        compare(pane.document.errorLine, 21);
        const flick = pane.editor.parent; // the ScrollView's Flickable content
        const lineHeight = pane.editor.contentHeight / pane.editor.lineCount;
        const top = pane.editor.topPadding + 20 * lineHeight;
        const view = pane.editor.parent.parent;
        tryVerify(() => {
            const y = pane.editor.mapToItem(view, 0, top).y;
            return y >= 0 && y + lineHeight <= view.height + 0.5;
        }, 2000, "line 21 at " + pane.editor.mapToItem(view, 0, top).y + " of a view " + view.height + " high");
    }

    // Run on a selection that starts mid-line: the error's place is the buffer's, not the
    // selection's (bad = [1, 2)) alone fails at 1:12).
    function test_anErrorInASelectionIsPlacedInTheBuffer() {
        const pane = makePane("ok = 1\n  bad = [1, 2))\n");
        const start = pane.editor.text.indexOf("bad");
        pane.editor.select(start, pane.editor.text.length);
        pane.runAction.trigger();
        tryCompare(ran, "count", 1, 5000);
        compare(pane.document.errorLine, 2);
        compare(pane.document.errorColumn, 14);
    }

    // A crash inside a function of a module the buffer defines is placed at that line.
    function test_aRaiseInTheBuffersModuleIsPlacedAtItsLine() {
        const pane = makePane("defmodule Adder do\n  def add(x) do\n    x + :a\n  end\nend\nAdder.add(1)\n");
        pane.runAction.trigger();
        tryCompare(ran, "count", 1, 5000);
        compare(ran.signalArguments[0][0], false);
        compare(pane.document.errorLine, 3);
    }
}
