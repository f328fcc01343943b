// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// A mailbox: the handled token first and highlighted, then the queue, with an exact count
// of what does not fit.
TestCase {
    id: root

    name: "MailboxView"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 400
    height: 100

    Component {
        id: viewComponent

        MailboxView {
            width: 300
            bridge: App.Controller.bridge
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
        if (item.contentItem && item.contentItem !== item) {
            const found = findChild(item.contentItem, objectName);
            if (found)
                return found;
        }
        return null;
    }

    function test_tokensAndTheOverflowCount() {
        // A Counter of its own, so that no other test's casts are queued in it.
        App.Controller.evaluateIn("GenServer.start(Counter, 0, name: :mailbox_counter)", true);
        tryVerify(() => App.Controller.processes.pidNamed(":mailbox_counter") !== 0, 5000);
        const pid = App.Controller.processes.pidNamed(":mailbox_counter");
        const view = createTemporaryObject(viewComponent, root, {
                "pid": pid
            });
        compare(view.depth, 0);
        for (let i = 0; i < 12; ++i)
            App.Controller.evaluateIn("GenServer.cast(:mailbox_counter, :increment)", true);
        // Eleven wait while the first is handled (it may take a moment to be picked up).
        tryVerify(() => view.depth === 11 && view.model.handling, 5000);
        tryVerify(() => findChild(view, "token_0") !== null && findChild(view, "token_0").handling, 2000);
        const first = findChild(view, "token_0");
        compare(first.kind, "cast");
        compare(first.label, ":increment");
        const badge = findChild(view, "overflowBadge");
        verify(badge.visible);
        compare(view.model.overflow, 11 - (view.model.count - 1));
        // Draining would take 12 s of work: kill the counter instead (a stop would queue behind).
        App.Controller.evaluateIn("Process.exit(Process.whereis(:mailbox_counter), :kill)", true);
        tryCompare(view, "depth", 0, 5000);
    }
}
