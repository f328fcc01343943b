// SPDX-License-Identifier: MIT
import QtQuick
import QtTest
import Mailroom
import Mailroom.App as App

// The time controls: freeze and go live, the scrub slider and the arrow keys moving the
// playhead, pause world with step, and the speed slider.
TestCase {
    id: root

    function child(item: Item, name: string): Item {
        return findChild(item, name);
    }
    function cleanup() {
        App.Controller.setPaused(false);
        App.Controller.speed = 1;
        App.Controller.bridge.goLive();
    }

    name: "Timeline"
    when: windowShown
    visible: true
    width: 1300
    height: 120

    Component {
        id: timelineComponent

        Timeline {
            width: root.width
            controller: App.Controller
        }
    }

    function test_freezeThenLive() {
        const bar = createTemporaryObject(timelineComponent, root);
        const bridge = App.Controller.bridge;
        tryVerify(() => bridge.lastSeq > 10, 8000); // the default servers have started
        verify(bridge.live);
        const freeze = child(bar, "freezeButton");
        mouseClick(freeze);
        verify(!bridge.live);
        const at = bridge.playhead;
        compare(at, bridge.lastSeq);
        verify(child(bar, "playheadLabel").text.indexOf("event") === 0);
        // The runtime goes on; the playhead stays.
        App.Controller.evaluate("GenServer.cast(Journal, {:add_entry, :frozen})");
        tryVerify(() => bridge.lastSeq > at, 8000);
        compare(bridge.playhead, at);
        mouseClick(freeze);
        verify(bridge.live);
        verify(child(bar, "playheadLabel").text.indexOf("live") === 0);
    }

    function test_sliderAndArrowKeysMoveThePlayhead() {
        const bar = createTemporaryObject(timelineComponent, root);
        const bridge = App.Controller.bridge;
        tryVerify(() => bridge.lastSeq > 10, 8000);
        const slider = child(bar, "scrubSlider");
        waitForRendering(bar);
        // A click near the slider's start goes back in time.
        mouseClick(slider, slider.leftPadding + 2, slider.height / 2);
        verify(!bridge.live);
        verify(bridge.playhead < bridge.firstSeq + (bridge.lastSeq - bridge.firstSeq) / 4);
        const at = bridge.playhead;
        keyClick(Qt.Key_Right);
        compare(bridge.playhead, at + 1);
        keyClick(Qt.Key_Right, Qt.ShiftModifier);
        compare(bridge.playhead, Math.min(at + 101, bridge.lastSeq));
        keyClick(Qt.Key_Left);
        compare(bridge.playhead, Math.min(at + 100, bridge.lastSeq - 1));
        mouseClick(child(bar, "stepBackButton"));
        compare(bridge.playhead, Math.min(at + 99, bridge.lastSeq - 2));
        keyClick(Qt.Key_Home);
        compare(bridge.playhead, bridge.firstSeq);
        keyClick(Qt.Key_End);
        verify(bridge.live);
    }

    function test_pauseWorldStepAndResume() {
        const bar = createTemporaryObject(timelineComponent, root);
        const pause = child(bar, "pauseWorldButton");
        const step = child(bar, "stepButton");
        verify(!step.enabled);
        mouseClick(pause);
        verify(App.Controller.paused);
        verify(step.enabled);
        // Nothing queued anywhere while everything is idle: a notice says so.
        App.Controller.bridge.selectedPid = 0;
        tryVerify(() => {
            mouseClick(step);
            return child(bar, "noticeLabel").text.length > 0;
        }, 8000);
        mouseClick(pause);
        verify(!App.Controller.paused);
        verify(!step.enabled);
    }

    SignalSpy {
        id: evaluatedSpy

        target: App.Controller
        signalName: "evaluated"
    }

    // The slider slows the runtime's own clock, not only the number it shows: at the
    // slowest speed a sleep of 40 ms of virtual time takes about 40 / speed ms of the wall's.
    function test_slowMotionSlowsTheRuntimesClock() {
        const bar = createTemporaryObject(timelineComponent, root);
        const slider = child(bar, "speedSlider");
        waitForRendering(bar);
        mouseClick(slider, slider.leftPadding + 1, slider.height / 2);
        const speed = App.Controller.speed;
        verify(speed < 0.05);
        evaluatedSpy.clear();
        const started = Date.now();
        App.Controller.evaluate("Process.sleep(40)");
        tryCompare(evaluatedSpy, "count", 1, 30000);
        const wallMs = Date.now() - started;
        compare(evaluatedSpy.signalArguments[0][0], "Process.sleep(40)");
        // Half of it at least: a wall clock can only be late, never early.
        verify(wallMs >= 0.5 * 40 / speed, wallMs + " ms of the wall's for 40 ms at " + speed + "x");
    }

    function test_speedSliderSlowsTheClock() {
        const bar = createTemporaryObject(timelineComponent, root);
        const slider = child(bar, "speedSlider");
        waitForRendering(bar);
        mouseClick(slider, slider.leftPadding + 1, slider.height / 2);
        verify(App.Controller.speed < 0.05);
        verify(App.Controller.speed >= 0.01);
        mouseClick(slider, slider.width - slider.rightPadding - 1, slider.height / 2);
        verify(App.Controller.speed > 0.9);
    }
}
