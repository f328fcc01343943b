// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

// The app's one entry point from QML: owns the session (runtime + shell), the event bridge
// and the models every panel shows, and runs each action a button performs as a line of
// the script language, echoed in the console so the UI teaches the API.

#include "beamrun.h"
#include "callmodel.h"
#include "callstatsmodel.h"
#include "catalogmodel.h"
#include "consolemodel.h"
#include "eventbridge.h"
#include "inflightmodel.h"
#include "lessonmodel.h"
#include "nodeprocessmodel.h"
#include "processmodel.h"
#include "recordingfiles.h"
#include "runtime.h"
#include "session.h"
#include "timermodel.h"
#include "tracemodel.h"

#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

class QQmlEngine;
class QJSEngine;

namespace mailroom {

class Controller : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    /// The bridge every view follows: the live runtime's, or a recording's while one is open.
    Q_PROPERTY(mailroom::EventBridge *bridge READ bridge NOTIFY bridgeChanged)
    Q_PROPERTY(mailroom::ProcessModel *processes READ processes CONSTANT)
    Q_PROPERTY(mailroom::TraceModel *trace READ trace CONSTANT)
    Q_PROPERTY(mailroom::CallModel *calls READ calls CONSTANT)
    Q_PROPERTY(mailroom::CallStatsModel *callStats READ callStats CONSTANT)
    Q_PROPERTY(mailroom::InFlightModel *flights READ flights CONSTANT)
    Q_PROPERTY(mailroom::TimerModel *timers READ timers CONSTANT)
    Q_PROPERTY(mailroom::ConsoleModel *console READ console CONSTANT)
    Q_PROPERTY(mailroom::CatalogModel *catalog READ catalog CONSTANT)
    Q_PROPERTY(mailroom::LessonModel *lessons READ lessons CONSTANT)
    /// Run each click in a new client process (several calls in flight) instead of the shell.
    Q_PROPERTY(bool freshProcess READ freshProcess WRITE setFreshProcess NOTIFY freshProcessChanged)
    /// Evaluations started and not finished.
    Q_PROPERTY(int running READ running NOTIFY runningChanged)
    Q_PROPERTY(bool started READ started NOTIFY startedChanged)
    /// The servers shown on launch are up and on the views (at once without them): what
    /// appears from then on was started by the user's code.
    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    /// Pause world: no process runs and the virtual clock stands still.
    Q_PROPERTY(bool paused READ paused NOTIFY pausedChanged)
    /// The virtual clock's speed, 0.01 to 1.
    Q_PROPERTY(double speed READ speed WRITE setSpeed NOTIFY speedChanged)
    /// A recording is open (read-only: the views replay it, code does not run).
    Q_PROPERTY(bool replaying READ replaying NOTIFY bridgeChanged)
    /// The views follow a script running in real elixir (`mailroom --beam`, docs/beam.md): the
    /// BEAM's time does not stop, so Pause world, Step and Speed do nothing there.
    Q_PROPERTY(bool onBeam READ onBeam NOTIFY bridgeChanged)
    /// The BEAM's record still comes in (a script runs, or a node is watched).
    Q_PROPERTY(bool beamRunning READ beamRunning NOTIFY beamRunningChanged)
    /// The processes of the node listNode() asked about, to pick what to watch.
    Q_PROPERTY(mailroom::NodeProcessModel *nodeProcesses READ nodeProcesses CONSTANT)
    /// The tracer stopped itself (too many events a second): the watch goes on untraced until
    /// the flood is over and the tracer watches the same processes again, or the user watches
    /// fewer (docs/beam.md).
    Q_PROPERTY(bool beamTripped READ beamTripped NOTIFY beamTrippedChanged)
    /// listNode() is asking a node.
    Q_PROPERTY(bool listingNode READ listingNode NOTIFY listingNodeChanged)
    /// The next BEAM run watches messages only: sends, receives and processes, without a
    /// GenServer's handler events and states, at half the tracing cost (docs/beam.md).
    Q_PROPERTY(bool beamMessagesOnly READ beamMessagesOnly WRITE setBeamMessagesOnly NOTIFY
            beamMessagesOnlyChanged)
    /// The open recording's file name.
    Q_PROPERTY(QString replayName READ replayName NOTIFY bridgeChanged)
    /// Loading or saving a file: how far it is (0 to 1), -1 when idle.
    Q_PROPERTY(double fileProgress READ fileProgress NOTIFY fileProgressChanged)
    /// What is being loaded or saved ("Opening run.jsonl").
    Q_PROPERTY(QString fileTask READ fileTask NOTIFY fileProgressChanged)

public:
    /// Not default-constructible on purpose: Qt 6.4 would then construct the QML singleton
    /// itself instead of asking create() for the instance main() owns.
    /// `historyBudget`: events the views keep (EventBridge's default when not given); tests
    /// lower it so that memory levels off sooner.
    explicit Controller(QObject *parent, std::optional<size_t> historyBudget = std::nullopt);
    ~Controller() override;

    /// The instance QML gets; the caller keeps ownership (main() or a test).
    static void setInstance(Controller *controller);
    static Controller *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    /// Creates the session and follows it once per frame; with `defaultServers`, starts the
    /// servers shown on launch (from another thread: the GUI thread never waits on the
    /// runtime, the cards appear as the servers come up). GUI thread, once.
    void start(bool defaultServers = true, RuntimeOptions options = {});
    [[nodiscard]] Session *session() const { return m_session.get(); }

    [[nodiscard]] EventBridge *bridge() const
    {
        return m_beam ? m_beam.get() : m_replay ? m_replay.get()
                                                : m_bridge.get();
    }
    /// The live runtime's bridge, whatever the views show.
    [[nodiscard]] EventBridge *liveBridge() const { return m_bridge.get(); }
    [[nodiscard]] ProcessModel *processes() const { return m_processes; }
    [[nodiscard]] TraceModel *trace() const { return m_trace; }
    [[nodiscard]] CallModel *calls() const { return m_calls; }
    [[nodiscard]] CallStatsModel *callStats() const { return m_callStats; }
    [[nodiscard]] InFlightModel *flights() const { return m_flights; }
    [[nodiscard]] TimerModel *timers() const { return m_timers; }
    [[nodiscard]] ConsoleModel *console() const { return m_console; }
    [[nodiscard]] CatalogModel *catalog() const { return m_catalog; }
    [[nodiscard]] LessonModel *lessons() const { return m_lessons; }
    [[nodiscard]] bool freshProcess() const { return m_freshProcess; }
    void setFreshProcess(bool fresh);
    [[nodiscard]] int running() const { return m_running; }
    [[nodiscard]] bool started() const { return m_session != nullptr; }
    [[nodiscard]] bool ready() const { return m_ready; }
    [[nodiscard]] bool paused() const { return m_paused; }
    [[nodiscard]] double speed() const { return m_speed; }
    void setSpeed(double speed);
    [[nodiscard]] bool replaying() const { return m_replay != nullptr; }
    [[nodiscard]] bool onBeam() const { return m_beam != nullptr; }
    [[nodiscard]] bool beamRunning() const { return m_beamRunning; }
    [[nodiscard]] bool beamTripped() const { return m_beamTripped; }
    /// Events a second before the tracer of the next BEAM run stops itself (beam::Options).
    void setBeamRateLimit(size_t eventsPerSecond) { m_beamRateLimit = eventsPerSecond; }
    [[nodiscard]] bool beamMessagesOnly() const { return m_beamMessagesOnly; }
    void setBeamMessagesOnly(bool messagesOnly);
    [[nodiscard]] NodeProcessModel *nodeProcesses() const { return m_nodeProcesses; }
    [[nodiscard]] bool listingNode() const { return m_nodeLister.joinable(); }
    [[nodiscard]] QString replayName() const { return m_replayName; }
    [[nodiscard]] double fileProgress() const { return m_fileProgress; }
    [[nodiscard]] QString fileTask() const { return m_fileTask; }

    /// Pauses or resumes the world.
    Q_INVOKABLE void setPaused(bool paused);
    /// While paused: lets process `pid` (0: the one holding the oldest message) handle
    /// exactly one message; when `pid` cannot take one (its mailbox is empty), the oldest
    /// anywhere. Every step says what it did or why it could not (notice), and a step into a
    /// sleep says that it waits for the clock.
    Q_INVOKABLE bool step(int pid = 0);

    /// Opens a JSON Lines recording and replays it in every view (read-only). Loads in the
    /// background with fileProgress; on a bad file, fileDone(false, "line N: …") and the
    /// views keep what they showed.
    Q_INVOKABLE void openRecording(const QUrl &file);
    /// Stops a load in progress.
    Q_INVOKABLE void cancelFile();
    /// Back to the live runtime.
    Q_INVOKABLE void closeRecording();
    /// Runs `scriptPath` in real elixir with Mailroom's tracer and shows its record live in every
    /// view (beam/beamrun.h); the script's own output goes to the app's standard output. False
    /// with a notice when elixir or the tracer is missing, or while a BEAM record still comes
    /// in (one at a time; a finished one is replaced). GUI thread.
    Q_INVOKABLE bool watchBeam(const QString &scriptPath);
    /// Asks `node` (NAME@HOST, with `cookie`) for its processes, in the background: fills
    /// nodeProcesses and emits nodeListed, with the error (naming the node) when the cookie is
    /// wrong or the node cannot be reached. False while a listing is under way. GUI thread.
    Q_INVOKABLE bool listNode(const QString &node, const QString &cookie);
    /// Watches the processes of a running node that `procs` names (NodeProcessModel::spec:
    /// names, pids, app:NAME, sup:NAME; "" = every registered process outside OTP and Elixir)
    /// in every view, live, until detachBeam(). When it cannot attach, a notice says why and the
    /// views go back to the runtime. False as watchBeam is. GUI thread.
    Q_INVOKABLE bool attachNode(const QString &node, const QString &cookie, const QString &procs);
    /// Ends the watch of a node: the tracer stops and leaves the node as it was; the record
    /// stays in the views. GUI thread.
    Q_INVOKABLE void detachBeam();
    /// Saves what the views hold (live or the open recording) as JSON Lines.
    Q_INVOKABLE void saveRecording(const QUrl &file);
    /// Saves it as Chrome Trace Event JSON (Perfetto, chrome://tracing).
    Q_INVOKABLE void exportChromeTrace(const QUrl &file);

    /// Runs `code` as typed in the console: in the shell, or in a new process when the
    /// toggle is on; while a node is watched (attachNode), on that node, as a card's buttons do.
    Q_INVOKABLE void evaluate(const QString &code);
    /// Runs `code` in the shell or in a new process, echoing it in the console.
    Q_INVOKABLE void evaluateIn(const QString &code, bool freshProcess);
    /// Stops the console's line `prompt` (the Stop button on a running entry), as iex's break:
    /// a running line's process is killed, a waiting line never runs; its entry says
    /// `** (EXIT) interrupted` and the shell takes the next line. False when that line is no
    /// longer running (or runs on a watched node). GUI thread.
    Q_INVOKABLE bool interrupt(int prompt);
    /// Ctrl+C in the console: interrupts every line still running or waiting; how many.
    /// GUI thread.
    Q_INVOKABLE int interruptAll();
    /// How code names process `pid`: Counter, :pledge_server or pid("0.12.0"); on a watched
    /// node, as code run there names it (:erlang.list_to_pid(~c"<0.12.0>") when it has no name).
    Q_INVOKABLE QString targetOf(int pid) const;
    /// The messages `module`'s clause heads accept, as its card menu offers them: a catalog
    /// server's, or those of a module defined in this session (CatalogModel::messagesOf).
    Q_INVOKABLE QVariantList messagesFor(const QString &module) const;
    /// The source of `module` ("Counter", a learner's "Tally") as the session defines it now,
    /// or with `atNs` >= 0 as it was defined at that time of the record (the version an
    /// event of then ran), for the source view: {file, text, firstLine, clauses: [{name,
    /// arity, firstLine, lastLine}]}; an empty map when there is none (a plain process, a
    /// module of the BEAM's).
    Q_INVOKABLE QVariantMap moduleSource(const QString &module, double atNs = -1) const;
    /// Runs a catalog message's code (`{server}` standing for the target) against `pid`.
    Q_INVOKABLE void sendSpec(const QString &code, int pid);
    /// Sends `message` (script syntax) to `pid` as a plain message.
    Q_INVOKABLE void sendPlain(int pid, const QString &message);
    /// Casts `message` to AsyncLogger as a string: AsyncLogger.log("…"), quoted.
    Q_INVOKABLE void log(const QString &message);
    /// Calls AsyncLogger.get_logs(); loggerReplied() tells what it returned.
    Q_INVOKABLE void getLogs();
    /// `text` as a string literal of the script language (Elixir's inspect of the string).
    [[nodiscard]] static QString quoted(const QString &text);
    /// One cast and one call to the same server from two new clients at once.
    Q_INVOKABLE void compare(const QString &server);
    Q_INVOKABLE void startServer(const QString &module);
    Q_INVOKABLE void runLesson(int row);
    /// Runs the editor's buffer (or its selection, which starts at `firstLine`:`firstColumn` of
    /// the buffer) in the shell under `fileName`, echoed in the console; bufferRan() tells
    /// how it ended and where in the buffer it failed.
    Q_INVOKABLE void runBuffer(const QString &code, const QString &fileName, int firstLine = 1, int firstColumn = 1);
    /// Runs a whole script (a file from the command line) in the shell.
    Q_INVOKABLE void runScript(const QString &source, const QString &fileName);
    Q_INVOKABLE void getState(int pid);
    Q_INVOKABLE void suspend(int pid);
    Q_INVOKABLE void resume(int pid);
    Q_INVOKABLE void setTraced(int pid, bool on);
    Q_INVOKABLE void stop(int pid);
    Q_INVOKABLE void kill(int pid);
    /// The module of a process on the stage ("Counter"), for its card's buttons.
    Q_INVOKABLE QString moduleOf(int pid) const;

signals:
    void freshProcessChanged();
    void runningChanged();
    void startedChanged();
    void readyChanged();
    void bridgeChanged();
    void pausedChanged();
    void speedChanged();
    void fileProgressChanged();
    void beamRunningChanged();
    void beamTrippedChanged();
    void beamMessagesOnlyChanged();
    void listingNodeChanged();
    /// listNode() has its answer: `error` is empty, or says what went wrong; `peers` are the
    /// nodes `node` is connected to.
    void nodeListed(const QString &node, const QString &error, const QStringList &peers);
    /// A file was loaded or saved (ok) or not, with what to tell the user.
    void fileDone(bool ok, const QString &message);
    /// Something the user should read (a step with nothing to step).
    void notice(const QString &text);
    /// An evaluation finished (on the GUI thread), after `durationUs` of virtual time.
    void evaluated(const QString &code, bool ok, const QString &text, double durationUs);
    /// A runBuffer() ended: its result or error, and the error's line and column in the
    /// buffer (1-based; line 0 when it failed elsewhere or not at all).
    void bufferRan(bool ok, const QString &text, int line, int column);
    /// getLogs() returned `text` (inspected) after blocking its caller `durationUs`.
    void loggerReplied(const QString &text, double durationUs);

private:
    /// What runs on the GUI thread once a line's result is in: the result inspected, how
    /// long its caller waited, and the whole result.
    using Then = std::function<void(const QString &text, double durationUs, const EvalResult &result)>;
    /// Runs `code`; `then` (if any) runs on the GUI thread once its result is in.
    /// `code` stands at `firstLine`:`firstColumn` of `fileName` (Session::evaluate).
    void run(const QString &code, bool freshProcess, const QString &fileName = QStringLiteral("iex"),
        Then then = {}, int firstLine = 1, int firstColumn = 1);
    /// Hands a line echoed by run() as input `prompt` to the session.
    void submit(const QString &code, int prompt, bool freshProcess, const QString &fileName, Then then,
        int firstLine = 1, int firstColumn = 1);

    struct Waiting {
        QString code;
        int prompt = 0;
        bool freshProcess = false;
        QString fileName;
        Then then;
        int firstLine = 1;
        int firstColumn = 1;
    };

    /// What a BEAM backend runs on the reader thread: the run, its batches handed to `sink`.
    using BeamRun = std::function<beam::Result(const beam::EventSink &sink)>;
    /// Shows a new record, fed by `run` on a thread of its own; `what` names it in notices
    /// ("elixir stack.exs", "node shop@host"). `dropOnFailure`: when the run fails before any
    /// event, the views go back to the runtime.
    bool startBeam(const QString &what, bool dropOnFailure, BeamRun run);
    /// Where a BEAM run's notices go as they come: to notice(), on the GUI thread, through
    /// `bridge`; a trip of the rate limit sets beamTripped.
    std::function<void(const std::string &)> liveNotices(EventBridge *bridge);
    /// The watched node's answer to the console's line `prompt` (GUI thread).
    void nodeAnswered(const beam::EvalReply &reply);
    /// The reader thread has finished (GUI thread, after the record's last batch).
    void beamFinished(const QString &text, bool drop);
    /// Shows every model `bridge`'s content.
    void follow(EventBridge *bridge);
    void setFileProgress(double progress, const QString &task = {});
    /// Tells once when the process stepped last went to sleep in its handler.
    void noticeStalledStep();
    void fileFinished(const QString &task, const QString &error);
    void writeFile(const QUrl &file, RecordingSaver::Format format, const QString &what);

    std::unique_ptr<EventBridge> m_bridge; // declared before the session: it outlives it
    std::unique_ptr<EventBridge> m_replay; // an open recording
    QString m_replayName;
    std::unique_ptr<EventBridge> m_loading; // a recording being loaded (shown once complete)
    std::unique_ptr<EventBridge> m_beam; // a script running in real elixir (watchBeam)
    std::thread m_beamReader; // runs elixir and reads its record; joined before m_beam goes
    std::atomic<bool> m_beamCancel{ false };
    bool m_beamRunning = false;
    bool m_beamTripped = false;
    size_t m_beamRateLimit = beam::Options{}.rateLimit;
    bool m_beamMessagesOnly = beam::Options{}.messagesOnly;
    // While a node is watched: the console's lines and the cards' buttons go there (run()).
    std::shared_ptr<beam::NodeConsole> m_nodeConsole;
    struct NodePrompt {
        int prompt = 0;
        QString code;
        Then then; // runBuffer's: the answer goes to the editor too
    };
    std::vector<NodePrompt> m_nodePrompts; // lines sent to the node, not answered yet
    std::thread m_nodeLister; // listNode()'s; joined once its answer is in, and before the controller goes
    std::unique_ptr<RecordingLoader> m_loader;
    std::unique_ptr<RecordingSaver> m_saver;
    double m_fileProgress = -1;
    QString m_fileTask;
    bool m_paused = false;
    int m_stepped = 0; // the process stepped last, until it is seen asleep
    double m_speed = 1.0;
    ProcessModel *m_processes;
    TraceModel *m_trace;
    CallModel *m_calls;
    CallStatsModel *m_callStats;
    InFlightModel *m_flights;
    TimerModel *m_timers;
    ConsoleModel *m_console;
    CatalogModel *m_catalog;
    LessonModel *m_lessons;
    NodeProcessModel *m_nodeProcesses;
    bool m_freshProcess = false;
    int m_running = 0;
    std::unordered_map<int, uint64_t> m_evaluations; // console prompt -> Session evaluation, until answered
    int m_shellLines = 0; // lines given to the shell and not answered yet: the iex card shows it running
    std::unique_ptr<Session> m_session;
    std::thread m_starter; // starts the default servers off the GUI thread; joined before the session goes
    bool m_ready = false; // the default servers are up: lines run at once
    std::vector<Waiting> m_waiting; // lines submitted before that, in order
};

} // namespace mailroom
