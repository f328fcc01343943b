// SPDX-License-Identifier: MIT
pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Controls as QQC2

// What a click on a card offers: the messages its module understands (read from its clause
// heads) as buttons — a clause with variables opens a small form for their values —, a plain message, :sys.get_state, suspend/resume, trace on/off, stop, kill.
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
    /// Its module's source can be shown (Controller.moduleSource).
    property bool hasSource: false
    /// [{kind, label, code, fields}] with {server} standing for the target and «name» for
    /// each of the fields.
    property var messages: []
    /// The message whose form is open (one with fields), or null.
    property var formMessage: null
    /// The form's values by field name, as typed.
    property var formValues: ({})
    readonly property bool formComplete: {
        if (formMessage === null)
            return false;
        for (const field of formMessage.fields)
            if (String(formValues[field] ?? "").trim().length === 0)
                return false;
        return true;
    }

    /// `message`'s code with each field's value in place of its «name».
    function filled(message: var, values: var): string {
        let code = message.code;
        for (const field of message.fields)
            code = code.split("«" + field + "»").join(String(values[field]).trim());
        return code;
    }
    function setFormValue(field: string, value: string) {
        const values = Object.assign({}, formValues);
        values[field] = value;
        formValues = values;
    }

    signal sendSpec(string code)
    signal sendPlain(string message)
    signal getState
    signal suspendRequested
    signal resumeRequested
    signal traceRequested(bool on)
    signal stopRequested
    signal killRequested
    signal sourceRequested

    function act(action) {
        action();
        root.close();
    }

    // Another card's menu (or the same, later) starts without a form.
    onAboutToShow: {
        formMessage = null;
        formValues = {};
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
            ActionButton {
                objectName: "sourceButton"
                visible: root.hasSource
                text: qsTr("Source")
                onClicked: root.act(root.sourceRequested)
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
                    onClicked: {
                        if (modelData.fields && modelData.fields.length > 0) {
                            root.formValues = {};
                            root.formMessage = root.formMessage === modelData ? null : modelData;
                        } else {
                            root.formMessage = null;
                            root.sendSpec(modelData.code);
                        }
                    }
                }
            }
        }

        // The values of a clause's variables: each field takes an Elixir expression.
        Rectangle {
            objectName: "messageForm"
            Layout.fillWidth: true
            visible: root.formMessage !== null
            implicitHeight: form.implicitHeight + 16
            radius: 6
            color: Theme.panelAlt
            border.color: Theme.border

            ColumnLayout {
                id: form

                anchors.fill: parent
                anchors.margins: 8
                spacing: 6

                QQC2.Label {
                    Layout.fillWidth: true
                    text: root.formMessage ? root.formMessage.label : ""
                    color: Theme.text
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
                Repeater {
                    model: root.formMessage ? root.formMessage.fields : []

                    delegate: RowLayout {
                        id: fieldRow

                        required property string modelData

                        Layout.fillWidth: true
                        spacing: 6

                        QQC2.Label {
                            text: fieldRow.modelData
                            color: Theme.textMuted
                            font.family: Theme.monoFamily
                            font.pixelSize: Theme.fontSmall
                        }
                        QQC2.TextField {
                            objectName: "messageField_" + fieldRow.modelData
                            Layout.fillWidth: true
                            font.family: Theme.monoFamily
                            selectByMouse: true
                            placeholderText: qsTr("an Elixir value")
                            onTextChanged: root.setFormValue(fieldRow.modelData, text)
                            onAccepted: {
                                if (root.formComplete)
                                    root.sendSpec(root.filled(root.formMessage, root.formValues));
                            }
                        }
                    }
                }
                ActionButton {
                    objectName: "messageFormSend"
                    Layout.alignment: Qt.AlignRight
                    text: qsTr("send")
                    kind: root.formMessage ? root.formMessage.kind : ""
                    enabled: !root.exited && root.formComplete
                    onClicked: root.sendSpec(root.filled(root.formMessage, root.formValues))
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
