// SPDX-License-Identifier: MIT
#include "script/session.h"

#include "genserver.h"
#include "script/eval.h"
#include "script/interpreter.h"
#include "script/runtime_host.h"
#include "script/script_genserver.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <future>
#include <mutex>
#include <unordered_map>

namespace mailroom {

using script::Bindings;
using script::ErrorKind;
using script::RuntimeHost;
using script::ScriptError;
using script::ScriptException;

namespace {

struct Job {
    uint64_t id = 0;
    std::string code;
    std::string file;
    std::function<void(const EvalResult &)> done;
};

/// A line run in a new process: reported once, by its body, or by the process's onExit when
/// an exit signal ended it (also one that came before its first run).
struct FreshJob {
    std::function<void(const EvalResult &)> done;
    std::atomic<bool> reported{ false };
    Pid pid; // guarded by Impl::mutex; invalid until spawn returned
    bool interrupted = false; // guarded by Impl::mutex
    void report(const EvalResult &result)
    {
        if (!reported.exchange(true))
            done(result);
    }
};

/// What an interrupted line answers, as iex prints a break out of a busy evaluator.
EvalResult interruptedResult(Pid pid)
{
    EvalResult result;
    result.pid = pid;
    result.text = "** (EXIT) interrupted";
    result.value = Term::atom("interrupted");
    return result;
}

const Term &jobTag()
{
    static const Term tag = Term::atom("$mailroom_job");
    return tag;
}

std::vector<Atom> namesOf(const Bindings &bindings)
{
    std::vector<Atom> names;
    names.reserve(bindings.size());
    for (const auto &[name, value] : bindings)
        names.push_back(name);
    return names;
}

std::string exitSignalText(script::ScriptHost &host, Pid self, const Term &reason)
{
    return "** (EXIT from " + Term(self).inspect() + ") "
        + script::formatExit(reason, [&host](Atom m) { return script::moduleAvailable(host, m); });
}

/// Where `e` left the code of `file`: the innermost expression that raised, when it ran in
/// that file (a function of a module the code defined counts; a catalog module's does not).
void noteErrorPosition(EvalResult &result, const ScriptException &e, std::string_view file)
{
    const Term &top = e.stackTop();
    if (top.isTuple(4) && top[3].isList()) {
        std::string where;
        for (const Term &kv : top[3].listElements())
            if (kv.isTuple(2) && kv[0].isAtom("file") && kv[1].isProperList())
                for (const Term &c : kv[1].listElements())
                    if (c.isInteger() && c.asInteger() > 0 && c.asInteger() < 0x80)
                        where += static_cast<char>(c.asInteger());
        if (where != file)
            return; // it left through a function of another file's module
    }
    if (e.pos()) {
        result.errorLine = e.pos()->line;
        result.errorColumn = e.pos()->col;
    }
}

/// Lines `first`..`last` (1-based) of `text`, without the last line's newline.
std::string linesOf(std::string_view text, uint32_t first, uint32_t last)
{
    size_t begin = 0;
    for (uint32_t line = 1; line < first && begin < text.size(); ++line) {
        const size_t newline = text.find('\n', begin);
        begin = newline == std::string_view::npos ? text.size() : newline + 1;
    }
    size_t end = begin;
    for (uint32_t line = first; line <= last && end < text.size(); ++line) {
        const size_t newline = text.find('\n', end);
        end = newline == std::string_view::npos ? text.size() : newline + 1;
    }
    std::string_view lines = text.substr(begin, end - begin);
    if (lines.ends_with('\n'))
        lines.remove_suffix(1);
    return std::string(lines);
}

} // namespace

struct Session::Impl {
    explicit Impl(RuntimeOptions options)
        : runtime(withTranslator(std::move(options))), host(std::make_shared<RuntimeHost>(runtime))
    {
    }

    /// Crash reports show their reasons as Elixir's Logger does. The translator runs only on
    /// a crashing server's process, so never before `host` is set.
    RuntimeOptions withTranslator(RuntimeOptions options)
    {
        if (!options.translateReason)
            options.translateReason = [this](const Term &reason) {
                return script::formatTerminateReason(
                    reason, [this](Atom m) { return script::moduleAvailable(*host, m); });
            };
        return options;
    }
    // Processes use the members below until they are gone: stop them first.
    ~Impl() { runtime.shutdown(); }
    Impl(const Impl &) = delete;
    Impl &operator=(const Impl &) = delete;

    /// Parses and runs `code` in the calling process. `bindings` (when given) are the
    /// variables it starts with and gets back. Throws what escapes the script.
    EvalResult evaluate(const std::string &code, const std::string &file, Bindings *vars)
    {
        EvalResult r;
        r.pid = proc::self();
        r.startedNs = runtime.clock().now();
        script::ParseOptions options;
        if (vars != nullptr)
            options.knownVariables = namesOf(*vars);
        options.stackBudget = host->stackBudget() / 2;
        try {
            const script::Program program = script::parseProgram(code, file, options);
            r.value = script::run(program, *host, vars);
            r.ok = true;
            r.text = r.value.inspectPretty();
        } catch (const ScriptError &e) {
            r.text = e.banner();
            r.errorLine = e.pos().line;
            r.errorColumn = e.pos().col;
        }
        r.finishedNs = runtime.clock().now();
        return r;
    }

    /// The body of the shell: runs queued jobs one after another, keeping the variables.
    /// An uncaught error or exit ends this shell after reporting it, as in iex; the next
    /// job starts a new one with the same variables.
    /// Only an idle shell is woken (see evaluate), and it takes the wake-up out at once: a job
    /// never finds it in its mailbox (where `receive` or Process.info would see it, and the
    /// window would show it as a token).
    void shellLoop()
    {
        proc::setLabel(Term::atom("iex"));
        for (;;) {
            Job job;
            bool killComing = false;
            {
                std::lock_guard lock(mutex);
                if (killSent) {
                    killComing = true;
                } else if (jobs.empty()) {
                    shellIdle = true;
                } else {
                    job = std::move(jobs.front());
                    jobs.pop_front();
                    runningJob = job.id;
                }
            }
            if (killComing) {
                // Interrupted as its line ended: the kill is on its way, and the next line
                // waits for the shell that replaces this one.
                (void)proc::receive([](const Term &) { return false; });
                continue;
            }
            if (!job.done) {
                (void)proc::receive([](const Term &m) { return m == jobTag(); });
                continue;
            }
            Bindings vars;
            {
                std::lock_guard lock(mutex);
                vars = bindings;
            }
            EvalResult result;
            try {
                result = evaluate(job.code, job.file, &vars);
            } catch (const ScriptException &e) {
                result.pid = proc::self();
                result.text = e.banner();
                noteErrorPosition(result, e, job.file);
                result.value = e.reason();
                result.finishedNs = runtime.clock().now();
                {
                    std::lock_guard lock(mutex);
                    runningJob = 0; // answered: no longer to interrupt
                }
                job.done(result);
                replaceShell(proc::self());
                throw ProcessExit(script::processExitReason(e));
            } catch (const ExitSignal &e) {
                bool interrupted = false;
                {
                    std::lock_guard lock(mutex);
                    interrupted = killSent && runningJob == job.id;
                    runningJob = 0; // answered: no longer to interrupt
                }
                if (interrupted) {
                    result = interruptedResult(proc::self());
                } else {
                    result.pid = proc::self();
                    result.text = exitSignalText(*host, proc::self(), e.reason());
                    result.value = e.reason();
                }
                job.done(result);
                replaceShell(proc::self());
                throw;
            }
            {
                std::lock_guard lock(mutex);
                runningJob = 0;
                if (result.ok)
                    bindings = std::move(vars);
            }
            job.done(result);
        }
    }

    /// Starts the next shell when `ended`, the shell, is about to end with work still queued.
    void replaceShell(Pid ended)
    {
        std::deque<Job> failed;
        std::string why;
        {
            std::lock_guard lock(mutex);
            if (shell != ended)
                return; // replaced already
            shell = Pid{};
            shellIdle = false;
            runningJob = 0;
            killSent = false;
            if (!jobs.empty()) {
                try {
                    startShellLocked();
                } catch (const std::exception &e) { // the runtime is stopping, or out of processes
                    failed.swap(jobs);
                    why = e.what();
                }
            }
        }
        for (Job &job : failed) {
            EvalResult result;
            result.text = "** (SystemLimitError) no shell to run the line: " + why;
            result.value = Term::atom("system_limit");
            job.done(result);
        }
    }

    void startShellLocked()
    {
        SpawnOptions options;
        options.stackSize = RuntimeHost::kScriptStackSize;
        options.label = Term::atom("iex");
        // Killed between lines, or before it ever ran (its body's handlers never saw it):
        // the lines queued go to a new shell.
        options.onExit = [this](Pid pid, const Term &) { replaceShell(pid); };
        shellIdle = false; // it looks at the jobs before it waits
        shell = runtime.spawn([this] { shellLoop(); }, options);
    }

    /// Session::interrupt, for one evaluation.
    bool interrupt(uint64_t id)
    {
        std::function<void(const EvalResult &)> dropped;
        Pid target;
        {
            std::lock_guard lock(mutex);
            if (id != 0 && runningJob == id) {
                if (killSent)
                    return true;
                killSent = true;
                target = shell;
            } else if (auto queued = std::find_if(jobs.begin(), jobs.end(), [id](const Job &j) { return j.id == id; });
                       queued != jobs.end()) {
                dropped = std::move(queued->done);
                jobs.erase(queued);
            } else if (auto running = fresh.find(id); running != fresh.end()) {
                if (running->second->interrupted)
                    return true;
                running->second->interrupted = true;
                target = running->second->pid; // invalid until spawn returned: evaluate kills it then
            } else {
                return false;
            }
        }
        if (dropped)
            dropped(interruptedResult(Pid{}));
        if (target.isValid())
            runtime.exit(target, Term::atom("kill"));
        return true;
    }

    Runtime runtime;
    std::shared_ptr<RuntimeHost> host;
    std::mutex mutex; // protects jobs, bindings, shell, shellIdle, runningJob, killSent, nextJob, fresh
    std::deque<Job> jobs;
    Bindings bindings;
    Pid shell;
    bool shellIdle = false; // the shell found no job and waits for a wake-up, none sent yet
    uint64_t runningJob = 0; // the job the shell is evaluating; 0 between jobs
    bool killSent = false; // interrupt has sent the shell a kill (for runningJob, or as it ended)
    uint64_t nextJob = 0;
    std::unordered_map<uint64_t, std::shared_ptr<FreshJob>> fresh; // lines in new processes, until they end
};

Session::Session(RuntimeOptions options)
    : m_impl(std::make_unique<Impl>(std::move(options))) {}

Session::~Session() = default;

Runtime &Session::runtime() { return m_impl->runtime; }

Pid Session::shell() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->shell;
}

void Session::startDefaultServers()
{
    for (const char *module : { "AsyncLogger", "Counter", "SlowServer", "Journal", "Receiver", "IncrementingCounter",
             "DecrementingCounter" }) {
        const Atom name = Atom::intern("Elixir." + std::string(module));
        gen::StartOptions options;
        options.name = name;
        options.stackSize = RuntimeHost::kScriptStackSize;
        (void)gen::start(m_impl->runtime, std::make_shared<script::ScriptGenServer>(m_impl->host, name), Term(), options);
    }
}

uint64_t Session::evaluate(std::string code, bool freshProcess, std::function<void(const EvalResult &)> done,
    std::string fileName, uint32_t firstLine, uint32_t firstColumn)
{
    // Parsed as it stands in its file: the lines and columns before it are blank, so that
    // the lexer counts every position (and the modules it defines keep their text) from the
    // file's first line.
    if (firstLine > 1 || firstColumn > 1)
        code = std::string(firstLine - 1, '\n') + std::string(firstColumn - 1, ' ') + code;
    Impl *impl = m_impl.get();
    uint64_t id = 0;
    if (freshProcess) {
        auto job = std::make_shared<FreshJob>();
        job->done = std::move(done);
        {
            std::lock_guard lock(impl->mutex);
            id = ++impl->nextJob;
            impl->fresh.emplace(id, job);
        }
        SpawnOptions options;
        options.stackSize = RuntimeHost::kScriptStackSize;
        // An exit signal (a kill, an interrupt), also one before the first line ran.
        options.onExit = [impl, id, job](Pid pid, const Term &reason) {
            bool interrupted = false;
            {
                std::lock_guard lock(impl->mutex);
                interrupted = job->interrupted;
                impl->fresh.erase(id);
            }
            if (job->reported.load())
                return;
            EvalResult result = interruptedResult(pid);
            if (!interrupted) {
                result.text = exitSignalText(*impl->host, pid, reason);
                result.value = reason;
            }
            job->report(result);
        };
        Pid pid;
        try {
            pid = impl->runtime.spawn(
                [impl, job, code = std::move(code), file = std::move(fileName)] {
                    EvalResult result;
                    try {
                        result = impl->evaluate(code, file, nullptr);
                    } catch (const ScriptException &e) {
                        result.pid = proc::self();
                        result.text = e.banner();
                        noteErrorPosition(result, e, file);
                        result.value = e.reason();
                        job->report(result);
                        throw ProcessExit(script::processExitReason(e));
                    }
                    job->report(result);
                },
                options);
        } catch (...) {
            std::lock_guard lock(impl->mutex);
            impl->fresh.erase(id);
            throw;
        }
        bool interrupted = false;
        {
            std::lock_guard lock(impl->mutex);
            job->pid = pid;
            interrupted = job->interrupted;
        }
        if (interrupted) // before its pid was known
            impl->runtime.exit(pid, Term::atom("kill"));
        return id;
    }
    Pid idleShell;
    {
        std::lock_guard lock(impl->mutex);
        id = ++impl->nextJob;
        impl->jobs.push_back({ id, std::move(code), std::move(fileName), std::move(done) });
        if (!impl->shell.isValid() || !impl->runtime.alive(impl->shell)) {
            impl->startShellLocked();
        } else if (impl->shellIdle) {
            impl->shellIdle = false; // one wake-up, for a shell waiting in receive
            idleShell = impl->shell;
        } // else a busy shell takes the job when its current one ends
    }
    if (idleShell.isValid())
        impl->runtime.send(Term(idleShell), jobTag(), MessageKind::System);
    return id;
}

bool Session::interrupt(uint64_t id) { return m_impl->interrupt(id); }

size_t Session::interruptAll()
{
    std::vector<uint64_t> ids;
    {
        std::lock_guard lock(m_impl->mutex);
        // The queued lines first: the running one's end would start a shell for them.
        for (const Job &job : m_impl->jobs)
            ids.push_back(job.id);
        if (m_impl->runningJob != 0)
            ids.push_back(m_impl->runningJob);
        for (const auto &[id, job] : m_impl->fresh)
            ids.push_back(id);
    }
    size_t stopped = 0;
    for (const uint64_t id : ids)
        stopped += m_impl->interrupt(id) ? 1 : 0;
    return stopped;
}

std::optional<CatalogEntry> Session::describeModule(std::string_view name) const
{
    std::string full(name);
    if (!full.starts_with("Elixir."))
        full = "Elixir." + full;
    const auto module = m_impl->host->modules().find(Atom::intern(full));
    if (!module || !module->usesGenServer)
        return std::nullopt;
    // A catalog module as shipped keeps its entry (with the `# Try:` lines of its source).
    for (const auto &shipped : script::catalogModules())
        if (shipped == module)
            if (const CatalogEntry *entry = findCatalogEntry(name))
                return *entry;
    return mailroom::describeModule(*module);
}

std::optional<ModuleSource> Session::moduleSource(std::string_view name, std::optional<int64_t> atNs) const
{
    std::string full(name);
    if (!full.starts_with("Elixir."))
        full = "Elixir." + full;
    const Atom atom = Atom::intern(full);
    const auto &modules = m_impl->host->modules();
    const auto module = atNs ? modules.findAt(atom, *atNs) : modules.find(atom);
    if (!module || !module->source || !module->node || module->node->kind != script::NodeKind::Module)
        return std::nullopt;
    const auto &node = module->node->as<script::ModuleNode>();
    ModuleSource out;
    out.file = module->file ? *module->file : std::string();
    out.firstLine = node.pos.line;
    out.text = linesOf(*module->source, node.pos.line, node.endLine);
    for (const auto &child : node.body)
        if (child && child->kind == script::NodeKind::Def) {
            const auto &d = child->as<script::DefNode>();
            out.clauses.push_back({ std::string(d.name.name()), d.arity(), d.pos.line, d.endLine });
        }
    return out;
}

EvalResult Session::runFile(const std::string &source, const std::string &fileName)
{
    auto promise = std::make_shared<std::promise<EvalResult>>();
    auto future = promise->get_future();
    SpawnOptions options;
    options.stackSize = RuntimeHost::kScriptStackSize;
    options.label = Term::atom("iex");
    options.joinable = true;
    Impl *impl = m_impl.get();
    const Pid pid = m_impl->runtime.spawn(
        [impl, &source, &fileName, promise] {
            EvalResult result;
            try {
                result = impl->evaluate(source, fileName, nullptr);
                result.status = result.ok ? 0 : 1;
            } catch (const ScriptException &e) {
                result.pid = proc::self();
                result.value = e.reason();
                result.status = 1;
                noteErrorPosition(result, e, fileName);
                // As `elixir FILE.exs`: exit(:normal | :shutdown) ends quietly with status 0,
                // exit({:shutdown, n}) quietly with status n.
                const Term &reason = e.reason();
                if (e.kind() == ErrorKind::Exit && (reason.isAtom("normal") || reason.isAtom("shutdown"))) {
                    result.ok = true;
                    result.status = 0;
                } else if (e.kind() == ErrorKind::Exit && reason.isTuple(2) && reason[0].isAtom("shutdown")
                    && reason[1].isInteger()) {
                    result.status = static_cast<int>(reason[1].asInteger());
                } else {
                    result.text = e.banner();
                    if (const std::string where = script::stackLine(e, fileName); !where.empty())
                        result.text += "\n" + where;
                }
            } catch (const ExitSignal &e) {
                result.pid = proc::self();
                result.text = exitSignalText(*impl->host, proc::self(), e.reason());
                result.value = e.reason();
                result.status = 1;
            } catch (const ProcessExit &e) {
                result.pid = proc::self();
                result.text = "** (exit) " + script::formatExit(e.reason());
                result.value = e.reason();
                result.status = 1;
            } catch (const std::exception &e) {
                // Whatever escapes the interpreter still ends the run with a word, never a
                // caller waiting on a promise nobody keeps.
                result.pid = proc::self();
                result.text = "** (RuntimeError) " + std::string(e.what());
                result.status = 1;
            }
            promise->set_value(std::move(result));
        },
        options);
    m_impl->runtime.skipPidsTo(132); // as in `elixir FILE.exs`, whose script runs as <0.96.0>
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->shell = pid;
    }
    EvalResult result = future.get();
    (void)m_impl->runtime.join(pid);
    return result;
}

} // namespace mailroom
