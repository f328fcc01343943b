// SPDX-License-Identifier: MIT
// Qt Quick Test suites of the main components, against a real runtime: the Controller
// (with the servers shown on launch) is the App.Controller singleton the tests use.
#include "controller.h"

#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(MailroomPlugin)
Q_IMPORT_QML_PLUGIN(Mailroom_AppPlugin)

class Setup : public QObject {
    Q_OBJECT

public slots:
    void applicationAvailable()
    {
        m_controller = std::make_unique<mailroom::Controller>(nullptr);
        mailroom::Controller::setInstance(m_controller.get());
        mailroom::RuntimeOptions options;
        options.schedulers = 2;
        m_controller->start(true, options);
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/")); // the static modules Mailroom and Mailroom.App
    }

    void cleanupTestCase() { m_controller.reset(); }

private:
    std::unique_ptr<mailroom::Controller> m_controller;
};

QUICK_TEST_MAIN_WITH_SETUP(mailroom_qml, Setup)

#include "main.moc"
