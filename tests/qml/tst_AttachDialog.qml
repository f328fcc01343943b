// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// File → Attach to a node…: the dialog asks for a node and its cookie before it lists, and
// says what went wrong in its own status line (the real nodes are tst_beamwindow's).
TestCase {
    id: root

    name: "AttachDialog"
    when: windowShown
    visible: true
    width: 1024
    height: 700

    Component {
        id: dialogComponent

        AttachDialog {
            controller: App.Controller
        }
    }

    function findChild(item, objectName) {
        if (item.objectName === objectName)
            return item;
        const kids = item.children !== undefined ? item.children : [];
        for (let i = 0; i < kids.length; ++i) {
            const found = findChild(kids[i], objectName);
            if (found)
                return found;
        }
        return null;
    }

    function test_aNodeWithoutAHostIsToldInTheDialog() {
        const dialog = createTemporaryObject(dialogComponent, root);
        dialog.open();
        tryCompare(dialog, "opened", true);
        const node = findChild(dialog.contentItem, "attachNode");
        const cookie = findChild(dialog.contentItem, "attachCookie");
        const list = findChild(dialog.contentItem, "attachList");
        const status = findChild(dialog.contentItem, "attachStatus");
        verify(node && cookie && list && status);
        // It fits the smallest window the app is laid out for.
        verify(dialog.width <= root.width && dialog.height <= root.height);
        // Nothing to ask before a node and a cookie are given.
        verify(!list.enabled);
        node.text = "nohost";
        verify(!list.enabled);
        cookie.text = "secret";
        verify(list.enabled);
        mouseClick(list);
        tryVerify(() => dialog.failed && status.text.length > 0, 10000);
        verify(status.text.indexOf("NAME@HOST") >= 0 || status.text.indexOf("elixir") >= 0, status.text);
        verify(!App.Controller.listingNode);
    }

    function test_messagesOnlyIsTheNextWatchsMode() {
        const dialog = createTemporaryObject(dialogComponent, root);
        dialog.open();
        tryCompare(dialog, "opened", true);
        const box = findChild(dialog.contentItem, "attachMessagesOnly");
        verify(box);
        // It shows the controller's mode and sets it: what the next attach (or --beam) watches.
        App.Controller.beamMessagesOnly = false;
        compare(box.checked, false);
        mouseClick(box);
        compare(App.Controller.beamMessagesOnly, true);
        mouseClick(box);
        compare(App.Controller.beamMessagesOnly, false);
    }
}
