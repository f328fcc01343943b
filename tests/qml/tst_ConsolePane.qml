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

    function test_resultsAndErrorsAppear() {
        createTemporaryObject(paneComponent, root);
        const rows = transcript.count;
        transcript.appendError("** (exit) boom");
        compare(transcript.count, rows + 1);
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
