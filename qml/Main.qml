pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls as QQC2

QQC2.ApplicationWindow {
    id: root

    width: 1440
    height: 900
    minimumWidth: 1024
    minimumHeight: 700
    visible: true
    title: qsTr("Mailroom")

    QQC2.Label {
        anchors.centerIn: parent
        text: qsTr("Mailroom")
    }
}
