pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

// One line of the console: an input with its iex prompt, printed output, a result or an
// error (in red, with a marker, so it stands out without disturbing the rest).
Item {
    id: root

    required property string kind
    required property string text
    required property string prompt

    implicitHeight: Math.max(body.implicitHeight, 18) + 4

    Rectangle {
        anchors.fill: parent
        visible: root.kind === "error"
        color: Qt.rgba(Theme.danger.r, Theme.danger.g, Theme.danger.b, Theme.dark ? 0.12 : 0.08)
        radius: 4

        Rectangle {
            width: 3
            height: parent.height
            color: Theme.danger
        }
    }

    QQC2.Label {
        id: promptLabel

        x: 8
        y: 2
        visible: root.kind === "input"
        text: root.prompt
        color: Theme.accent
        font.family: Theme.monoFamily
        font.pixelSize: 12
        font.bold: true
    }
    QQC2.Label {
        id: body

        x: root.kind === "input" ? promptLabel.x + promptLabel.implicitWidth + 8 : 8
        y: 2
        width: root.width - x - 8
        text: root.text
        wrapMode: Text.WrapAnywhere
        maximumLineCount: root.kind === "input" ? 3 : 40
        elide: Text.ElideRight
        textFormat: Text.PlainText
        font.family: Theme.monoFamily
        font.pixelSize: 12
        color: {
            switch (root.kind) {
            case "input":
                return Theme.text;
            case "result":
                return Theme.cast;
            case "error":
                return Theme.danger;
            case "note":
                return Theme.accent;
            default:
                return Theme.textMuted;
            }
        }
    }
}
