// SPDX-License-Identifier: MIT
#include "controller.h"

#include "beamrun.h"
#include "localpath.h"
#include "script/catalog.h"
#include "session.h"
#include "term_inspect.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJSEngine>
#include <QQmlEngine>
#include <QTimer>
#include <algorithm>
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
    , m_nodeProcesses(new NodeProcessModel(this))
{
    m_console->setBridge(m_bridge.get()); // the console talks to the runtime, whatever is shown
    follow(m_bridge.get());
}

void Controller::follow(EventBridge *bridge)
{
    for (BridgedModel *model : std::initializer_list<BridgedModel *>{
             m_processes, m_trace, m_calls, m_callStats, m_flights, m_timers })
        model->setBridge(bridge);
}

Controller::~Controller()
{
    m_beamCancel = true;
    if (m_beamReader.joinable())
        m_beamReader.join();
    if (m_nodeLister.joinable())
        m_nodeLister.join();
    m_loader.reset();
    m_saver.reset();
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
            // Written by the crashing process: shown after what was printed before it.
            Runtime *rt = Runtime::current();
            const int64_t at = rt != nullptr ? rt->clock().now() : 0;
            bridge->post([this, report, at] { m_console->appendReport(report, at); });
        };
    }
    m_session = std::make_unique<Session>(std::move(options));
    m_bridge->attach(&m_session->runtime());
    connect(m_bridge.get(), &EventBridge::updated, this, [this] {
        m_bridge->setShellPid(int(m_session->shell().number));
        noticeStalledStep();
    });
    if (defaultServers) {
        // Lines submitted meanwhile (a script from the command line) wait for the servers.
        m_starter = std::thread([session = m_session.get(), bridge = m_bridge.get(), this] {
            session->startDefaultServers();
            bridge->post([this] {
                m_ready = true;
                for (Waiting &w : std::exchange(m_waiting, {}))
                    submit(w.code, w.prompt, w.freshProcess, w.fileName, std::move(w.then), w.firstLine,
                        w.firstColumn);
                // Told once this frame's events are on the views (the models sync after the
                // posted tasks), so that the launch's own cards come before it.
                QTimer::singleShot(0, this, &Controller::readyChanged);
            });
        });
    } else {
        m_ready = true;
        emit readyChanged();
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
    const QString &code, bool freshProcess, const QString &fileName, Then then, int firstLine, int firstColumn)
{
    if (code.trimmed().isEmpty())
        return;
    if (m_nodeConsole && m_beamRunning) {
        // On the watched node, through the hidden node (Code.eval_string there); the answer
        // comes back with the record (attachNode's onReply).
        const int prompt = m_console->appendInput(code, false);
        m_nodePrompts.push_back({ prompt, code, std::move(then) });
        ++m_running;
        emit runningChanged();
        m_nodeConsole->submit(prompt, code.toStdString(), fileName.toStdString());
        return;
    }
    if (!m_session) {
        m_console->appendError(QStringLiteral("The runtime is not running."));
        return;
    }
    if (m_replay) {
        m_console->appendError(QStringLiteral("A recording is open (read-only): close it to run code."));
        return;
    }
    const int prompt = m_console->appendInput(code, freshProcess);
    ++m_running;
    emit runningChanged();
    if (!m_ready) {
        m_waiting.push_back({ code, prompt, freshProcess, fileName, std::move(then), firstLine, firstColumn });
        return;
    }
    submit(code, prompt, freshProcess, fileName, std::move(then), firstLine, firstColumn);
}

void Controller::submit(const QString &code, int prompt, bool freshProcess, const QString &fileName, Then then,
    int firstLine, int firstColumn)
{
    EventBridge *bridge = m_bridge.get();
    if (!freshProcess) {
        ++m_shellLines;
        m_bridge->setShellBusy(true);
    }
    const uint64_t id = m_session->evaluate(
        code.toStdString(), freshProcess,
        [bridge, this, code, prompt, freshProcess, then = std::move(then)](const EvalResult &result) {
            // A runtime thread: hand the result to the GUI thread through the bridge.
            bridge->post([this, code, prompt, freshProcess, result, then] {
                m_evaluations.erase(prompt);
                if (!freshProcess && --m_shellLines == 0)
                    m_bridge->setShellBusy(false);
                m_bridge->reducer().noteEvaluation(result.pid, result.startedNs, result.finishedNs);
                const QString text = QString::fromStdString(result.text);
                const double durationUs = double(result.finishedNs - result.startedNs) / 1e3;
                m_console->appendResult(prompt, text, result.ok, result.finishedNs);
                --m_running;
                emit runningChanged();
                emit evaluated(code, result.ok, text, durationUs);
                if (then)
                    then(text, durationUs, result);
            });
        },
        fileName.toStdString(), uint32_t(std::max(firstLine, 1)), uint32_t(std::max(firstColumn, 1)));
    m_evaluations[prompt] = id;
}

bool Controller::interrupt(int prompt)
{
    if (const auto waiting = std::find_if(m_waiting.begin(), m_waiting.end(), [prompt](const Waiting &w) { return w.prompt == prompt; });
        waiting != m_waiting.end()) {
        // Not handed to the session yet (the default servers are starting): it never runs.
        const Waiting w = std::move(*waiting);
        m_waiting.erase(waiting);
        EvalResult result;
        result.text = "** (EXIT) interrupted";
        result.value = Term::atom("interrupted");
        const QString text = QString::fromStdString(result.text);
        m_console->appendResult(prompt, text, false, 0);
        --m_running;
        emit runningChanged();
        emit evaluated(w.code, false, text, 0);
        if (w.then)
            w.then(text, 0, result);
        return true;
    }
    const auto it = m_evaluations.find(prompt);
    return m_session && it != m_evaluations.end() && m_session->interrupt(it->second);
}

int Controller::interruptAll()
{
    std::vector<int> prompts;
    for (const Waiting &w : m_waiting)
        prompts.push_back(w.prompt);
    for (const auto &[prompt, id] : m_evaluations)
        prompts.push_back(prompt);
    // The waiting lines first: the shell's next line must not start as the running one ends.
    std::sort(prompts.begin(), prompts.end(), std::greater<>());
    int stopped = 0;
    for (const int prompt : prompts)
        stopped += interrupt(prompt) ? 1 : 0;
    return stopped;
}

QString Controller::targetOf(int pid) const
{
    if (m_nodeConsole && m_beamRunning) {
        const ProcessRecord *p = m_beam->liveState().process(Pid{ uint32_t(pid) });
        if (p != nullptr && p->name)
            return QString::fromStdString(nameText(*p->name));
        return QStringLiteral("(:erlang.list_to_pid(~c\"<0.%1.0>\"))").arg(pid);
    }
    const ProcessRecord *p = m_bridge->liveState().process(Pid{ uint32_t(pid) });
    if (p != nullptr && p->name)
        return QString::fromStdString(nameText(*p->name));
    return QStringLiteral("pid(\"0.%1.0\")").arg(pid);
}

QString Controller::moduleOf(int pid) const
{
    const ProcessRecord *p = m_bridge->view().process(Pid{ uint32_t(pid) });
    return p != nullptr ? QString::fromStdString(p->module) : QString();
}

QVariantList Controller::messagesFor(const QString &module) const
{
    if (m_session)
        if (const auto entry = m_session->describeModule(module.toStdString()))
            return CatalogModel::messagesOf(*entry);
    return m_catalog->messagesFor(module);
}

QVariantMap Controller::moduleSource(const QString &module, double atNs) const
{
    if (!m_session || module.isEmpty())
        return {};
    const auto source = m_session->moduleSource(
        module.toStdString(), atNs >= 0 ? std::optional<int64_t>(int64_t(atNs)) : std::nullopt);
    if (!source)
        return {};
    QVariantList clauses;
    for (const auto &c : source->clauses)
        clauses.append(QVariantMap{ { QStringLiteral("name"), QString::fromStdString(c.function) },
            { QStringLiteral("arity"), c.arity }, { QStringLiteral("firstLine"), int(c.firstLine) },
            { QStringLiteral("lastLine"), int(c.lastLine) } });
    return { { QStringLiteral("file"), QString::fromStdString(source->file) },
        { QStringLiteral("text"), QString::fromStdString(source->text) },
        { QStringLiteral("firstLine"), int(source->firstLine) }, { QStringLiteral("clauses"), clauses } };
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

QString Controller::quoted(const QString &text)
{
    // Not Term::inspect(): a long text would end in "..." and a binary with a control
    // character in <<..., ...>>, neither of them code.
    return QString::fromStdString(elixirStringLiteral(text.toStdString()));
}

void Controller::log(const QString &message)
{
    evaluate(QStringLiteral("AsyncLogger.log(%1)").arg(quoted(message)));
}

void Controller::getLogs()
{
    run(QStringLiteral("AsyncLogger.get_logs()"), m_freshProcess, QStringLiteral("iex"),
        [this](const QString &text, double durationUs, const EvalResult &) { emit loggerReplied(text, durationUs); });
}

void Controller::compare(const QString &server)
{
    const CatalogEntry *entry = findCatalogEntry(server.toStdString());
    QString castCode;
    QString callCode;
    if (entry != nullptr) {
        for (const MessageSpec &m : entry->messages) {
            if (!m.fields.empty())
                continue;
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
    const ProcessRecord *p = m_bridge->liveState().processNamed(server.toStdString());
    const QString target = p != nullptr ? targetOf(int(p->pid.number)) : server;
    castCode.replace(QStringLiteral("{server}"), target);
    callCode.replace(QStringLiteral("{server}"), target);
    // The call starts the moment the cast has returned (microseconds later), so it always
    // queues behind the cast's work: two clients at once, in a known order.
    run(castCode, true, QStringLiteral("iex"), [this, callCode](const QString &, double, const EvalResult &) {
        run(callCode, true);
    });
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

void Controller::runBuffer(const QString &code, const QString &fileName, int firstLine, int firstColumn)
{
    // The session numbers a selection's lines from where it stands in the buffer, so that the
    // clause lines its modules record (and the source view highlights) are the buffer's. A
    // watched node's Code.eval_string counts from 1: its error moves there.
    const bool onNode = m_nodeConsole && m_beamRunning;
    run(
        code, false, fileName,
        [this, firstLine, firstColumn, onNode](const QString &text, double, const EvalResult &result) {
            int line = int(result.errorLine);
            int column = int(result.errorColumn);
            if (onNode && line > 0) {
                if (line == 1 && column > 0)
                    column += firstColumn - 1;
                line += firstLine - 1;
            }
            emit bufferRan(result.ok, text, line, column);
        },
        firstLine, firstColumn);
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

void Controller::setPaused(bool paused)
{
    if (!m_session || m_paused == paused)
        return;
    m_paused = paused;
    m_stepped = 0;
    m_session->runtime().setPaused(paused);
    emit pausedChanged();
}

bool Controller::step(int pid)
{
    if (!m_session || !m_paused) {
        emit notice(tr("Step works while the world is paused."));
        return false;
    }
    m_bridge->pump(true);
    const WorldState &world = m_bridge->liveState();
    // The shell between console lines waits for the next line, not in a receive: a message
    // sent to it (send(self(), :hi)) stays in its mailbox, and a step there would change
    // nothing while claiming it took that message, again at every step.
    const int shell = int(m_session->shell().number);
    const bool shellIdle = m_running == 0;
    const auto nameOf = [&](int of) { return of == shell ? QStringLiteral("iex") : targetOf(of); };
    QString why; // why the selected process is not the one stepped
    if (pid != 0) {
        const ProcessRecord *p = world.process(Pid{ uint32_t(pid) });
        const QString who = nameOf(pid);
        if (pid == shell && shellIdle) {
            why = p != nullptr && !p->mailbox.empty()
                ? tr("iex takes its messages only in a receive a console line runs")
                : tr("iex's mailbox is empty");
        } else if (p == nullptr || p->exited) {
            why = tr("%1 has exited").arg(who);
        } else if (p->block == BlockKind::Sleep) {
            emit notice(tr("%1 sleeps, and the clock stands still while the world is paused: Resume to let it wake.")
                            .arg(who));
            return false;
        } else if (p->suspended) {
            why = tr("%1 is suspended").arg(who);
        } else if (p->mailbox.empty()) {
            why = p->block == BlockKind::Call ? tr("%1 waits for a reply and its mailbox is empty").arg(who)
                                              : tr("%1's mailbox is empty").arg(who);
        }
        if (!why.isEmpty())
            pid = 0;
    }
    if (pid == 0) {
        // The process holding the oldest message anywhere. One whose owner cannot take it now
        // (asleep while the clock stands still, or suspended) is named in the notice: "no
        // mailbox holds a message" beside a card showing two queued was untrue.
        uint64_t oldest = ~uint64_t(0);
        const ProcessRecord *held = nullptr;
        for (const ProcessRecord &p : world.processes()) {
            if (p.exited || p.mailbox.empty() || (int(p.pid.number) == shell && shellIdle))
                continue;
            if (p.suspended || p.block == BlockKind::Sleep) {
                if (held == nullptr || p.mailbox.front().id < held->mailbox.front().id)
                    held = &p;
            } else if (p.mailbox.front().id < oldest) {
                oldest = p.mailbox.front().id;
                pid = int(p.pid.number);
            }
        }
        if (pid == 0) {
            if (held != nullptr) {
                const QString who = nameOf(int(held->pid.number));
                const QString waits = held->suspended
                    ? tr("the messages waiting are %1's, and it is suspended (:sys.resume lets it take them)").arg(who)
                    : tr("the messages waiting are %1's, and it sleeps while the clock stands still: Resume to let it wake")
                          .arg(who);
                emit notice(why.isEmpty() ? tr("Nothing to step: %1.").arg(waits) : tr("%1; %2.").arg(why, waits));
            } else {
                emit notice(why.isEmpty() ? tr("Nothing to step: no mailbox holds a message.")
                                          : tr("%1, and no other mailbox holds a message.").arg(why));
            }
            return false;
        }
    }
    const ProcessRecord *p = world.process(Pid{ uint32_t(pid) });
    // The shell running a line may take the line's next step rather than its mailbox's head.
    const QString message = p != nullptr && !p->mailbox.empty() && pid != shell
        ? QString::fromStdString(p->mailbox.front().term.inspect())
        : QString();
    if (!m_session->runtime().step(Pid{ uint32_t(pid) })) {
        emit notice(tr("%1 cannot take a message now.").arg(nameOf(pid)));
        return false;
    }
    const QString stepped = pid == shell ? tr("Stepped iex: the console's line runs on.")
        : message.isEmpty()              ? tr("Stepped %1.").arg(nameOf(pid))
                                         : tr("Stepped %1: it takes %2.").arg(nameOf(pid), message);
    emit notice(why.isEmpty() ? stepped : tr("%1, so: %2").arg(why, stepped));
    m_stepped = pid;
    return true;
}

void Controller::noticeStalledStep()
{
    if (m_stepped == 0 || !m_paused)
        return;
    const ProcessRecord *p = m_bridge->liveState().process(Pid{ uint32_t(m_stepped) });
    if (p == nullptr || p->block != BlockKind::Sleep)
        return;
    // Its handler went to sleep: with the clock still, it stays there until the world runs.
    emit notice(tr("%1 sleeps %2 ms in its handler, and the clock stands still while the world is paused: "
                   "Resume to let it wake.")
                    .arg(targetOf(m_stepped))
                    .arg(p->blockParam));
    m_stepped = 0;
}

void Controller::setSpeed(double speed)
{
    speed = std::clamp(speed, 0.01, 1.0);
    if (m_speed == speed)
        return;
    m_speed = speed;
    if (m_session)
        m_session->runtime().setSpeed(speed);
    emit speedChanged();
}

void Controller::setFileProgress(double progress, const QString &task)
{
    m_fileProgress = progress;
    if (!task.isNull())
        m_fileTask = task;
    emit fileProgressChanged();
}

void Controller::fileFinished(const QString &task, const QString &error)
{
    setFileProgress(-1, QString());
    if (error.isEmpty())
        emit fileDone(true, task);
    else
        emit fileDone(false, tr("%1 failed: %2").arg(task, error));
}

void Controller::openRecording(const QUrl &file)
{
    if (m_saver || m_loader) {
        emit notice(tr("%1 is still in progress.").arg(m_fileTask));
        return;
    }
    const QString path = localPath(file);
    const QString name = QFileInfo(path).fileName();
    const QString task = tr("Opening %1").arg(name);
    m_loading = std::make_unique<EventBridge>();
    setFileProgress(0, task);
    RecordingLoader::Callbacks callbacks;
    callbacks.sink = [this](std::vector<Event> &batch) { m_loading->feed(batch); };
    callbacks.progress = [this](double progress) { setFileProgress(progress); };
    callbacks.done = [this, task, name](const QString &error) {
        if (!m_loading)
            return;
        // Called by the loader: it goes once this returns.
        m_loader.release()->deleteLater();
        if (!error.isEmpty()) {
            m_loading.reset(); // what the views show stays
            fileFinished(task, error);
            return;
        }
        m_replay = std::move(m_loading);
        m_replayName = name;
        // The shell is the newest process labelled iex.
        for (const ProcessRecord &p : m_replay->liveState().processes())
            if (p.module == "iex")
                m_replay->setShellPid(int(p.pid.number));
        follow(m_replay.get());
        emit bridgeChanged();
        m_replay->seek(double(m_replay->firstSeq())); // a replay starts at its beginning
        fileFinished(tr("Opened %1: %L2 events").arg(name).arg(m_replay->eventCount()), QString());
    };
    m_loader = std::make_unique<RecordingLoader>(path, std::move(callbacks));
    m_loader->start();
}

void Controller::cancelFile()
{
    if (m_loader) {
        m_loader.reset();
        m_loading.reset();
        fileFinished(m_fileTask, tr("cancelled"));
    }
    if (m_saver) {
        m_saver.reset();
        fileFinished(m_fileTask, tr("cancelled"));
    }
}

bool Controller::watchBeam(const QString &scriptPath)
{
    const std::string path = scriptPath.toStdString();
    return startBeam(tr("elixir %1").arg(scriptPath), false, [this, path](const beam::EventSink &sink) {
        beam::Options options;
        options.cancel = &m_beamCancel;
        options.rateLimit = m_beamRateLimit;
        options.messagesOnly = m_beamMessagesOnly;
        options.onNotice = liveNotices(m_beam.get());
        return beam::runScript(path, options, beam::tracerDir(QCoreApplication::applicationFilePath().toStdString()),
            sink);
    });
}

bool Controller::attachNode(const QString &node, const QString &cookie, const QString &procs)
{
    auto console = std::make_shared<beam::NodeConsole>();
    const bool started = startBeam(
        tr("node %1").arg(node), true,
        [this, console, node = node.toStdString(), cookie = cookie.toStdString(),
            procs = procs.toStdString()](const beam::EventSink &sink) {
            beam::Options options;
            options.cancel = &m_beamCancel;
            options.console = console.get();
            options.rateLimit = m_beamRateLimit;
            options.messagesOnly = m_beamMessagesOnly;
            options.onNotice = liveNotices(m_beam.get());
            EventBridge *bridge = m_beam.get(); // set before this thread started; outlives it
            options.onReply = [this, bridge](const beam::EvalReply &reply) {
                bridge->post([this, reply] { nodeAnswered(reply); });
            };
            const std::string dir = beam::tracerDir(QCoreApplication::applicationFilePath().toStdString());
            return beam::attach(node, cookie, procs, 0, options, dir, sink);
        });
    if (started)
        m_nodeConsole = std::move(console);
    return started;
}

std::function<void(const std::string &)> Controller::liveNotices(EventBridge *bridge)
{
    // Called on the reader thread (m_beam is set before it starts and kept until it is joined).
    return [this, bridge](const std::string &text) {
        const bool tripped = text.starts_with(beam::kTracerStoppedItself);
        const bool resumed = text.starts_with(beam::kTracerResumed);
        bridge->post([this, tripped, resumed, text = QString::fromStdString(text)] {
            if (tripped || resumed) {
                if (m_beamTripped != tripped) {
                    m_beamTripped = tripped;
                    emit beamTrippedChanged();
                }
            }
            if (tripped)
                emit notice(text + tr(" (or File → Watch fewer processes…)"));
            else
                emit notice(text);
        });
    };
}

void Controller::nodeAnswered(const beam::EvalReply &reply)
{
    const auto it = std::find_if(m_nodePrompts.begin(), m_nodePrompts.end(),
        [&reply](const NodePrompt &sent) { return sent.prompt == reply.prompt; });
    if (it == m_nodePrompts.end())
        return;
    const NodePrompt sent = std::move(*it);
    m_nodePrompts.erase(it);
    const QString text = QString::fromStdString(reply.text);
    m_console->appendResult(reply.prompt, text, reply.ok, 0);
    --m_running;
    emit runningChanged();
    emit evaluated(sent.code, reply.ok, text, 0);
    if (sent.then) {
        EvalResult result;
        result.ok = reply.ok;
        result.text = reply.text;
        result.errorLine = uint32_t(std::max(0, reply.line));
        result.errorColumn = uint32_t(std::max(0, reply.column));
        sent.then(text, 0, result);
    }
}

void Controller::setBeamMessagesOnly(bool messagesOnly)
{
    if (messagesOnly == m_beamMessagesOnly)
        return;
    m_beamMessagesOnly = messagesOnly;
    emit beamMessagesOnlyChanged();
}

void Controller::detachBeam()
{
    m_beamCancel = true;
}

bool Controller::startBeam(const QString &what, bool dropOnFailure, BeamRun run)
{
    if (m_beamRunning)
        return false;
    const std::string dir = beam::tracerDir(QCoreApplication::applicationFilePath().toStdString());
    if (dir.empty() || beam::findElixir().empty()) {
        emit notice(dir.empty() ? tr("The BEAM tracer is not built or installed (docs/beam.md).")
                                : tr("The real BEAM needs elixir on PATH."));
        return false;
    }
    if (m_beamReader.joinable())
        m_beamReader.join(); // the record shown is complete: a new one replaces it
    m_beamCancel = false;
    auto previous = std::move(m_beam);
    m_beam = std::make_unique<EventBridge>();
    EventBridge *bridge = m_beam.get();
    follow(bridge);
    bridge->start();
    emit bridgeChanged();
    previous.reset();
    m_beamRunning = true;
    emit beamRunningChanged();
    if (m_beamTripped) {
        m_beamTripped = false;
        emit beamTrippedChanged();
    }
    // The reader thread hands each batch to the GUI thread through the bridge's post(); its end
    // comes after the last batch, and goes on from the controller's own event queue, where the
    // bridge may be let go.
    m_beamReader = std::thread([this, bridge, what, dropOnFailure, run = std::move(run)] {
        const beam::Result result = run([bridge](const std::vector<Event> &batch) {
            bridge->post([bridge, batch] {
                for (const Event &e : batch)
                    if (e.type == EventType::Spawn && e.term.isAtom("iex"))
                        bridge->setShellPid(int(e.pid.number));
                bridge->feed(batch);
            });
        });
        QStringList said;
        for (size_t i = result.noticesTold; i < result.notices.size(); ++i)
            said << QString::fromStdString(result.notices[i]);
        const bool failed = !result.error.empty() && result.events.empty();
        if (failed)
            said << tr("Could not watch %1: %2").arg(what, QString::fromStdString(result.error));
        else if (!result.error.empty())
            said << QString::fromStdString(result.error);
        if (!failed)
            said << tr("%1 ended with status %2").arg(what).arg(result.status);
        bridge->post([this, text = said.join(QStringLiteral("; ")), drop = failed && dropOnFailure] {
            QMetaObject::invokeMethod(
                this, [this, text, drop] { beamFinished(text, drop); }, Qt::QueuedConnection);
        });
    });
    return true;
}

void Controller::beamFinished(const QString &text, bool drop)
{
    if (m_beamReader.joinable())
        m_beamReader.join(); // it has posted its last
    m_beamRunning = false;
    m_nodeConsole.reset();
    // Lines sent to the node that it did not answer before the watch ended.
    for (const NodePrompt &sent : std::exchange(m_nodePrompts, {})) {
        const QString why = tr("the watch ended before the node answered");
        m_console->appendResult(sent.prompt, why, false, 0);
        --m_running;
        if (sent.then) {
            EvalResult result;
            result.text = why.toStdString();
            sent.then(why, 0, result);
        }
    }
    emit runningChanged();
    emit beamRunningChanged();
    if (drop && m_beam) {
        follow(m_bridge.get());
        emit bridgeChanged();
        m_beam.reset();
        emit bridgeChanged();
    }
    emit notice(text);
}

bool Controller::listNode(const QString &node, const QString &cookie)
{
    if (m_nodeLister.joinable())
        return false;
    const std::string dir = beam::tracerDir(QCoreApplication::applicationFilePath().toStdString());
    if (dir.empty() || beam::findElixir().empty()) {
        emit nodeListed(node, dir.empty() ? tr("The BEAM tracer is not built or installed (docs/beam.md).") : tr("Attaching needs elixir on PATH."), {});
        return false;
    }
    // The answer comes back through the controller's event queue: the live bridge may not be
    // running (no session started), and the listing is no event of a record.
    m_nodeLister = std::thread([this, node, cookie, dir] {
        beam::Result result = beam::listNode(node.toStdString(), cookie.toStdString(), dir);
        QMetaObject::invokeMethod(
            this,
            [this, node, result = std::move(result)] {
                m_nodeLister.join();
                emit listingNodeChanged();
                QStringList peers;
                for (const std::string &peer : result.peers)
                    peers << QString::fromStdString(peer);
                if (result.error.empty())
                    m_nodeProcesses->setListing(result.processes);
                emit nodeListed(node, QString::fromStdString(result.error), peers);
            },
            Qt::QueuedConnection);
    });
    emit listingNodeChanged();
    return true;
}

void Controller::closeRecording()
{
    if (!m_replay)
        return;
    follow(m_bridge.get());
    emit bridgeChanged();
    m_replay.reset();
    m_replayName.clear();
    emit bridgeChanged();
}

void Controller::saveRecording(const QUrl &file)
{
    writeFile(file, RecordingSaver::Format::Jsonl, tr("Saving %1"));
}

void Controller::exportChromeTrace(const QUrl &file)
{
    writeFile(file, RecordingSaver::Format::Chrome, tr("Exporting %1"));
}

void Controller::writeFile(const QUrl &file, RecordingSaver::Format format, const QString &what)
{
    if (m_saver || m_loader) {
        emit notice(tr("%1 is still in progress.").arg(m_fileTask));
        return;
    }
    const QString path = localPath(file);
    const QString task = what.arg(QFileInfo(path).fileName());
    setFileProgress(0, task);
    m_saver = std::make_unique<RecordingSaver>(
        bridge(), path, format, [this](double progress) { setFileProgress(progress); },
        [this, task](const QString &error) {
            m_saver.release()->deleteLater(); // called by the saver: it goes once this returns
            fileFinished(task, error);
        });
    m_saver->start();
}

} // namespace mailroom
