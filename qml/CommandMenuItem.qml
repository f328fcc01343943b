// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls as QQC2

// A menu entry for one of the window's Commands: its text, with its shortcut beside it.
QQC2.MenuItem {
    id: root

    readonly property string keys: root.action !== null ? String(root.action.shortcut ?? "") : ""

    objectName: "commandMenuItem"
    text: root.action === null ? "" : root.keys.length > 0 ? qsTr("%1 (%2)").arg(root.action.text).arg(root.keys) : root.action.text
}
