// SPDX-License-Identifier: MIT
// The Qt Quick app: `mailroom [FILE.exs | RECORDING.jsonl] [--size WxH] [--screenshot OUT.png --quit-after MS]`.
#include "controller.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIcon>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(MailroomPlugin)
Q_IMPORT_QML_PLUGIN(Mailroom_AppPlugin)

namespace {

/// Loads the module's Main.qml: the one place to change for Qt 6.5's loadFromModule.
void loadMain(QQmlApplicationEngine &engine)
{
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.load(QUrl(QStringLiteral("qrc:/Mailroom/Main.qml")));
}

QQuickWindow *mainWindow(const QQmlApplicationEngine &engine)
{
    const auto roots = engine.rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first());
}

/// On an OpenGL without a GPU (llvmpipe, as under Xvfb or on a server) Qt Quick redraws the
/// whole window every frame, which the ticking counters' animations turn into cores of CPU;
/// Qt Quick's own software renderer redraws only what changed. QT_QUICK_BACKEND overrides.
void preferSoftwareWithoutGpu()
{
    if (qEnvironmentVariableIsSet("QT_QUICK_BACKEND") || qEnvironmentVariableIsSet("QSG_RHI_BACKEND"))
        return;
    QOffscreenSurface surface;
    surface.create();
    QOpenGLContext context;
    bool software = !context.create() || !context.makeCurrent(&surface);
    if (!software) {
        const auto *name = reinterpret_cast<const char *>(context.functions()->glGetString(GL_RENDERER));
        const QByteArray renderer = QByteArray(name != nullptr ? name : "").toLower();
        software = renderer.contains("llvmpipe") || renderer.contains("softpipe")
            || renderer.contains("swrast") || renderer.contains("software");
        context.doneCurrent();
    }
    if (software)
        QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
}

/// --help and --version print and exit: they need no display, so a terminal without one works.
bool onlyPrints(int argc, char *argv[]) // NOLINT(modernize-avoid-c-arrays): main's own signature
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv))
        qputenv("QT_QPA_PLATFORM", "minimal");
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("Mailroom"));
    QGuiApplication::setOrganizationName(QStringLiteral("Mailroom"));
    QGuiApplication::setApplicationVersion(QStringLiteral(MAILROOM_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.mailroom.Mailroom"));
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/mailroom.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "See how actors talk: messages fly into GenServer mailboxes, calls block, casts return."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
        QStringLiteral("A script (.exs) to run in the shell, or a recording (.jsonl, see docs/events.md) to "
                       "replay."),
        QStringLiteral("[FILE.exs | RECORDING.jsonl]"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window to OUT.png (after --quit-after) and exit."),
        QStringLiteral("OUT.png"));
    const QCommandLineOption quitAfter(
        QStringLiteral("quit-after"), QStringLiteral("Exit after MS milliseconds."), QStringLiteral("MS"));
    const QCommandLineOption theme(QStringLiteral("theme"),
        QStringLiteral("Start with the dark or light theme."), QStringLiteral("dark|light"));
    const QCommandLineOption noServers(QStringLiteral("no-default-servers"),
        QStringLiteral("Do not start the catalog servers shown on launch."));
    const QCommandLineOption beam(QStringLiteral("beam"),
        QStringLiteral("Run FILE.exs in real elixir and show it live (docs/beam.md)."), QStringLiteral("FILE.exs"));
    const QCommandLineOption attach(QStringLiteral("attach"),
        QStringLiteral("Watch the running node NAME@HOST live (with --cookie; docs/beam.md)."),
        QStringLiteral("NAME@HOST"));
    const QCommandLineOption cookie(
        QStringLiteral("cookie"), QStringLiteral("The cookie of the node --attach watches."), QStringLiteral("C"));
    const QCommandLineOption procs(QStringLiteral("procs"),
        QStringLiteral("What --attach watches: names, pids, app:NAME, sup:NAME, comma-separated (default: every "
                       "registered process outside OTP and Elixir)."),
        QStringLiteral("LIST"));
    const QCommandLineOption messagesOnly(QStringLiteral("messages-only"),
        QStringLiteral("With --beam or --attach: watch sends, receives and processes, without a GenServer's "
                       "handler events and states (half the tracing cost on the node)."));
    const QCommandLineOption size(QStringLiteral("size"),
        QStringLiteral("Open the window at this size (instead of the one it had last time)."), QStringLiteral("WxH"));
    parser.addOptions({ screenshot, quitAfter, theme, noServers, beam, attach, cookie, procs, messagesOnly, size });
    parser.process(app);
    if (parser.isSet(attach) && !parser.isSet(cookie)) {
        std::fprintf(stderr, "mailroom: --attach needs --cookie, the watched node's cookie\n");
        return 2;
    }
    if (parser.isSet(messagesOnly) && !parser.isSet(beam) && !parser.isSet(attach)) {
        std::fprintf(stderr, "mailroom: --messages-only is for --beam and --attach\n");
        return 2;
    }

    QString script;
    QString scriptName;
    QString recording;
    if (!parser.positionalArguments().isEmpty()
        && parser.positionalArguments().first().endsWith(QStringLiteral(".jsonl"))) {
        recording = parser.positionalArguments().first();
    } else if (!parser.positionalArguments().isEmpty()) {
        const QString path = parser.positionalArguments().first();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            std::fprintf(
                stderr, "mailroom: cannot open %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
            return 2;
        }
        script = QString::fromUtf8(file.readAll());
        scriptName = QFileInfo(path).fileName();
    }
    bool quitOk = true;
    const int quitAfterMs = parser.isSet(quitAfter) ? parser.value(quitAfter).toInt(&quitOk) : -1;
    if (!quitOk || (parser.isSet(screenshot) && quitAfterMs < 0)) {
        std::fprintf(stderr, "mailroom: --screenshot needs --quit-after MS (a number of milliseconds)\n");
        return 2;
    }

    QSize windowSize;
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        bool wOk = false;
        bool hOk = false;
        if (wh.size() == 2)
            windowSize = QSize(wh[0].toInt(&wOk), wh[1].toInt(&hOk));
        if (!wOk || !hOk || windowSize.isEmpty()) {
            std::fprintf(stderr, "mailroom: --size needs WIDTHxHEIGHT, such as 1024x700\n");
            return 2;
        }
    }

    QQuickStyle::setStyle(QStringLiteral("Basic"));
    preferSoftwareWithoutGpu();

    mailroom::Controller controller(nullptr);
    mailroom::Controller::setInstance(&controller);
    controller.start(!parser.isSet(noServers));

    QQmlApplicationEngine engine;
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    QVariantMap initial;
    if (parser.isSet(theme))
        initial.insert(QStringLiteral("initialTheme"), parser.value(theme));
    if (windowSize.isValid()) { // from the start, for what the window lays out by its size
        initial.insert(QStringLiteral("width"), windowSize.width());
        initial.insert(QStringLiteral("height"), windowSize.height());
    }
    engine.setInitialProperties(initial);
    loadMain(engine);
    if (engine.rootObjects().isEmpty())
        return 1;
    if (QQuickWindow *window = mainWindow(engine); window != nullptr && windowSize.isValid())
        window->resize(windowSize); // after the settings restored last time's size

    if (!script.isEmpty())
        controller.runScript(script, scriptName);
    controller.setBeamMessagesOnly(parser.isSet(messagesOnly));
    if (parser.isSet(beam) && !controller.watchBeam(QFileInfo(parser.value(beam)).absoluteFilePath())) {
        std::fprintf(stderr, "mailroom: --beam needs elixir on PATH and the built tracer (docs/beam.md)\n");
        return 2;
    }
    if (parser.isSet(attach)) {
        // Whether it attached is told in the window (a notice), as from File → Attach to a node….
        if (!controller.attachNode(parser.value(attach), parser.value(cookie), parser.value(procs))) {
            std::fprintf(stderr, "mailroom: --attach needs elixir on PATH and the built tracer (docs/beam.md)\n");
            return 2;
        }
    }
    if (!recording.isEmpty()) {
        QObject::connect(
            &controller, &mailroom::Controller::fileDone, &app, [](bool ok, const QString &message) {
                if (!ok)
                    std::fprintf(stderr, "mailroom: %s\n", qPrintable(message));
            });
        controller.openRecording(QUrl::fromLocalFile(QFileInfo(recording).absoluteFilePath()));
    }

    if (quitAfterMs >= 0) {
        const QString out = parser.value(screenshot);
        QTimer::singleShot(quitAfterMs, &app, [&engine, out] {
            int code = 0;
            if (!out.isEmpty()) {
                QQuickWindow *window = mainWindow(engine);
                const QImage image = window != nullptr ? window->grabWindow() : QImage();
                if (image.isNull() || !image.save(out)) {
                    std::fprintf(stderr, "mailroom: could not save the screenshot to %s\n", qPrintable(out));
                    code = 1;
                }
            }
            QCoreApplication::exit(code);
        });
    }
    return QGuiApplication::exec();
}
