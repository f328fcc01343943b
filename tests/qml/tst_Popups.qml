// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom

// The popups over the stage: a click on one of them (or beside it, to close it) never
// reaches what lies below, as a card under the Lessons list did.
TestCase {
    id: root

    name: "Popups"
    when: windowShown
    visible: true // a TestCase is invisible by default, and so would be what it creates
    width: 600
    height: 500

    // Stands for a card on the stage: it counts the taps it gets.
    Rectangle {
        id: under

        property int taps: 0

        anchors.fill: parent
        color: "grey"

        TapHandler {
            onTapped: under.taps += 1
        }
    }

    ListModel {
        id: lessonList

        ListElement {
            title: "Cast vs call"
            summary: "Three casts and a call"
        }
        ListElement {
            title: "The misbehaving self-call"
            summary: "calling_self"
        }
    }

    Component {
        id: lessonsComponent

        LessonsPopup {
            x: 20
            y: 20
            lessons: lessonList
        }
    }

    Component {
        id: cardMenuComponent

        CardMenu {
            x: 20
            y: 20
            name: "Counter"
            module: "Counter"
            isServer: true
            messages: [{
                    "kind": "cast",
                    "label": "increment",
                    "code": "GenServer.cast({server}, :increment)"
                }, {
                    "kind": "cast",
                    "label": "{:add, n}",
                    "code": "GenServer.cast({server}, {:add, «n»})",
                    "fields": ["n"]
                }]
        }
    }

    SignalSpy {
        id: chosen

        signalName: "lessonChosen"
    }

    SignalSpy {
        id: sent

        signalName: "sendSpec"
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
        if (item.contentItem !== undefined && item.contentItem !== null && item.contentItem.parent !== item)
            return findChild(item.contentItem, objectName);
        return null;
    }

    function init() {
        under.taps = 0;
        chosen.clear();
        sent.clear();
    }

    function test_aLessonClickStaysOnTheLesson() {
        const popup = createTemporaryObject(lessonsComponent, root);
        chosen.target = popup;
        popup.open();
        tryCompare(popup, "opened", true);
        let lesson = null;
        tryVerify(() => {
            lesson = findChild(popup.contentItem, "lesson_1");
            return lesson !== null && lesson.height > 0;
        });
        mouseClick(lesson);
        compare(chosen.count, 1);
        compare(chosen.signalArguments[0][0], 1);
        popup.close(); // as the window does when a lesson is chosen
        wait(50);
        compare(under.taps, 0);
    }

    function test_aClickBesideAPopupClosesItAndNothingElse() {
        const popup = createTemporaryObject(lessonsComponent, root);
        popup.open();
        tryCompare(popup, "opened", true);
        mouseClick(under, root.width - 10, root.height - 10);
        tryCompare(popup, "visible", false);
        compare(under.taps, 0);
    }

    // A clause with variables asks for their values; the menu opened again starts without
    // the form (it may be another card's).
    function test_aClauseWithVariablesAsksForThemInAForm() {
        const menu = createTemporaryObject(cardMenuComponent, root);
        sent.target = menu;
        menu.open();
        tryCompare(menu, "opened", true);
        const form = findChild(menu.contentItem, "messageForm");
        verify(!form.visible);
        let button = null;
        tryVerify(() => {
            button = findChild(menu.contentItem, "message_Counter_{:add, n}");
            return button !== null && button.width > 0;
        });
        mouseClick(button);
        compare(sent.count, 0, "the form asks first");
        tryVerify(() => form.visible);
        const send = findChild(menu.contentItem, "messageFormSend");
        verify(!send.enabled);
        const field = findChild(menu.contentItem, "messageField_n");
        field.forceActiveFocus();
        keyClick("4");
        keyClick("2");
        verify(send.enabled);
        mouseClick(send);
        compare(sent.count, 1);
        compare(sent.signalArguments[0][0], "GenServer.cast({server}, {:add, 42})");
        menu.close();
        tryCompare(menu, "visible", false);
        menu.open();
        tryCompare(menu, "opened", true);
        verify(!form.visible, "a menu opened again starts without the form");
    }

    function test_aCardMenuStaysOpenForQuickClicks() {
        const menu = createTemporaryObject(cardMenuComponent, root);
        sent.target = menu;
        menu.open();
        tryCompare(menu, "opened", true);
        let button = null;
        tryVerify(() => {
            button = findChild(menu.contentItem, "message_Counter_increment");
            return button !== null && button.width > 0;
        });
        mouseClick(button);
        mouseClick(button);
        mouseClick(button);
        compare(sent.count, 3);
        verify(menu.visible);
        compare(under.taps, 0);
        // Kill is done once: it closes the menu.
        mouseClick(findChild(menu.contentItem, "killButton"));
        tryCompare(menu, "visible", false);
        compare(under.taps, 0);
    }
}
