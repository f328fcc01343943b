#pragma once

#include <functional>

// The app's one entry point from QML: owns the session (runtime + shell), the event bridge
// and the models every panel shows, and runs each action a button performs as a line of
// the script language, echoed in the console so the UI teaches the API.

#include "callmodel.h"
#include "callstatsmodel.h"
#include "catalogmodel.h"
#include "consolemodel.h"
#include "eventbridge.h"
#include "inflightmodel.h"
#include "lessonmodel.h"
#include "processmodel.h"
#include "runtime.h"
#include "timermodel.h"
#include "tracemodel.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

class QQmlEngine;
class QJSEngine;

namespace mailroom {

class Session;

class Controller : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(mailroom::EventBridge *bridge READ bridge CONSTANT)
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

    [[nodiscard]] EventBridge *bridge() const { return m_bridge.get(); }
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

    /// Runs `code` as typed in the console: in the shell, or in a new process when the
    /// toggle is on.
    Q_INVOKABLE void evaluate(const QString &code);
    /// Runs `code` in the shell or in a new process, echoing it in the console.
    Q_INVOKABLE void evaluateIn(const QString &code, bool freshProcess);
    /// How code names process `pid`: Counter, :pledge_server or pid("0.12.0").
    Q_INVOKABLE QString targetOf(int pid) const;
    /// Runs a catalog message's code (`{server}` standing for the target) against `pid`.
    Q_INVOKABLE void sendSpec(const QString &code, int pid);
    /// Sends `message` (script syntax) to `pid` as a plain message.
    Q_INVOKABLE void sendPlain(int pid, const QString &message);
    /// One cast and one call to the same server from two new clients at once.
    Q_INVOKABLE void compare(const QString &server);
    Q_INVOKABLE void startServer(const QString &module);
    Q_INVOKABLE void runLesson(int row);
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
    /// An evaluation finished (on the GUI thread), after `durationUs` of virtual time.
    void evaluated(const QString &code, bool ok, const QString &text, double durationUs);

private:
    /// Runs `code`; `then` (if any) runs on the GUI thread once its result is in.
    void run(const QString &code, bool freshProcess, const QString &fileName = QStringLiteral("iex"),
        std::function<void()> then = {});
    /// Hands a line echoed by run() to the session.
    void submit(const QString &code, bool freshProcess, const QString &fileName, std::function<void()> then);

    struct Waiting {
        QString code;
        bool freshProcess = false;
        QString fileName;
        std::function<void()> then;
    };

    std::unique_ptr<EventBridge> m_bridge; // declared before the session: it outlives it
    ProcessModel *m_processes;
    TraceModel *m_trace;
    CallModel *m_calls;
    CallStatsModel *m_callStats;
    InFlightModel *m_flights;
    TimerModel *m_timers;
    ConsoleModel *m_console;
    CatalogModel *m_catalog;
    LessonModel *m_lessons;
    bool m_freshProcess = false;
    int m_running = 0;
    std::unique_ptr<Session> m_session;
    std::thread m_starter; // starts the default servers off the GUI thread; joined before the session goes
    bool m_ready = false; // the default servers are up: lines run at once
    std::vector<Waiting> m_waiting; // lines submitted before that, in order
};

} // namespace mailroom
