#include "controller.h"

#include "catalog.h"
#include "session.h"

#include <QJSEngine>
#include <QQmlEngine>
#include <utility>

namespace mailroom {

namespace {
Controller *g_instance = nullptr; // set by main() or a test; QML never owns it
} // namespace

Controller::Controller(QObject *parent, std::optional<size_t> historyBudget)
    : QObject(parent)
    , m_bridge(historyBudget ? std::make_unique<EventBridge>(nullptr, *historyBudget)
                             : std::make_unique<EventBridge>())
    , m_processes(new ProcessModel(this))
    , m_trace(new TraceModel(this))
    , m_calls(new CallModel(this))
    , m_callStats(new CallStatsModel(this))
    , m_flights(new InFlightModel(this))
    , m_timers(new TimerModel(this))
    , m_console(new ConsoleModel(this))
    , m_catalog(new CatalogModel(this))
    , m_lessons(new LessonModel(this))
{
    for (BridgedModel *model : std::initializer_list<BridgedModel *> {
             m_processes, m_trace, m_calls, m_callStats, m_flights, m_timers, m_console })
        model->setBridge(m_bridge.get());
}

Controller::~Controller()
{
    m_bridge->stop();
    m_bridge->attach(nullptr);
    if (m_starter.joinable())
        m_starter.join();
    m_session.reset(); // stops every process; late callbacks only post to the bridge
    if (g_instance == this)
        g_instance = nullptr;
}

void Controller::setInstance(Controller *controller)
{
    g_instance = controller;
}

Controller *Controller::create(QQmlEngine * /*qmlEngine*/, QJSEngine * /*jsEngine*/)
{
    Q_ASSERT_X(g_instance != nullptr, "Controller::create", "main() sets the instance before loading QML");
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void Controller::start(bool defaultServers, RuntimeOptions options)
{
    if (m_session)
        return;
    // What processes print is recorded as events (the console shows it from there).
    if (!options.output)
        options.output = [](Pid, std::string_view) {};
    if (!options.errorReport) {
        EventBridge *bridge = m_bridge.get();
        options.errorReport = [bridge, this](std::string_view text) {
            QString report = QString::fromUtf8(text.data(), qsizetype(text.size())).trimmed();
            bridge->post([this, report] { m_console->appendError(report); });
        };
    }
    m_session = std::make_unique<Session>(std::move(options));
    m_bridge->attach(&m_session->runtime());
    connect(m_bridge.get(), &EventBridge::updated, this,
        [this] { m_bridge->setShellPid(int(m_session->shell().number)); });
    if (defaultServers) {
        // Lines submitted meanwhile (a script from the command line) wait for the servers.
        m_starter = std::thread([session = m_session.get(), bridge = m_bridge.get(), this] {
            session->startDefaultServers();
            bridge->post([this] {
                m_ready = true;
                for (Waiting &w : std::exchange(m_waiting, {}))
                    submit(w.code, w.freshProcess, w.fileName, std::move(w.then));
            });
        });
    } else {
        m_ready = true;
    }
    m_bridge->pump(true);
    m_bridge->start();
    emit startedChanged();
}

void Controller::setFreshProcess(bool fresh)
{
    if (m_freshProcess == fresh)
        return;
    m_freshProcess = fresh;
    emit freshProcessChanged();
}

void Controller::evaluate(const QString &code)
{
    run(code, m_freshProcess);
}

void Controller::evaluateIn(const QString &code, bool freshProcess)
{
    run(code, freshProcess);
}

void Controller::run(
    const QString &code, bool freshProcess, const QString &fileName, std::function<void()> then)
{
    if (code.trimmed().isEmpty())
        return;
    if (!m_session) {
        m_console->appendError(QStringLiteral("The runtime is not running."));
        return;
    }
    m_console->appendInput(code, freshProcess);
    ++m_running;
    emit runningChanged();
    if (!m_ready) {
        m_waiting.push_back({ code, freshProcess, fileName, std::move(then) });
        return;
    }
    submit(code, freshProcess, fileName, std::move(then));
}

void Controller::submit(
    const QString &code, bool freshProcess, const QString &fileName, std::function<void()> then)
{
    EventBridge *bridge = m_bridge.get();
    m_session->evaluate(
        code.toStdString(), freshProcess,
        [bridge, this, code, then = std::move(then)](const EvalResult &result) {
            // A runtime thread: hand the result to the GUI thread through the bridge.
            bridge->post([this, code, result, then] {
                m_bridge->reducer().noteEvaluation(result.pid, result.startedNs, result.finishedNs);
                const QString text = QString::fromStdString(result.text);
                m_console->appendResult(text, result.ok, result.finishedNs);
                --m_running;
                emit runningChanged();
                emit evaluated(code, result.ok, text, double(result.finishedNs - result.startedNs) / 1e3);
                if (then)
                    then();
            });
        },
        fileName.toStdString());
}

QString Controller::targetOf(int pid) const
{
    const ProcessRecord *p = m_bridge->view().process(Pid { uint32_t(pid) });
    if (p != nullptr && p->name)
        return QString::fromStdString(nameText(*p->name));
    return QStringLiteral("pid(\"0.%1.0\")").arg(pid);
}

QString Controller::moduleOf(int pid) const
{
    const ProcessRecord *p = m_bridge->view().process(Pid { uint32_t(pid) });
    return p != nullptr ? QString::fromStdString(p->module) : QString();
}

void Controller::sendSpec(const QString &code, int pid)
{
    QString line = code;
    line.replace(QStringLiteral("{server}"), targetOf(pid));
    evaluate(line);
}

void Controller::sendPlain(int pid, const QString &message)
{
    evaluate(QStringLiteral("send(%1, %2)").arg(targetOf(pid), message.trimmed()));
}

void Controller::compare(const QString &server)
{
    const CatalogEntry *entry = findCatalogEntry(server.toStdString());
    QString castCode;
    QString callCode;
    if (entry != nullptr) {
        for (const MessageSpec &m : entry->messages) {
            if (m.kind == MessageKind::Cast && castCode.isEmpty())
                castCode = QString::fromStdString(m.code);
            if (m.kind == MessageKind::Call && callCode.isEmpty())
                callCode = QString::fromStdString(m.code);
        }
    }
    if (castCode.isEmpty() && callCode.startsWith(QStringLiteral("GenServer.call("))) {
        // No cast in its API (SlowServer): the same request as a plain fire-and-forget message.
        castCode = callCode;
        castCode.replace(QStringLiteral("GenServer.call("), QStringLiteral("send("));
    }
    if (castCode.isEmpty() || callCode.isEmpty()) {
        m_console->appendError(QStringLiteral("%1 has no call and cast to compare.").arg(server));
        return;
    }
    const ProcessRecord *p = m_bridge->view().processNamed(server.toStdString());
    const QString target = p != nullptr ? targetOf(int(p->pid.number)) : server;
    castCode.replace(QStringLiteral("{server}"), target);
    callCode.replace(QStringLiteral("{server}"), target);
    // The call starts the moment the cast has returned (microseconds later), so it always
    // queues behind the cast's work: two clients at once, in a known order.
    run(castCode, true, QStringLiteral("iex"), [this, callCode] { run(callCode, true); });
}

void Controller::startServer(const QString &module)
{
    const QString code = m_catalog->startCode(module);
    if (!code.isEmpty())
        evaluate(code);
}

void Controller::runLesson(int row)
{
    const QString source = m_lessons->source(row);
    if (source.isEmpty())
        return;
    m_console->appendNote(QStringLiteral("Lesson: ") + m_lessons->title(row));
    run(source, false, m_lessons->data(m_lessons->index(row), LessonModel::FileRole).toString());
}

void Controller::runScript(const QString &source, const QString &fileName)
{
    run(source, false, fileName);
}

void Controller::getState(int pid)
{
    evaluate(QStringLiteral(":sys.get_state(%1)").arg(targetOf(pid)));
}

void Controller::suspend(int pid)
{
    evaluate(QStringLiteral(":sys.suspend(%1)").arg(targetOf(pid)));
}

void Controller::resume(int pid)
{
    evaluate(QStringLiteral(":sys.resume(%1)").arg(targetOf(pid)));
}

void Controller::setTraced(int pid, bool on)
{
    evaluate(QStringLiteral(":sys.trace(%1, %2)")
                 .arg(targetOf(pid), on ? QStringLiteral("true") : QStringLiteral("false")));
}

void Controller::stop(int pid)
{
    evaluate(QStringLiteral("GenServer.stop(%1)").arg(targetOf(pid)));
}

void Controller::kill(int pid)
{
    // Process.exit/2 takes a pid, not a name.
    const QString target = targetOf(pid);
    const bool named = !target.startsWith(QStringLiteral("pid("));
    evaluate(QStringLiteral("Process.exit(%1, :kill)")
                 .arg(named ? QStringLiteral("Process.whereis(%1)").arg(target) : target));
}

} // namespace mailroom
