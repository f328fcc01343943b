// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// A process card: what it says about a live server, an exited one, and clicks.
TestCase {
    id: root

    name: "ProcessCard"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 400
    height: 300

    Component {
        id: cardComponent

        ProcessCard {
            width: 240
            bridge: App.Controller.bridge
        }
    }

    SignalSpy {
        id: clicks

        signalName: "clicked"
    }

    function card(props) {
        const defaults = {
            "index": 0,
            "pid": 0,
            "pidText": "<0.0.0>",
            "name": "x",
            "module": "process",
            "isServer": false,
            "isShell": false,
            "status": "waiting",
            "statusText": "waiting for messages",
            "statusSinceMs": 0,
            "stateText": "",
            "stateFull": "",
            "mailboxDepth": 0,
            "exited": false,
            "crashed": false,
            "exitReason": "",
            "diedWith": 0,
            "diedWithName": "",
            "traced": false,
            "suspended": false,
            "receiveRate": 0,
            "links": []
        };
        for (const key in props)
            defaults[key] = props[key];
        const item = createTemporaryObject(cardComponent, root, defaults);
        verify(item !== null, "the card is created");
        return item;
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

    function test_aServerShowsItsNameStatusAndState() {
        const pid = App.Controller.processes.pidNamed("Counter");
        verify(pid !== 0);
        const c = card({
                "pid": pid,
                "pidText": "<0." + pid + ".0>",
                "name": "Counter",
                "module": "Counter",
                "isServer": true,
                "stateText": "0",
                "stateFull": "0"
            });
        compare(c.objectName, "card_Counter");
        compare(findChild(c, "stateLabel").text, "state 0");
        compare(findChild(c, "statusLabel").text, "waiting for messages");
        compare(c.opacity, 1);
    }

    function test_anExitedCrashedProcessGreysOut() {
        const c = card({
                "pid": 999999,
                "name": "Journal",
                "exited": true,
                "crashed": true,
                "status": "exited",
                "statusText": "crashed: :boom",
                "exitReason": ":boom",
                "diedWith": 0
            });
        tryVerify(() => findChild(c, "cardContent").opacity < 1);
        // The card itself stays opaque: link lines behind it do not cross its text.
        compare(c.opacity, 1);
        verify(findChild(c, "statusLabel").text.indexOf("crashed: :boom") === 0);
    }

    function test_aClickAsksForTheMenu() {
        const c = card({
                "pid": 1,
                "name": "Receiver"
            });
        clicks.target = c;
        clicks.clear();
        mouseClick(c, 20, 10);
        compare(clicks.count, 1);
    }

    function test_aClickOnTheStateExpandsItInstead() {
        const c = card({
            "pid": 1,
            "name": "Journal",
            "isServer": true,
            "stateText": "[\"a\", …]",
            "stateFull": "[\"a\",\n \"b\"]"
        });
        clicks.target = c;
        clicks.clear();
        const label = findChild(c, "stateLabel");
        mouseClick(label, 10, label.height / 2);
        compare(clicks.count, 0);
        verify(c.expanded);
        compare(label.text, "[\"a\",\n \"b\"]");
        mouseClick(label, 10, 5);
        verify(!c.expanded);
    }

    function test_theMailboxFillsAsCastsQueue() {
        // A Counter of its own, so that no other test's casts are queued in it.
        App.Controller.evaluateIn("GenServer.start(Counter, 0, name: :card_counter)", true);
        tryVerify(() => App.Controller.processes.pidNamed(":card_counter") !== 0, 5000);
        const pid = App.Controller.processes.pidNamed(":card_counter");
        const c = card({
                "pid": pid,
                "name": ":card_counter",
                "module": "Counter",
                "isServer": true
            });
        for (let i = 0; i < 3; ++i)
            App.Controller.evaluateIn("GenServer.cast(:card_counter, :increment)", true);
        // One is handled (a second of work), two wait.
        tryCompare(c.mailboxModel, "depth", 2, 5000);
        verify(c.mailboxModel.handling);
        tryCompare(c.mailboxModel, "depth", 0, 8000);
        App.Controller.evaluateIn("Process.exit(Process.whereis(:card_counter), :kill)", true);
    }

    function test_cutTextIsShownInFullOnHover() {
        const status = "crashed: {:calling_self, {GenServer, :call, [MisbehavingGenServer, :self_call, 5000]}}";
        const c = card({
                "pid": 999998,
                "name": "AVeryLongNameOfAnIncrementingCounter",
                "status": "crashed",
                "statusText": status,
                "exited": true,
                "crashed": true
            });
        verify(findChild(c, "statusLabel").truncated, "the card is too narrow for its status");
        let tip = null;
        for (let i = 0; i < c.data.length; ++i)
            if (c.data[i].objectName === "cardToolTip")
                tip = c.data[i];
        verify(tip !== null);
        verify(!tip.visible);
        mouseMove(c, 30, 12);
        tryVerify(() => tip.visible, 3000, "hovering shows the tooltip");
        compare(tip.text, "AVeryLongNameOfAnIncrementingCounter\n" + status);
        mouseMove(root, root.width - 2, root.height - 2);
        tryVerify(() => !tip.visible, 3000);
    }
}
