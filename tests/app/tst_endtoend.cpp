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
#include <cmath>

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

/// The trace lines wholly in sight in the trace list `list` (rows laid out but scrolled off,
/// or cut by the pane, do not count).
int wholeTraceLines(QQuickItem *list)
{
    const QRectF shown = shownPart(list);
    auto *content = list->property("contentItem").value<QQuickItem *>();
    int n = 0;
    for (QQuickItem *row : content->childItems())
        if (row->isVisible() && row->height() > 0
            && shown.contains(QRectF(row->mapToScene(QPointF(0, 0)), row->size())))
            ++n;
    return n;
}

/// A plain Item with nothing in it (a list's highlight holder): it shows nothing and takes no click.
bool isBare(QQuickItem *item)
{
    return item->childItems().isEmpty() && QByteArray(item->metaObject()->className()) == "QQuickItem";
}

/// Laid out: some size, and clear of every visible sibling at each level up to `upTo` (a Flow
/// or a layout places its children a frame after they appear, all at 0,0 until then).
bool placed(QQuickItem *item, QQuickItem *upTo)
{
    if (item->width() <= 0 || item->height() <= 0)
        return false;
    for (QQuickItem *it = item; it != upTo && it->parentItem() != nullptr; it = it->parentItem()) {
        const QRectF mine(it->position(), it->size());
        for (QQuickItem *sibling : it->parentItem()->childItems())
            if (sibling != it && sibling->isVisible() && sibling->width() > 0 && sibling->height() > 0
                && !isBare(sibling) && mine.intersects(QRectF(sibling->position(), sibling->size())))
                return false;
    }
    return true;
}

/// Types `text` key by key, as a user would (a newline is Return).
void typeText(QWindow *window, const QString &text)
{
    for (const QChar c : text) {
        if (c == u'\n')
            QTest::keyClick(window, Qt::Key_Return);
        else
            QTest::keyClick(window, c.toLatin1());
    }
}

/// A popup's content item, under which its buttons lie.
QQuickItem *contentOf(QObject *popup)
{
    return popup->property("contentItem").value<QQuickItem *>();
}

/// The real window over a real runtime with the servers shown on launch, as main() opens it;
/// `theme` empty: as the settings say. The engine goes before the controller (members in reverse).
struct Window {
    Controller controller{ nullptr };
    QQmlApplicationEngine engine;
    QQuickWindow *window = nullptr;

    explicit Window(const QString &theme = QStringLiteral("dark"))
    {
        Controller::setInstance(&controller);
        RuntimeOptions options;
        options.schedulers = 2;
        controller.start(true, options);
        engine.addImportPath(QStringLiteral("qrc:/"));
        if (!theme.isEmpty())
            engine.setInitialProperties({ { QStringLiteral("initialTheme"), theme } });
        engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
        if (engine.rootObjects().size() == 1)
            window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    }

    [[nodiscard]] QQuickItem *find(const QString &name) const { return findItem(window->contentItem(), name); }

    /// A click at the middle of `item`, as a user's.
    void click(QQuickItem *item) const
    {
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
    }

    /// A click on `item` once it is shown and laid out (a popup's button appears a frame later).
    void clickWhenShown(QQuickItem *item) const
    {
        QVERIFY(item != nullptr);
        QTRY_VERIFY(item->isVisible() && item->width() > 0);
        click(item);
    }
};

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
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
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
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
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
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
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

    // A runaway line in the shell (the console's default) blocks every later line until it is
    // interrupted: Ctrl+C in the console, or the Stop button on its entry, kills it, the entry
    // says so, and the next line runs. While it loops, the iex card shows it running.
    void aRunawayLineIsInterruptedByCtrlCOrStop()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
        window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);

        QQuickItem *input = findItem(window->contentItem(), QStringLiteral("consoleInput"));
        QVERIFY(input != nullptr);
        input->forceActiveFocus();
        QTRY_VERIFY(input->hasActiveFocus());
        const auto type = [&](const QString &line) {
            input->forceActiveFocus(); // as a click into the input would (Stop takes the focus)
            input->setProperty("text", line);
            QTest::keyClick(window, Qt::Key_Return);
        };
        const auto shellStatus = [&]() -> QString {
            const ProcessModel &processes = *controller.processes();
            for (int r = 0; r < processes.rowCount(); ++r)
                if (processes.index(r).data(ProcessModel::IsShellRole).toBool()
                    && !processes.index(r).data(ProcessModel::ExitedRole).toBool())
                    return processes.index(r).data(ProcessModel::StatusRole).toString();
            return {};
        };
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        type(QStringLiteral("x = 41"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);

        for (const bool viaButton : { false, true }) {
            evaluated.clear();
            type(QStringLiteral("f = fn f -> f.(f) end; f.(f)"));
            QTRY_COMPARE_WITH_TIMEOUT(shellStatus(), QStringLiteral("running"), 10000);
            type(QStringLiteral("x + 1")); // waits behind the loop
            QCOMPARE(controller.running(), 2);
            QVERIFY(evaluated.isEmpty());
            if (viaButton) {
                QList<QQuickItem *> stops;
                // Both lines run or wait (the second's entry may be laid out a frame later):
                // the loop's Stop is the first.
                QTRY_COMPARE_WITH_TIMEOUT(
                    (stops = itemsNamed(window->contentItem(), QStringLiteral("consoleLineStop"))).size(), qsizetype(2), 10000);
                QQuickItem *stop = stops.first();
                QVERIFY2(cutOf(stop).isEmpty(), qPrintable(cutOf(stop)));
                QTest::mouseClick(window, Qt::LeftButton, {},
                    stop->mapToScene(QPointF(stop->width() / 2, stop->height() / 2)).toPoint());
            } else {
                QTest::keyClick(window, Qt::Key_C, Qt::ControlModifier);
            }
            // Ctrl+C stops both lines; Stop only the loop, and the next line then runs.
            QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 2, 10000);
            QMap<QString, QString> answers; // code -> what its entry says
            for (const QList<QVariant> &answer : evaluated)
                answers.insert(answer.at(0).toString(), answer.at(2).toString());
            QCOMPARE(answers.value(QStringLiteral("f = fn f -> f.(f) end; f.(f)")), QStringLiteral("** (EXIT) interrupted"));
            QCOMPARE(answers.value(QStringLiteral("x + 1")), viaButton ? QStringLiteral("42") : QStringLiteral("** (EXIT) interrupted"));
            QCOMPARE(controller.running(), 0);
            QVERIFY(controller.console()->transcript().contains(QStringLiteral("** (EXIT) interrupted")));

            // The prompt is back: a new line runs, with the variables of the lines before.
            type(QStringLiteral("x + 2"));
            QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 3, 10000);
            QCOMPARE(evaluated.at(2).at(2).toString(), QStringLiteral("43"));
            QTRY_COMPARE_WITH_TIMEOUT(shellStatus(), QStringLiteral("waiting"), 10000);
        }
    }

    // The card of a module the learner wrote offers its clauses: a literal one sends its
    // message at a click, one with variables asks for their values in a small form.
    void aLearnersModuleOffersItsClausesOnItsCard()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
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

        // The card menu is a popup: its items live in the window's overlay, under its root item.
        const auto findPopup = [&](const QString &name) { return findItem(window->contentItem(), name); };
        QTRY_VERIFY_WITH_TIMEOUT(w.find(QStringLiteral("card_Namer")) != nullptr, 5000);
        // Its card lands in the next free slot, and the stage shows it.
        QQuickItem *stage = w.find(QStringLiteral("stage"));
        QVERIFY(stage != nullptr);
        QQuickItem *card = w.find(QStringLiteral("card_Namer"));
        const auto cardInView = [&] {
            const QRectF onStage = card->mapRectToItem(stage, QRectF(0, 0, card->width(), card->height()));
            return onStage.top() >= 0 && onStage.bottom() <= stage->height();
        };
        QTRY_VERIFY(cardInView());
        w.clickWhenShown(card);
        QObject *menu = window->findChild<QObject *>(QStringLiteral("cardMenu"));
        QVERIFY(menu != nullptr);
        QTRY_VERIFY(menu->property("opened").toBool()); // opened, its transition over
        QQuickItem *menuContent = contentOf(menu);
        QVERIFY(menuContent != nullptr);
        QQuickItem *nameButton = nullptr;
        QTRY_VERIFY((nameButton = findPopup(QStringLiteral("message_Namer_:name"))) != nullptr);

        // The menu's buttons are laid out a frame after they appear: click them once placed.
        QTRY_VERIFY(placed(nameButton, menuContent));
        w.clickWhenShown(nameButton);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 2, 10000);
        QCOMPARE(evaluated.last().at(0).toString(), QStringLiteral("GenServer.call(Namer, :name)"));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("\"Ann\""));

        w.clickWhenShown(findPopup(QStringLiteral("message_Namer_{:rename, name}")));
        QQuickItem *field = nullptr;
        QTRY_VERIFY((field = findPopup(QStringLiteral("messageField_name"))) != nullptr);
        QQuickItem *send = findPopup(QStringLiteral("messageFormSend"));
        QVERIFY(send != nullptr);
        QTRY_VERIFY(placed(field, menuContent) && placed(send, menuContent)); // laid out a frame after it shows
        QVERIFY(!send->isEnabled()); // nothing typed yet
        w.clickWhenShown(field);
        QTRY_VERIFY(field->hasActiveFocus());
        for (const char c : QByteArrayLiteral("\"Bob\""))
            QTest::keyClick(window, c);
        QTRY_VERIFY(send->isEnabled());
        w.clickWhenShown(send);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 3, 10000);
        QCOMPARE(evaluated.last().at(0).toString(), QStringLiteral("GenServer.cast(Namer, {:rename, \"Bob\"})"));
        controller.evaluate(QStringLiteral("GenServer.call(Namer, :name)"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 4, 10000);
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("\"Bob\""));
    }

    void draggingTheDividerAboveTheTraceKeepsEveryPanelWhole()
    {
        QSettings().clear(); // the layout a run before left (this very drag) would be restored
        Window w{ QString() }; // the theme as the settings say
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
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
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
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
        // And the trace shows enough lines to follow what happens (the panels above are at
        // their minimum: its filters and its switch must make the room).
        QQuickItem *traceList = item("traceList");
        QVERIFY(traceList != nullptr);
        QTRY_VERIFY2(wholeTraceLines(traceList) >= 8,
            qPrintable(QStringLiteral("%1 trace lines in sight, 8 wanted").arg(wholeTraceLines(traceList))));

        const QImage shot = window->grabWindow();
        QVERIFY(!shot.isNull());
        const QString path = QCoreApplication::applicationDirPath() + QStringLiteral("/window-1024x700.png");
        QVERIFY(shot.save(path));
        qInfo("screenshot: %s", qPrintable(path));

        // Every category chip of the trace, on the filters' line or under its Categories button.
        const int categories = int(controller.trace()->categoryNames().size());
        QVERIFY(categories >= 10);
        QQuickItem *categoriesButton = item("traceCategories");
        if (categoriesButton != nullptr) {
            QVERIFY2(cutOf(categoriesButton).isEmpty(), qPrintable(cutOf(categoriesButton)));
            w.click(categoriesButton);
        }
        QTRY_COMPARE(int(itemsNamed(root, QStringLiteral("category_")).size()), categories);
        QTest::qWait(300); // a popup's enter transition
        for (QQuickItem *chip : itemsNamed(root, QStringLiteral("category_"))) {
            const QString cut = cutOf(chip);
            QVERIFY2(cut.isEmpty(), qPrintable(cut));
        }
        if (categoriesButton != nullptr) {
            QTest::keyClick(window, Qt::Key_Escape);
            QTRY_VERIFY(itemsNamed(root, QStringLiteral("category_")).isEmpty());
        }
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

    // Every key the README lists does what it says, in the real window.
    void everyShortcutDoesWhatItSays()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);
        const auto key = [&](Qt::Key k, Qt::KeyboardModifiers modifiers = {}) {
            QTest::keyClick(window, k, modifiers);
        };
        const auto popupOpened = [&](const char *name) {
            QObject *popup = window->findChild<QObject *>(QLatin1String(name));
            return popup != nullptr && popup->property("opened").toBool();
        };
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        const auto evaluatedLine = [&](int i) { return evaluated.at(i).at(0).toString(); };

        // Ctrl+T: the sequence chart instead of the trace's lines, and back.
        QQuickItem *traceView = w.find(QStringLiteral("traceViewSwitch"));
        QVERIFY(traceView != nullptr);
        QCOMPARE(traceView->property("rightSelected").toBool(), false);
        key(Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(traceView->property("rightSelected").toBool(), true);
        key(Qt::Key_T, Qt::ControlModifier);
        QTRY_COMPARE(traceView->property("rightSelected").toBool(), false);

        // Ctrl+N: the new-process toggle, and the controller with it.
        QQuickItem *fresh = w.find(QStringLiteral("freshProcessSwitch"));
        QVERIFY(fresh != nullptr);
        key(Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(controller.freshProcess(), true);
        QCOMPARE(fresh->property("checked").toBool(), true);
        key(Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(controller.freshProcess(), false);

        // Ctrl+I casts :increment to Counter, Ctrl+G calls :get_count, in the shell.
        key(Qt::Key_I, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QCOMPARE(evaluatedLine(0), QStringLiteral("GenServer.cast(Counter, :increment)"));
        key(Qt::Key_G, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 2, 10000);
        QCOMPARE(evaluatedLine(1), QStringLiteral("GenServer.call(Counter, :get_count)"));
        QCOMPARE(evaluated.at(1).at(2).toString(), QStringLiteral("1"));

        // Ctrl+K compares: a cast, then a call, to Counter from new clients.
        key(Qt::Key_K, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 4, 10000);
        QCOMPARE(evaluatedLine(2), QStringLiteral("GenServer.cast(Counter, :increment)"));
        QCOMPARE(evaluatedLine(3), QStringLiteral("GenServer.call(Counter, :get_count)"));

        // Ctrl+P and Ctrl+E open the servers and the lessons; Escape closes them.
        key(Qt::Key_P, Qt::ControlModifier);
        QTRY_VERIFY(popupOpened("catalogPalette"));
        key(Qt::Key_Escape);
        QTRY_VERIFY(!popupOpened("catalogPalette"));
        key(Qt::Key_E, Qt::ControlModifier);
        QTRY_VERIFY(popupOpened("lessonsPopup"));
        key(Qt::Key_Escape);
        QTRY_VERIFY(!popupOpened("lessonsPopup"));

        // Ctrl+D switches the theme (the button offers the other one).
        QQuickItem *themeButton = w.find(QStringLiteral("themeButton"));
        QVERIFY(themeButton != nullptr);
        const QString darkText = themeButton->property("text").toString();
        key(Qt::Key_D, Qt::ControlModifier);
        QTRY_VERIFY(themeButton->property("text").toString() != darkText);
        key(Qt::Key_D, Qt::ControlModifier);
        QTRY_COMPARE(themeButton->property("text").toString(), darkText);

        // Ctrl+Shift+E shows the editor (hidden in a window this narrow) and hides it again.
        const bool editorShown = w.find(QStringLiteral("editorPane")) != nullptr;
        key(Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(w.find(QStringLiteral("editorPane")) != nullptr, !editorShown);
        key(Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(w.find(QStringLiteral("editorPane")) != nullptr, editorShown);

        // F5 pauses the world, F10 steps it (and says what the step did), F5 resumes.
        QSignalSpy notices(&controller, &Controller::notice);
        key(Qt::Key_F5);
        QTRY_VERIFY(controller.paused());
        key(Qt::Key_F10);
        QTRY_COMPARE(int(notices.count()), 1);
        key(Qt::Key_F5);
        QTRY_VERIFY(!controller.paused());

        // F6 freezes the views, ← and → move the playhead, Home goes to the start, End back live.
        EventBridge *bridge = controller.bridge();
        key(Qt::Key_F6);
        QTRY_VERIFY(!bridge->live());
        const uint64_t frozenAt = bridge->limitSeq();
        key(Qt::Key_Left);
        QTRY_COMPARE(bridge->limitSeq(), frozenAt - 1);
        key(Qt::Key_Right);
        QTRY_COMPARE(bridge->limitSeq(), frozenAt);
        key(Qt::Key_Home);
        QTRY_COMPARE(bridge->limitSeq(), bridge->firstSeq());
        key(Qt::Key_End);
        QTRY_VERIFY(bridge->live());
        key(Qt::Key_F6);
        QTRY_VERIFY(!bridge->live());
        key(Qt::Key_F6);
        QTRY_VERIFY(bridge->live());

        // Ctrl+End follows the trace's tail again once the user stopped it.
        QQuickItem *follow = w.find(QStringLiteral("followTail"));
        QVERIFY(follow != nullptr);
        w.click(follow);
        QTRY_COMPARE(follow->property("checked").toBool(), false);
        key(Qt::Key_End, Qt::ControlModifier);
        QTRY_COMPARE(follow->property("checked").toBool(), true);

        // Ctrl+F goes to the trace's search, Ctrl+L to the console's input.
        QQuickItem *search = w.find(QStringLiteral("traceSearch"));
        QQuickItem *input = w.find(QStringLiteral("consoleInput"));
        QVERIFY(search != nullptr && input != nullptr);
        key(Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(search->hasActiveFocus());
        key(Qt::Key_L, Qt::ControlModifier);
        QTRY_VERIFY(input->hasActiveFocus());

        // Ctrl+Shift+X clears the console's transcript.
        QVERIFY(controller.console()->rowCount() > 0);
        key(Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_COMPARE(controller.console()->rowCount(), 0);

        // Ctrl+O opens a recording's dialog, Ctrl+S the dialog that saves it.
        const auto dialogShown = [&](const QString &title) {
            for (QObject *dialog : window->findChildren<QObject *>())
                if (dialog->inherits("QQuickFileDialog") && dialog->property("title").toString() == title)
                    return dialog->property("visible").toBool();
            return false;
        };
        key(Qt::Key_O, Qt::ControlModifier);
        QTRY_VERIFY(dialogShown(QStringLiteral("Open a recording")));
        key(Qt::Key_Escape);
        QTRY_VERIFY(!dialogShown(QStringLiteral("Open a recording")));
        key(Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY(dialogShown(QStringLiteral("Save the recording")));
        key(Qt::Key_Escape);
        QTRY_VERIFY(!dialogShown(QStringLiteral("Save the recording")));
    }

    // What the window keeps between runs (the README's promise): its size, the panels' splits,
    // the theme, the trace's syntax and the editor shown. One window changes them and closes;
    // the next opens as it was left.
    void theWindowKeepsItsSettingsBetweenRuns()
    {
        QSettings().clear();
        QSize size(1300, 820);
        double bottomHeight = 0;
        QString themeText;
        {
            Window w;
            QVERIFY(w.window != nullptr);
            QVERIFY(QTest::qWaitForWindowExposed(w.window));
            w.window->resize(size);
            QTRY_COMPARE(w.window->size(), size);
            QTRY_VERIFY(w.controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
            QVERIFY(w.controller.trace()->erlangSyntax());

            // The light theme, Elixir's syntax, the editor shown.
            QQuickItem *themeButton = w.find(QStringLiteral("themeButton"));
            QVERIFY(themeButton != nullptr);
            const QString darkText = themeButton->property("text").toString();
            w.click(themeButton);
            QTRY_VERIFY(themeButton->property("text").toString() != darkText);
            themeText = themeButton->property("text").toString();
            QQuickItem *syntax = w.find(QStringLiteral("syntaxSwitch"));
            QVERIFY(syntax != nullptr);
            w.click(syntax);
            QTRY_VERIFY(!w.controller.trace()->erlangSyntax());
            if (w.find(QStringLiteral("editorPane")) == nullptr)
                w.click(w.find(QStringLiteral("editorToggle")));
            QTRY_VERIFY(w.find(QStringLiteral("editorPane")) != nullptr);

            // The divider above the trace, dragged 80 px down.
            QQuickItem *bottom = w.find(QStringLiteral("bottomSplit"));
            QVERIFY(bottom != nullptr);
            QTRY_VERIFY(bottom->height() > 0);
            const double before = bottom->height();
            const QPoint handle = bottom->mapToScene(QPointF(bottom->width() / 3, -4)).toPoint();
            QTest::mousePress(w.window, Qt::LeftButton, {}, handle);
            for (int dy = 10; dy <= 80; dy += 10)
                QTest::mouseMove(w.window, handle + QPoint(0, dy));
            QTest::mouseRelease(w.window, Qt::LeftButton, {}, handle + QPoint(0, 80));
            QTRY_VERIFY2(bottom->height() < before - 40,
                qPrintable(QStringLiteral("%1 px high before the drag, %2 after").arg(before).arg(bottom->height())));
            bottomHeight = bottom->height();
        } // closed: the window saves what it keeps

        Window w{ QString() }; // no theme on the command line: as it was left
        QVERIFY(w.window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        QCOMPARE(w.window->size(), size);
        QQuickItem *themeButton = w.find(QStringLiteral("themeButton"));
        QVERIFY(themeButton != nullptr);
        QCOMPARE(themeButton->property("text").toString(), themeText);
        QVERIFY(!w.controller.trace()->erlangSyntax());
        QTRY_VERIFY(w.find(QStringLiteral("editorPane")) != nullptr);
        QQuickItem *bottom = w.find(QStringLiteral("bottomSplit"));
        QVERIFY(bottom != nullptr);
        QTRY_VERIFY2(std::abs(bottom->height() - bottomHeight) <= 1,
            qPrintable(QStringLiteral("the trace and console were %1 px high, are %2").arg(bottomHeight).arg(bottom->height())));
        QSettings().clear(); // the next test opens the window as new
    }

    // Clicking a trace line selects its process: its card on the stage is marked.
    void selectingATraceLineHighlightsItsCard()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        w.window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        Controller &controller = w.controller;
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);
        const int counter = controller.processes()->pidNamed(QStringLiteral("Counter"));
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        controller.evaluate(QStringLiteral("GenServer.call(Counter, :get_count)"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        // Only Counter's lines, as its entry in the process filter shows them.
        controller.trace()->setPidFilter(counter);

        QQuickItem *card = w.find(QStringLiteral("card_Counter"));
        QVERIFY(card != nullptr);
        QCOMPARE(card->property("selected").toBool(), false);
        QQuickItem *list = w.find(QStringLiteral("traceList"));
        QVERIFY(list != nullptr);
        QQuickItem *line = nullptr;
        const auto counterLine = [&] {
            auto *content = list->property("contentItem").value<QQuickItem *>();
            for (QQuickItem *child : content->childItems())
                if (child->isVisible() && child->property("pid").toInt() == counter && cutOf(child).isEmpty())
                    return child;
            return static_cast<QQuickItem *>(nullptr);
        };
        QTRY_VERIFY_WITH_TIMEOUT((line = counterLine()) != nullptr, 5000);
        w.click(line);
        QTRY_COMPARE(card->property("selected").toBool(), true);
        QCOMPARE(controller.bridge()->selectedPid(), counter);
        // Another process's card is not.
        QQuickItem *logger = w.find(QStringLiteral("card_AsyncLogger"));
        QVERIFY(logger != nullptr);
        QCOMPARE(logger->property("selected").toBool(), false);
    }

    // What the console shows for a line typed in it: the real result below the line, and an
    // error (the exception and its message) marked as one.
    void theConsoleShowsRealResultsAndErrorsBelowTheirLines()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        Controller &controller = w.controller;
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);
        QQuickItem *input = w.find(QStringLiteral("consoleInput"));
        QQuickItem *transcript = w.find(QStringLiteral("consoleTranscript"));
        QVERIFY(input != nullptr && transcript != nullptr);
        w.click(input);
        QTRY_VERIFY(input->hasActiveFocus());
        const ConsoleModel &console = *controller.console();
        // The row after the input `code`: its kind and text.
        const auto answerTo = [&](const QString &code) -> std::pair<QString, QString> {
            for (int r = 0; r + 1 < console.rowCount(); ++r) {
                const QModelIndex in = console.index(r);
                if (in.data(ConsoleModel::KindRole).toString() == QLatin1String("input")
                    && in.data(ConsoleModel::TextRole).toString() == code
                    && !in.data(ConsoleModel::RunningRole).toBool()) {
                    const QModelIndex next = console.index(r + 1);
                    return { next.data(ConsoleModel::KindRole).toString(), next.data(ConsoleModel::TextRole).toString() };
                }
            }
            return {};
        };
        // A line of the transcript that the user sees: its delegate, whole in the view.
        const auto shown = [&](const QString &kind, const QString &text) {
            auto *content = transcript->property("contentItem").value<QQuickItem *>();
            for (QQuickItem *line : content->childItems())
                if (line->isVisible() && line->property("kind").toString() == kind
                    && line->property("text").toString().contains(text) && cutOf(line).isEmpty())
                    return true;
            return false;
        };
        const auto type = [&](const QString &code) {
            typeText(w.window, code);
            QTRY_COMPARE(input->property("text").toString(), code);
            QTest::keyClick(w.window, Qt::Key_Return);
        };

        type(QStringLiteral("Enum.map([1, 2, 3], fn x -> x * x end)"));
        QTRY_COMPARE_WITH_TIMEOUT(answerTo(QStringLiteral("Enum.map([1, 2, 3], fn x -> x * x end)")),
            std::make_pair(QStringLiteral("result"), QStringLiteral("[1, 4, 9]")), 10000);
        QTRY_VERIFY(shown(QStringLiteral("result"), QStringLiteral("[1, 4, 9]")));

        type(QStringLiteral("raise ArgumentError, \"no such thing\""));
        const QString raised = QStringLiteral("raise ArgumentError, \"no such thing\"");
        QTRY_COMPARE_WITH_TIMEOUT(answerTo(raised).first, QStringLiteral("error"), 10000);
        QVERIFY2(answerTo(raised).second.contains(QStringLiteral("(ArgumentError) no such thing")),
            qPrintable(answerTo(raised).second));
        QTRY_VERIFY(shown(QStringLiteral("error"), QStringLiteral("(ArgumentError) no such thing")));

        // A syntax error names where the parser stopped; the shell lives on.
        type(QStringLiteral("1 + )"));
        QTRY_COMPARE_WITH_TIMEOUT(answerTo(QStringLiteral("1 + )")).first, QStringLiteral("error"), 10000);
        QVERIFY2(answerTo(QStringLiteral("1 + )")).second.contains(QStringLiteral("iex:1:")),
            qPrintable(answerTo(QStringLiteral("1 + )")).second));
        type(QStringLiteral("GenServer.call(Counter, :get_count)"));
        QTRY_COMPARE_WITH_TIMEOUT(answerTo(QStringLiteral("GenServer.call(Counter, :get_count)")),
            std::make_pair(QStringLiteral("result"), QStringLiteral("0")), 10000);
    }

    // The Compare button of the Call vs cast panel sends a cast and a call to the server it
    // names, from two new clients, and the panel shows a bar for each.
    void theCompareButtonSendsACastAndACall()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        w.window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        Controller &controller = w.controller;
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        QQuickItem *compare = w.find(QStringLiteral("compareButton"));
        QVERIFY(compare != nullptr);
        QTRY_VERIFY(compare->isEnabled() && compare->width() > 0);
        w.click(compare);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 2, 10000);
        QCOMPARE(evaluated.at(0).at(0).toString(), QStringLiteral("GenServer.cast(Counter, :increment)"));
        QCOMPARE(evaluated.at(1).at(0).toString(), QStringLiteral("GenServer.call(Counter, :get_count)"));
        QCOMPARE(evaluated.at(1).at(2).toString(), QStringLiteral("1")); // behind the cast's work
        const CallModel &calls = *controller.calls();
        QTRY_COMPARE_WITH_TIMEOUT(barsOfKind(calls, QStringLiteral("cast")), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(barsOfKind(calls, QStringLiteral("call")), 1, 5000);
    }

    // A lesson opens its whole program in the editor; Run runs it: its server's card on the
    // stage, its output in the console, its answer. Changed and run again, it starts over from
    // the same state (the server an earlier run left is stopped, not counted on).
    void aLessonOpensInTheEditorAndRuns()
    {
        QSettings().clear();
        Window w;
        QVERIFY(w.window != nullptr);
        w.window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        Controller &controller = w.controller;
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);

        QQuickItem *lessonsButton = w.find(QStringLiteral("lessonsButton"));
        QVERIFY(lessonsButton != nullptr);
        w.click(lessonsButton);
        QObject *popup = w.window->findChild<QObject *>(QStringLiteral("lessonsPopup"));
        QVERIFY(popup != nullptr);
        QTRY_VERIFY(popup->property("opened").toBool());
        QQuickItem *lesson = nullptr;
        QTRY_VERIFY((lesson = w.find(QStringLiteral("lesson_0"))) != nullptr && placed(lesson, contentOf(popup)));
        w.click(lesson);
        QTRY_VERIFY(!popup->property("opened").toBool());

        // The program, whole, in the editor.
        QQuickItem *editor = nullptr;
        QTRY_VERIFY((editor = w.find(QStringLiteral("editorText"))) != nullptr);
        QTRY_COMPARE(editor->property("text").toString(), controller.lessons()->source(0));
        QVERIFY(controller.processes()->pidNamed(QStringLiteral("EventLog")) == 0); // opened, not run

        QSignalSpy evaluated(&controller, &Controller::evaluated);
        QQuickItem *run = w.find(QStringLiteral("editorRun"));
        QVERIFY(run != nullptr);
        w.click(run);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 15000);
        QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("[\"door opened\", \"parcel scanned\", \"door closed\"]"));
        QTRY_VERIFY_WITH_TIMEOUT(w.find(QStringLiteral("card_EventLog")) != nullptr, 5000);
        const auto printed = [&](const QString &text) {
            const ConsoleModel &console = *controller.console();
            for (int r = 0; r < console.rowCount(); ++r)
                if (console.index(r).data(ConsoleModel::KindRole).toString() == QLatin1String("output")
                    && console.index(r).data(ConsoleModel::TextRole).toString().contains(text))
                    return true;
            return false;
        };
        QTRY_VERIFY(printed(QStringLiteral("EventLog wrote: door closed")));
        const int first = controller.processes()->pidNamed(QStringLiteral("EventLog"));

        // The learner adds a line at the end and runs the buffer again: the lines are the
        // three of this run, not six.
        QTest::mouseClick(w.window, Qt::LeftButton, {}, shownPart(editor).center().toPoint()); // where it is in sight
        QTRY_VERIFY(editor->hasActiveFocus());
        QTest::keyClick(w.window, Qt::Key_End, Qt::ControlModifier);
        typeText(w.window, QStringLiteral("\nlength(EventLog.lines())"));
        QTRY_VERIFY(editor->property("text").toString().endsWith(QStringLiteral("length(EventLog.lines())")));
        QTest::keyClick(w.window, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 2, 15000);
        QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));
        QCOMPARE(evaluated.last().at(2).toString(), QStringLiteral("3"));
        QTRY_VERIFY(controller.processes()->valueOf(first, QStringLiteral("exited")).toBool()); // the earlier run's, stopped
    }

    // At launch the stage shows its top; a server the user's code starts later lands in the
    // next free slot, out of sight in a small window, and the stage scrolls to show it.
    void aNewServersCardComesIntoView()
    {
        QSettings().clear();
        Window w;
        QVERIFY(w.window != nullptr);
        w.window->resize(1024, 700);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        Controller &controller = w.controller;
        QQuickItem *scroll = w.find(QStringLiteral("stageScroll"));
        QVERIFY(scroll != nullptr);
        QSignalSpy scrolled(scroll, SIGNAL(contentYChanged()));
        QTRY_VERIFY(controller.ready());
        controller.setFreshProcess(false);
        for (const char *name : { "AsyncLogger", "Counter", "SlowServer", "Journal", "Receiver",
                 "IncrementingCounter", "DecrementingCounter" })
            QTRY_VERIFY(controller.processes()->pidNamed(QLatin1String(name)) != 0);
        QTRY_VERIFY(w.find(QStringLiteral("moreBelow")) != nullptr); // the launch fills more than the stage shows
        // A line through the shell: frames enough for any reveal of the launch to have begun.
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        controller.evaluate(QStringLiteral(":launched"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QTRY_VERIFY(w.find(QStringLiteral("card_iex")) != nullptr);
        QVERIFY(w.find(QStringLiteral("card_Counter")) != nullptr);
        QCOMPARE(int(scrolled.count()), 0); // the launch's top stays in view
        evaluated.clear();

        controller.evaluate(QStringLiteral("defmodule Spare do\n  use GenServer\n  def init(n), do: {:ok, n}\nend"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        for (const char *name : { "SpareA", "SpareB", "SpareC", "SpareD" }) {
            controller.evaluate(QStringLiteral("{:ok, _} = GenServer.start(Spare, 0, name: %1)").arg(QLatin1String(name)));
            const QString cardName = QStringLiteral("card_") + QLatin1String(name);
            QTRY_VERIFY_WITH_TIMEOUT(w.find(cardName) != nullptr, 10000);
            QQuickItem *card = w.find(cardName);
            QTRY_VERIFY2(cutOf(card).isEmpty(), qPrintable(cutOf(card)));
        }
    }

    void theTraceStaysUsefulBesideTheEditor_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("lines");
        QTest::addRow("1440x900") << QSize(1440, 900) << 10;
        QTest::addRow("1024x700") << QSize(1024, 700) << 8;
    }

    // With the editor open (as a lesson opens it) the trace still shows a useful number of
    // lines, its filters whole, and the editor and the console room for their own.
    void theTraceStaysUsefulBesideTheEditor()
    {
        QFETCH(QSize, size);
        QFETCH(int, lines);
        QSettings().clear();
        Window w;
        QVERIFY(w.window != nullptr);
        w.window->resize(size);
        QVERIFY(QTest::qWaitForWindowExposed(w.window));
        QTRY_COMPARE(w.window->size(), size);
        QTRY_VERIFY(w.controller.ready());
        if (w.find(QStringLiteral("editorPane")) == nullptr)
            QTest::keyClick(w.window, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(w.find(QStringLiteral("editorPane")) != nullptr);
        QTRY_VERIFY(w.find(QStringLiteral("editorPane"))->width() >= 250);
        QTest::qWait(300); // the frames the splits need to settle around it
        QQuickItem *list = w.find(QStringLiteral("traceList"));
        QVERIFY(list != nullptr);
        QTRY_VERIFY2(wholeTraceLines(list) >= lines,
            qPrintable(QStringLiteral("%1 trace lines in sight, %2 wanted").arg(wholeTraceLines(list)).arg(lines)));
        // The header's tools, the category chips (or the button that holds them when the line
        // has no room), and Copy and Save (or the one button that holds them).
        QList<QQuickItem *> filters = itemsNamed(w.window->contentItem(), QStringLiteral("category_"));
        for (const char *name : { "traceViewSwitch", "syntaxSwitch", "followTail", "traceSearch", "traceProcessFilter",
                 "traceCategories", "traceCopy", "traceSave", "traceMore" })
            if (QQuickItem *tool = w.find(QLatin1String(name)))
                filters.append(tool);
        QVERIFY(filters.size() >= 6);
        for (QQuickItem *filter : filters) {
            const QString cut = cutOf(filter);
            QVERIFY2(cut.isEmpty(), qPrintable(cut));
        }
        QQuickItem *editor = w.find(QStringLiteral("editorText"));
        QQuickItem *transcript = w.find(QStringLiteral("consoleTranscript"));
        QVERIFY(editor != nullptr && transcript != nullptr);
        QVERIFY2(shownPart(editor).height() >= 0, qPrintable(QString::number(shownPart(editor).height())));
        QVERIFY2(shownPart(transcript).height() >= 0, qPrintable(QString::number(shownPart(transcript).height())));
        const QImage shot = w.window->grabWindow();
        QVERIFY(shot.save(QCoreApplication::applicationDirPath()
            + QStringLiteral("/editor-%1x%2.png").arg(size.width()).arg(size.height())));
    }

    // A card opens its module's source: the clause that handles each message is highlighted,
    // a crash's line is marked, and scrubbing the timeline moves the highlight back.
    void aCardsSourceFollowsTheClauseThatRuns()
    {
        Window w;
        QVERIFY(w.window != nullptr);
        QQuickWindow *window = w.window;
        Controller &controller = w.controller;
        window->resize(1440, 900);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_VERIFY(controller.processes()->pidNamed(QStringLiteral("Counter")) != 0);
        controller.setFreshProcess(false);

        // Lines 4 (:get), 5 ({:add, k}) and 7 (:boom, which raises at line 8).
        QSignalSpy evaluated(&controller, &Controller::evaluated);
        controller.evaluate(QStringLiteral("defmodule Abacus do\n  use GenServer\n  def init(n), do: {:ok, n}\n"
                                           "  def handle_call(:get, _from, n), do: {:reply, n, n}\n"
                                           "  def handle_call({:add, k}, _from, n), do: {:reply, :ok, n + k}\n\n"
                                           "  def handle_call(:boom, _from, _n) do\n    raise \"boom\"\n  end\nend\n"
                                           "GenServer.start(Abacus, 0, name: Abacus)"));
        QTRY_COMPARE_WITH_TIMEOUT(int(evaluated.count()), 1, 10000);
        QVERIFY2(evaluated.last().at(1).toBool(), qPrintable(evaluated.last().at(2).toString()));

        QTRY_VERIFY_WITH_TIMEOUT(w.find(QStringLiteral("card_Abacus")) != nullptr, 5000);
        QQuickItem *stage = w.find(QStringLiteral("stage"));
        QVERIFY(stage != nullptr);
        QQuickItem *card = w.find(QStringLiteral("card_Abacus"));
        const auto cardInView = [&] {
            const QRectF onStage = card->mapRectToItem(stage, QRectF(0, 0, card->width(), card->height()));
            return onStage.top() >= 0 && onStage.bottom() <= stage->height();
        };
        for (int i = 0; i < 5 && !cardInView(); ++i) {
            w.clickWhenShown(w.find(QStringLiteral("moreBelow")));
            QTest::qWait(400);
        }
        QTRY_VERIFY(cardInView());
        w.clickWhenShown(card);
        QObject *menu = window->findChild<QObject *>(QStringLiteral("cardMenu"));
        QVERIFY(menu != nullptr);
        QTRY_VERIFY(menu->property("opened").toBool());
        QTest::qWait(300); // the menu's buttons are laid out a frame after they appear
        w.clickWhenShown(w.find(QStringLiteral("sourceButton")));
        QObject *view = window->findChild<QObject *>(QStringLiteral("sourceView"));
        QVERIFY(view != nullptr);
        QTRY_VERIFY(view->property("opened").toBool());
        QTRY_VERIFY(!menu->property("visible").toBool());
        QCOMPARE(view->property("module").toString(), QStringLiteral("Abacus"));
        QQuickItem *text = w.find(QStringLiteral("sourceText"));
        QVERIFY(text != nullptr);
        QVERIFY(text->property("text").toString().startsWith(QStringLiteral("defmodule Abacus do\n")));
        // Hidden until there is something to show: found through the object tree.
        auto *band = window->findChild<QQuickItem *>(QStringLiteral("sourceClauseHighlight"));
        auto *crash = window->findChild<QQuickItem *>(QStringLiteral("sourceCrashMark"));
        QVERIFY(band != nullptr && crash != nullptr);
        QVERIFY(!band->isVisible());
        // The band's first line, as drawn over the text.
        const auto bandLine = [&] {
            const double lineHeight = text->property("lineHeight").toDouble();
            return int(std::lround((band->y() - text->property("topPadding").toDouble()) / lineHeight)) + 1;
        };

        controller.evaluate(QStringLiteral("GenServer.call(Abacus, :get)"));
        QTRY_VERIFY_WITH_TIMEOUT(band->isVisible(), 5000);
        QTRY_COMPARE(bandLine(), 4);
        const double afterGet = controller.bridge()->property("lastSeq").toDouble();
        controller.evaluate(QStringLiteral("GenServer.call(Abacus, {:add, 2})"));
        QTRY_COMPARE_WITH_TIMEOUT(bandLine(), 5, 5000);
        QVERIFY(!crash->isVisible());
        controller.evaluate(QStringLiteral("spawn(fn -> GenServer.call(Abacus, :boom) end)"));
        QTRY_VERIFY_WITH_TIMEOUT(crash->isVisible(), 5000);
        QCOMPARE(view->property("crashLine").toInt(), 8);
        QCOMPARE(bandLine(), 7);

        // Back to just after the first call: its clause again, and no crash yet.
        QMetaObject::invokeMethod(controller.bridge(), "seek", Q_ARG(double, afterGet));
        QTRY_COMPARE_WITH_TIMEOUT(bandLine(), 4, 5000);
        QVERIFY(!crash->isVisible());
        QMetaObject::invokeMethod(controller.bridge(), "goLive");
        QTRY_VERIFY_WITH_TIMEOUT(crash->isVisible(), 5000);
        QCOMPARE(bandLine(), 7);
    }
};

QTEST_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"
