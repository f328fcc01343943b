pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2

// What a click on a card offers: the messages its module understands (from the catalog)
// as buttons, a plain message, :sys.get_state, suspend/resume, trace on/off, stop, kill.
// Each button emits the line of script it stands for; the window runs it. A message leaves
// the menu open (three quick clicks queue three messages); the other actions close it.
QQC2.Popup {
    id: root

    property int pid: 0
    property string name
    property string module
    property bool isServer: false
    property bool suspended: false
    property bool traced: false
    property bool exited: false
    /// [{kind, label, code}] with {server} standing for the target.
    property var messages: []

    signal sendSpec(string code)
    signal sendPlain(string message)
    signal getState
    signal suspendRequested
    signal resumeRequested
    signal traceRequested(bool on)
    signal stopRequested
    signal killRequested

    function act(action) {
        action();
        root.close();
    }

    width: 300
    padding: 12
    // Modal (without dimming): a click on it or beside it never reaches the stage below.
    modal: true
    dim: false
    focus: true
    closePolicy: QQC2.Popup.CloseOnEscape | QQC2.Popup.CloseOnReleaseOutside

    background: Rectangle {
        color: Theme.panel
        radius: Theme.radius
        border.color: Theme.borderStrong
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8

        RowLayout {
            Layout.fillWidth: true

            QQC2.Label {
                Layout.fillWidth: true
                text: root.name
                color: Theme.text
                font.bold: true
                font.pixelSize: Theme.fontLarge
                elide: Text.ElideRight
            }
            QQC2.Label {
                text: root.module
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
        }

        QQC2.Label {
            visible: root.messages.length > 0
            text: qsTr("Messages %1 understands").arg(root.module)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }

        Flow {
            Layout.fillWidth: true
            spacing: 6
            visible: root.messages.length > 0

            Repeater {
                model: root.messages

                delegate: ActionButton {
                    required property var modelData

                    objectName: "message_" + root.module + "_" + modelData.label
                    text: modelData.label
                    kind: modelData.kind
                    enabled: !root.exited
                    QQC2.ToolTip.visible: hovered
                    QQC2.ToolTip.text: modelData.code
                    onClicked: root.sendSpec(modelData.code)
                }
            }
        }

        QQC2.Label {
            text: qsTr("Send a plain message")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        RowLayout {
            Layout.fillWidth: true

            QQC2.TextField {
                id: plain

                objectName: "plainMessageField"
                Layout.fillWidth: true
                text: ":hello"
                font.family: Theme.monoFamily
                selectByMouse: true
                onAccepted: root.sendPlain(text)
            }
            ActionButton {
                objectName: "plainMessageSend"
                text: qsTr("send")
                kind: "info"
                enabled: !root.exited && plain.text.length > 0
                onClicked: root.sendPlain(plain.text)
            }
        }

        Rectangle {
            Layout.fillWidth: true
            height: 1
            color: Theme.border
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            rowSpacing: 6
            columnSpacing: 6

            ActionButton {
                objectName: "getStateButton"
                Layout.fillWidth: true
                text: ":sys.get_state"
                kind: "system"
                enabled: root.isServer && !root.exited
                onClicked: root.act(root.getState)
            }
            ActionButton {
                objectName: "suspendButton"
                Layout.fillWidth: true
                text: root.suspended ? ":sys.resume" : ":sys.suspend"
                kind: "system"
                enabled: root.isServer && !root.exited
                onClicked: root.act(root.suspended ? root.resumeRequested : root.suspendRequested)
            }
            ActionButton {
                objectName: "traceButton"
                Layout.fillWidth: true
                text: root.traced ? qsTr("trace off") : qsTr("trace on")
                kind: "system"
                enabled: root.isServer && !root.exited
                onClicked: root.act(() => root.traceRequested(!root.traced))
            }
            ActionButton {
                objectName: "stopButton"
                Layout.fillWidth: true
                text: "GenServer.stop"
                kind: "system"
                enabled: root.isServer && !root.exited
                onClicked: root.act(root.stopRequested)
            }
            ActionButton {
                objectName: "killButton"
                Layout.columnSpan: 2
                Layout.fillWidth: true
                text: qsTr("Process.exit(pid, :kill)")
                danger: true
                enabled: !root.exited
                onClicked: root.act(root.killRequested)
            }
        }
    }
}
