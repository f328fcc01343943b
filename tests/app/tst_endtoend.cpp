// SPDX-License-Identifier: MIT
// The real window, offscreen: click the Counter's cast and call buttons as a user would and
// check that the trace pane and the call-vs-cast panel saw both; save a screenshot.
#include "controller.h"
#include "windowtesting.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(MailroomPlugin)
Q_IMPORT_QML_PLUGIN(Mailroom_AppPlugin)

using namespace mailroom;
using mailroom::testing::findItem;

namespace {

bool traceHas(const TraceModel &trace, const QString &text)
{
    for (int r = 0; r < trace.rowCount(); ++r)
        if (trace.index(r).data(TraceModel::TextRole).toString().contains(text))
            return true;
    return false;
}

int barsOfKind(const CallModel &calls, const QString &kind, const QString &server = QStringLiteral("Counter"))
{
    int n = 0;
    for (int r = 0; r < calls.rowCount(); ++r)
        if (calls.index(r).data(CallModel::KindRole).toString() == kind
            && calls.index(r).data(CallModel::ServerNameRole).toString() == server)
            ++n;
    return n;
}

/// The part of `item` a user sees: its scene rectangle cut by the window and by every
/// ancestor that clips (a panel, a list, a scrolled stage).
QRectF shownPart(QQuickItem *item)
{
    QRectF shown(item->mapToScene(QPointF(0, 0)), item->size());
    shown &= QRectF(QPointF(0, 0), item->window()->size());
    for (QQuickItem *a = item->parentItem(); a != nullptr; a = a->parentItem())
        if (a->clip())
            shown &= QRectF(a->mapToScene(QPointF(0, 0)), a->size());
    return shown;
}

/// Empty when all of `item` is in sight; else what is cut, for the failure message.
QString cutOf(QQuickItem *item)
{
    const QRectF whole(item->mapToScene(QPointF(0, 0)), item->size());
    const QRectF shown = shownPart(item);
    if (whole.width() > 0 && whole.height() > 0 && shown.size() == whole.size())
        return {};
    return QStringLiteral("%1 (%2) at %3,%4 size %5x%6: %7x%8 of it in sight")
        .arg(item->objectName(), QString::fromLatin1(item->metaObject()->className()))
        .arg(whole.x())
        .arg(whole.y())
        .arg(whole.width())
        .arg(whole.height())
        .arg(shown.width())
        .arg(shown.height());
}

/// The visible items under `item` whose objectName starts with `prefix`.
QList<QQuickItem *> itemsNamed(QQuickItem *item, const QString &prefix)
{
    QList<QQuickItem *> found;
    if (!item->isVisible())
        return found;
    if (item->objectName().startsWith(prefix))
        found.append(item);
    for (QQuickItem *child : item->childItems())
        found += itemsNamed(child, prefix);
    return found;
}

} // namespace

class TestEndToEnd : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window's settings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("MailroomTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_endtoend"));
        // Splits another run left (another checkout's window, with other panels) would be restored.
        QSettings().clear();
    }

    void clickingACastAndACallShowsBoth()
    {
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);
        controller.setFreshProcess(false);

        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        // The default servers are on the stage.
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        // Settings of an earlier run may have switched it on; this test clicks in the shell.
        controller.setFreshProcess(false);

        const auto click = [&](const char *objectName) {
            QQuickItem *button = findItem(window->contentItem(), QLatin1String(objectName));
            QVERIFY2(button != nullptr, objectName);
            QTRY_VERIFY2(button->isVisible() && button->width() > 0,
                qPrintable(QStringLiteral("%1 at %2,%3 size %4x%5 in a %6x%7 window")
                               .arg(QLatin1String(objectName))
                               .arg(button->x())
                               .arg(button->y())
                               .arg(button->width())
                               .arg(button->height())
                               .arg(window->width())
                               .arg(window->height())));
            const QPointF centre = button->mapToScene(QPointF(button->width() / 2, button->height() / 2));
            QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        };
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        click("counterIncrement");
        click("counterGetCount");

        // Both lines ran in the shell and were echoed in the console.
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 2, 10000);
        QCOMPARE(evaluated.at(0).at(0).toString(), QStringLiteral("GenServer.cast(Counter, :increment)"));
        QCOMPARE(evaluated.at(1).at(0).toString(), QStringLiteral("GenServer.call(Counter, :get_count)"));
        QCOMPARE(
            evaluated.at(1).at(2).toString(), QStringLiteral("1")); // the call waited for the cast's work

        // The trace pane saw the server get both.
        const TraceModel &trace = *controller.trace();
        QTRY_VERIFY_WITH_TIMEOUT(
            traceHas(trace, QStringLiteral("*DBG* 'Elixir.Counter' got cast increment")), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            traceHas(trace, QStringLiteral("*DBG* 'Elixir.Counter' got call get_count from <0.")), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            traceHas(trace, QStringLiteral("*DBG* 'Elixir.Counter' sent 1 to <0.")), 5000);

        // The call-vs-cast panel has a bar for each: the call blocked about a second, the cast did not.
        const CallModel &calls = *controller.calls();
        QTRY_COMPARE_WITH_TIMEOUT(barsOfKind(calls, QStringLiteral("cast")), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(barsOfKind(calls, QStringLiteral("call")), 1, 5000);
        for (int r = 0; r < calls.rowCount(); ++r) {
            const QModelIndex bar = calls.index(r);
            if (bar.data(CallModel::ServerNameRole).toString() != QLatin1String("Counter"))
                continue;
            const double us = bar.data(CallModel::DurationUsRole).toDouble();
            if (bar.data(CallModel::IsCastRole).toBool())
                QVERIFY2(us >= 0 && us < 100'000, qPrintable(QString::number(us)));
            else
                QVERIFY2(us > 500'000, qPrintable(QString::number(us)));
        }

        // A screenshot of what the user saw.
        QTest::qWait(300);
        const QImage shot = window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString path = QCoreApplication::applicationDirPath() + QStringLiteral("/endtoend.png");
        QVERIFY(shot.save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

    // A GenServer the user writes in the console runs as the catalog's do: on the stage under its
    // name, in the trace pane and in the call-vs-cast panel.
    void aModuleDefinedInTheConsoleRunsLikeACatalogServer()
    {
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);

        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        controller.setFreshProcess(false);

        QSignalSpy evaluated(&controller, &Controller::evaluated);
        const QStringList entries{
            QStringLiteral("defmodule Tally do\n  use GenServer\n  def init(n), do: {:ok, n}\n"
                           "  def handle_cast(:add, n), do: {:noreply, n + 1}\n"
                           "  def handle_call(:get, _from, n), do: {:reply, n, n}\nend"),
            QStringLiteral("{:ok, _} = GenServer.start_link(Tally, 41, name: Tally)"),
            QStringLiteral(":sys.trace(Tally, true)"),
            QStringLiteral("GenServer.cast(Tally, :add)"),
            QStringLiteral("GenServer.call(Tally, :get)"),
        };
        for (const QString &entry : entries) {
            const int before = int(evaluated.count());
            controller.evaluate(entry);
            QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), before + 1, 10000);
            QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));
        }
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("42"));

        // On the stage under its name, in the trace pane, and a bar for each in the panel.
        QTRY_VERIFY_WITH_TIMEOUT(controller.processes()->pidNamed(QStringLiteral("Tally")) != 0, 5000);
        const TraceModel &trace = *controller.trace();
        QTRY_VERIFY_WITH_TIMEOUT(traceHas(trace, QStringLiteral("*DBG* 'Elixir.Tally' got cast add")), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(traceHas(trace, QStringLiteral("*DBG* 'Elixir.Tally' sent 42 to <0.")), 5000);
        const CallModel &calls = *controller.calls();
        QTRY_COMPARE_WITH_TIMEOUT(barsOfKind(calls, QStringLiteral("cast"), QStringLiteral("Tally")), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(barsOfKind(calls, QStringLiteral("call"), QStringLiteral("Tally")), 1, 5000);
    }

    // A module pasted into the console runs as one entry with the next Enter, and the server it
    // starts gets its card on the stage.
    void aModulePastedIntoTheConsoleGetsItsCard()
    {
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);

        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);

        QQuickItem *input = findItem(window->contentItem(), QStringLiteral("consoleInput"));
        QVERIFY(input != nullptr);
        input->forceActiveFocus();
        QTRY_VERIFY(input->hasActiveFocus());
        const QString module = QStringLiteral("defmodule Greeter do\n  use GenServer\n"
                                              "  def init(_), do: {:ok, 0}\n"
                                              "  def handle_cast(:hello, n), do: {:noreply, n + 1}\nend\n"
                                              "GenServer.start(Greeter, 0, name: Greeter)\n");
        QGuiApplication::clipboard()->setText(module);
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
        QTRY_COMPARE(input->property("text").toString(), module);
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QCOMPARE(evaluated.first().at(0).toString(), module.trimmed());
        QVERIFY2(evaluated.first().at(1).toBool(), qPrintable(evaluated.first().at(2).toString()));
        QCOMPARE(controller.console()->historyAt(0), module.trimmed());

        // Its card, on the stage, for the user to see.
        QTRY_VERIFY_WITH_TIMEOUT(findItem(window->contentItem(), QStringLiteral("card_Greeter")) != nullptr, 5000);
    }

    // The card of a module the learner wrote offers its clauses: a literal one sends its
    // message at a click, one with variables asks for their values in a small form.
    void aLearnersModuleOffersItsClausesOnItsCard()
    {
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);

        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);

        QSignalSpy evaluated(&controller, &Controller::evaluated);
        controller.evaluate(QStringLiteral("defmodule Namer do\n  use GenServer\n  def init(n), do: {:ok, n}\n"
                                           "  def handle_call(:name, _from, n), do: {:reply, n, n}\n"
                                           "  def handle_cast({:rename, name}, _n), do: {:noreply, name}\nend\n"
                                           "GenServer.start(Namer, \"Ann\", name: Namer)"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));

        const auto clickItem = [&](QQuickItem *item) {
            QVERIFY(item != nullptr);
            QTRY_VERIFY(item->isVisible() && item->width() > 0);
            const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
            QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        };
        const auto find = [&](const QString &name) { return findItem(window->contentItem(), name); };
        // The card menu is a popup: its items live in the window's overlay, under its root item.
        const auto findPopup = [&](const QString &name) { return findItem(window->contentItem(), name); };
        QTRY_VERIFY_WITH_TIMEOUT(find(QStringLiteral("card_Namer")) != nullptr, 5000);
        // Its card may land below what the stage shows: the pill takes the user there.
        QQuickItem *stage = find(QStringLiteral("stage"));
        QVERIFY(stage != nullptr);
        QQuickItem *card = find(QStringLiteral("card_Namer"));
        const auto cardInView = [&] {
            const QRectF onStage = card->mapRectToItem(stage, QRectF(0, 0, card->width(), card->height()));
            return onStage.top() >= 0 && onStage.bottom() <= stage->height();
        };
        for (int i = 0; i < 5 && !cardInView(); ++i) {
            clickItem(find(QStringLiteral("moreBelow")));
            QTest::qWait(400);
        }
        QTRY_VERIFY(cardInView());
        clickItem(card);
        QObject *menu = window->findChild<QObject *>(QStringLiteral("cardMenu"));
        QVERIFY(menu != nullptr);
        QTRY_VERIFY(menu->property("opened").toBool()); // opened, its transition over
        QTRY_VERIFY(findPopup(QStringLiteral("message_Namer_:name")) != nullptr);

        // The menu's buttons are laid out a frame after they appear: click them once placed.
        QTest::qWait(300);
        clickItem(findPopup(QStringLiteral("message_Namer_:name")));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 2, 10000);
        QCOMPARE(evaluated.last().at(0).toString(), QStringLiteral("GenServer.call(Namer, :name)"));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("\"Ann\""));

        clickItem(findPopup(QStringLiteral("message_Namer_{:rename, name}")));
        QQuickItem *field = nullptr;
        QTRY_VERIFY((field = findPopup(QStringLiteral("messageField_name"))) != nullptr);
        QQuickItem *send = findPopup(QStringLiteral("messageFormSend"));
        QVERIFY(send != nullptr);
        QTest::qWait(300); // the form is laid out a frame after it shows
        QVERIFY(!send->isEnabled()); // nothing typed yet
        clickItem(field);
        QTRY_VERIFY(field->hasActiveFocus());
        for (const char c : QByteArrayLiteral("\"Bob\""))
            QTest::keyClick(window, c);
        QTRY_VERIFY(send->isEnabled());
        clickItem(send);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 3, 10000);
        QCOMPARE(evaluated.last().at(0).toString(), QStringLiteral("GenServer.cast(Namer, {:rename, \"Bob\"})"));
        controller.evaluate(QStringLiteral("GenServer.call(Namer, :name)"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 4, 10000);
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("\"Bob\""));
    }

    void draggingTheDividerAboveTheTraceKeepsEveryPanelWhole()
    {
        QSettings().clear(); // the layout a run before left (this very drag) would be restored
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);
        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QQuickItem *bottom = findItem(window->contentItem(), QStringLiteral("bottomSplit"));
        QVERIFY(bottom != nullptr);
        QTRY_VERIFY(bottom->height() > 0);
        const double before = bottom->height();

        // Drag the handle just above the trace to the top of the window, as a user would.
        const QPoint handle = bottom->mapToScene(QPointF(bottom->width() / 3, -4)).toPoint();
        QTest::mousePress(window, Qt::LeftButton, {}, handle);
        for (int y = handle.y(); y > 20; y -= 40)
            QTest::mouseMove(window, QPoint(handle.x(), y));
        QTest::mouseMove(window, QPoint(handle.x(), 20));
        QTest::mouseRelease(window, Qt::LeftButton, {}, QPoint(handle.x(), 20));
        QTest::qWait(100);

        const auto top = [](QQuickItem *item) { return item->mapToScene(QPointF(0, 0)).y(); };
        const auto bottomOf = [](QQuickItem *item) { return item->mapToScene(QPointF(0, item->height())).y(); };
        const QRectF split(bottom->mapToScene(QPointF(0, 0)), bottom->size());
        // The panels above end above the trace, each at least as tall as its minimum.
        QQuickItem *counters = findItem(window->contentItem(), QStringLiteral("countersPanel"));
        QQuickItem *getLogs = findItem(window->contentItem(), QStringLiteral("loggerGetLogs"));
        QQuickItem *traceSwitch = findItem(window->contentItem(), QStringLiteral("traceViewSwitch"));
        QVERIFY(counters != nullptr && getLogs != nullptr && traceSwitch != nullptr);
        QVERIFY2(bottomOf(counters) <= top(traceSwitch),
            qPrintable(QStringLiteral("the Counters panel ends at %1, the Trace switch starts at %2")
                           .arg(bottomOf(counters))
                           .arg(top(traceSwitch))));
        QVERIFY2(bottomOf(getLogs) <= split.top(),
            qPrintable(QStringLiteral("get_logs ends at %1, the trace and console start at %2")
                           .arg(bottomOf(getLogs))
                           .arg(split.top())));
        QVERIFY(split.height() > before); // the drag did move the divider
    }

    // The smallest window (1024x700, its minimum) works: every control of the header, the
    // trace's filters, the Logger's list and reply, the File menu's entries whole and in sight,
    // and more than two cards on the stage. The screenshot is kept beside the test.
    void theSmallestWindowShowsEverythingWhole()
    {
        QSettings().clear(); // a layout or size a run before left would be restored
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);
        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        // On a small screen (the offscreen one is 800x800) the window opens no larger than the
        // screen's free area, or its minimum: a 1440x900 window there had its right side and
        // bottom off-screen.
        const QRect screen = window->screen()->availableGeometry();
        QVERIFY2(window->width() <= std::max(1024, screen.width()) && window->height() <= std::max(700, screen.height()),
            qPrintable(QStringLiteral("opened at %1x%2 on a %3x%4 screen")
                           .arg(window->width())
                           .arg(window->height())
                           .arg(screen.width())
                           .arg(screen.height())));
        window->resize(1024, 700);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_COMPARE(window->size(), QSize(1024, 700));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("AsyncLogger")) != 0);
        controller.setFreshProcess(false);
        QQuickItem *root = window->contentItem();
        const auto item = [&](const char *name) {
            QQuickItem *found = findItem(root, QLatin1String(name));
            if (found == nullptr)
                qWarning("no visible item %s", name);
            return found;
        };

        // A few lines for the Logger, and its get_logs reply.
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        controller.evaluate(QStringLiteral("Enum.each(1..6, fn i -> AsyncLogger.log(\"entry #{i}\") end)"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QQuickItem *getLogs = item("loggerGetLogs");
        QVERIFY(getLogs != nullptr);
        QTest::mouseClick(window, Qt::LeftButton, {},
            getLogs->mapToScene(QPointF(getLogs->width() / 2, getLogs->height() / 2)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(item("loggerReply") != nullptr, 10000);
        QTest::qWait(500); // the frames the layout needs to settle

        // Whole and in sight.
        for (const char *name : { "themeButton", "eventCounter", "fileButton", "paletteButton", "lessonsButton",
                 "freshProcessSwitch", "pauseWorldButton", "stepButton", "playheadLabel", "traceSearch",
                 "traceProcessFilter", "followTail", "syntaxSwitch", "traceViewSwitch", "quietCounters",
                 "clearExited", "resetLayout", "counterIncrement", "counterIncrement3", "counterGetCount",
                 "loggerField", "loggerLog", "loggerGetLogs", "loggerReply", "compareButton", "consoleInput" }) {
            QQuickItem *it = item(name);
            QVERIFY2(it != nullptr, name);
            const QString cut = cutOf(it);
            QVERIFY2(cut.isEmpty(), qPrintable(cut));
        }
        // The event counter says all it has to say.
        QQuickItem *counter = item("eventCounter");
        QVERIFY2(counter->width() + 0.5 >= counter->implicitWidth(),
            qPrintable(QStringLiteral("the event counter needs %1 px, has %2").arg(counter->implicitWidth()).arg(counter->width())));
        // Every category chip of the trace.
        const QList<QQuickItem *> chips = itemsNamed(root, QStringLiteral("category_"));
        QVERIFY(chips.size() >= 5);
        for (QQuickItem *chip : chips) {
            const QString cut = cutOf(chip);
            QVERIFY2(cut.isEmpty(), qPrintable(cut));
        }
        // The Logger's list shows several entries, its reply lies inside the panel.
        QQuickItem *entries = item("loggerEntries");
        QVERIFY(entries != nullptr);
        QVERIFY2(shownPart(entries).height() >= 2 * 21, // two entries at least
            qPrintable(QStringLiteral("the Logger's list is %1 px high").arg(shownPart(entries).height())));
        QQuickItem *logger = item("loggerPanel");
        QVERIFY(logger != nullptr);
        QQuickItem *reply = item("loggerReply");
        const QRectF panel(logger->mapToScene(QPointF(0, 0)), logger->size());
        QVERIFY2(panel.contains(QRectF(reply->mapToScene(QPointF(0, 0)), reply->size())),
            "the get_logs reply lies inside the Logger panel");
        // More than two cards on the stage in full.
        QQuickItem *stage = item("stage");
        QVERIFY(stage != nullptr);
        int whole = 0;
        for (QQuickItem *card : itemsNamed(stage, QStringLiteral("card_")))
            whole += cutOf(card).isEmpty() ? 1 : 0;
        QVERIFY2(whole >= 3, qPrintable(QStringLiteral("%1 cards in sight").arg(whole)));

        const QImage shot = window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString path = QCoreApplication::applicationDirPath() + QStringLiteral("/window-1024x700.png");
        QVERIFY(shot.save(path));
        qInfo("screenshot: %s", qPrintable(path));

        // The File menu: every entry whole, and no two alike.
        QQuickItem *fileButton = item("fileButton");
        QTest::mouseClick(window, Qt::LeftButton, {},
            fileButton->mapToScene(QPointF(fileButton->width() / 2, fileButton->height() / 2)).toPoint());
        QTRY_VERIFY(!itemsNamed(root, QStringLiteral("commandMenuItem")).isEmpty());
        QTest::qWait(300); // the menu's enter transition
        const QList<QQuickItem *> entriesOfMenu = itemsNamed(root, QStringLiteral("commandMenuItem"));
        QVERIFY(entriesOfMenu.size() >= 7);
        QStringList texts;
        for (QQuickItem *entry : entriesOfMenu) {
            const QString text = entry->property("text").toString();
            QVERIFY2(!texts.contains(text), qPrintable(text));
            texts.append(text);
            QVERIFY2(entry->implicitWidth() <= entry->width() + 0.5,
                qPrintable(QStringLiteral("\"%1\" needs %2 px, has %3").arg(text).arg(entry->implicitWidth()).arg(entry->width())));
            const QString cut = cutOf(entry);
            QVERIFY2(cut.isEmpty(), qPrintable(text + QStringLiteral(": ") + cut));
        }
        QTest::keyClick(window, Qt::Key_Escape);
    }

    // The window's commands answer their keys (Commands.qml): Ctrl+T shows the sequence chart,
    // Ctrl+N switches the new-process toggle and the controller with it, Ctrl+I casts to Counter.
    void theCommandsAnswerTheirShortcuts()
    {
        Controller controller(nullptr);
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);

        QQmlApplicationEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/"));
        engine.setInitialProperties({ { QStringLiteral("initialTheme"), QStringLiteral("dark") } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        QVERIFY(window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);

        QQuickItem *traceView = findItem(window->contentItem(), QStringLiteral("traceViewSwitch"));
        QVERIFY(traceView != nullptr);
        QCOMPARE(traceView->property("rightSelected").toBool(), false);
        QTest::keyClick(window, Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(traceView->property("rightSelected").toBool(), true);

        QQuickItem *fresh = findItem(window->contentItem(), QStringLiteral("freshProcessSwitch"));
        QVERIFY(fresh != nullptr);
        QTest::keyClick(window, Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(controller.freshProcess(), true);
        QCOMPARE(fresh->property("checked").toBool(), true);
        QTest::keyClick(window, Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(controller.freshProcess(), false);

        QSignalSpy evaluated(&controller, &Controller::evaluated);
        QTest::keyClick(window, Qt::Key_I, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QCOMPARE(evaluated.first().at(0).toString(), QStringLiteral("GenServer.cast(Counter, :increment)"));
    }
};

QTEST_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
