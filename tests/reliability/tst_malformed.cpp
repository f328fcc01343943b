// SPDX-License-Identifier: MIT
// Malformed scripts, as a user pastes them into the console or hands them to mailroom-run:
// each one gives a clear error with its position, runs nothing, never crashes or hangs, and
// the session goes on answering. The corpus is malformed/*.exs with malformed/EXPECTED; the
// 10,000-level nestings and the 10 MB lines are generated here.
#include "script/error.h"
#include "script/session.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <future>
#include <mutex>

#ifndef MALFORMED_DIR
#error "MALFORMED_DIR must name the tests/reliability/malformed source dir"
#endif
#ifndef MAILROOM_RUN_PATH
#error "MAILROOM_RUN_PATH must name the mailroom-run binary"
#endif

using namespace mailroom;

namespace {

/// Long enough for a 10 MB input under AddressSanitizer; a hang fails the row, not the suite.
constexpr int kEvalTimeoutSeconds = 120;

/// Sanitized builds spend more stack per nesting level, so the stack budget may stop a nesting
/// before the 1000-level limit does, at a column that depends on the frame sizes.
#if defined(MAILROOM_ASAN) || defined(MAILROOM_TSAN)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

/// One line of malformed/EXPECTED.
struct Expectation {
    QString file;
    QString kind; ///< SyntaxError, TokenMissingError, CompileError, a runtime exception, or "ok"
    int line = 0; ///< 0 when the error has no position (a runtime error) or there is no error
    int col = 0;
    QString message;
    /// A nesting refused by the depth limit or the stack budget, whichever comes first: the
    /// column is checked only where the limit always comes first (unsanitized builds); every
    /// build checks what does not depend on it (see checkRejected).
    bool nestingLimit = false;
};

QString malformedDir()
{
    return QStringLiteral(MALFORMED_DIR);
}

std::vector<Expectation> readManifest(QString *problem)
{
    std::vector<Expectation> rows;
    QFile f(QDir(malformedDir()).filePath(QStringLiteral("EXPECTED")));
    if (!f.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("cannot read malformed/EXPECTED");
        return rows;
    }
    int lineNo = 0;
    while (!f.atEnd()) {
        ++lineNo;
        const QString line = QString::fromUtf8(f.readLine()).chopped(1);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        // The message may itself hold '|' (as in syntax error before: '|>'): split three times only.
        const qsizetype a = line.indexOf(u'|');
        const qsizetype b = a < 0 ? -1 : line.indexOf(u'|', a + 1);
        const qsizetype c = b < 0 ? -1 : line.indexOf(u'|', b + 1);
        if (c < 0) {
            *problem = QStringLiteral("EXPECTED:%1: want name|kind|line:col|message").arg(lineNo);
            return rows;
        }
        Expectation e;
        e.file = line.left(a);
        e.kind = line.mid(a + 1, b - a - 1);
        const QString pos = line.mid(b + 1, c - b - 1);
        e.message = line.mid(c + 1);
        if (pos != QStringLiteral("-")) {
            const QStringList parts = pos.split(u':');
            bool okLine = false;
            bool okCol = false;
            if (parts.size() == 2) {
                e.line = parts[0].toInt(&okLine);
                e.col = parts[1].toInt(&okCol);
            }
            if (!okLine || !okCol || e.line < 1 || e.col < 1) {
                *problem = QStringLiteral("EXPECTED:%1: bad position %2").arg(lineNo).arg(pos);
                return rows;
            }
        }
        rows.push_back(e);
    }
    return rows;
}

QByteArray readBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

/// `count` copies of `unit`.
std::string repeat(std::string_view unit, size_t count)
{
    std::string s;
    s.reserve(unit.size() * count);
    for (size_t i = 0; i < count; ++i)
        s += unit;
    return s;
}

/// "** (Kind) file:line:col: " as Elixir's compiler starts its banners; "** (Kind) " for a
/// runtime exception, which has no position.
std::string bannerPrefix(const QString &kind, const QString &file, int line, int col)
{
    if (line == 0)
        return "** (" + kind.toStdString() + ") ";
    return "** (" + kind.toStdString() + ") " + file.toStdString() + ":" + std::to_string(line) + ":"
        + std::to_string(col) + ": ";
}

/// Text to show in a failure message: the start of a banner (a 10 MB one would flood the log).
QByteArray shown(const std::string &text)
{
    return QByteArray::fromStdString(text.substr(0, 400));
}

} // namespace

class TestMalformed : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    /// Every file of the corpus through Session::evaluate, as the console sends it.
    void corpus_data();
    void corpus();
    /// 10,000-level nestings and 10 MB lines, built here.
    void generated_data();
    void generated();
    /// A few through mailroom-run: exit status, stdout, and the banner the session gives.
    void runner_data();
    void runner();

private:
    struct Outcome {
        bool finished = false;
        EvalResult result;
    };
    /// Evaluates in the shell, as the console does, and waits at most kEvalTimeoutSeconds.
    Outcome evaluate(std::string code, const QString &fileName, bool freshProcess = false);
    Outcome evaluateFresh(std::string code, const QString &fileName)
    {
        return evaluate(std::move(code), fileName, true);
    }
    /// Checks one malformed input: its banner, that nothing ran, and that the shell still answers.
    void checkRejected(const std::string &source, const Expectation &expected);
    [[nodiscard]] std::string takeOutput();

    std::vector<Expectation> m_manifest;
    std::unique_ptr<Session> m_session;
    std::mutex m_outputMutex; // protects m_output
    std::string m_output; // what scripts printed (IO.puts) and crash reports
};

void TestMalformed::initTestCase()
{
    QString problem;
    m_manifest = readManifest(&problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The corpus and the manifest agree: every file has a line and every line a file.
    QStringList files = QDir(malformedDir()).entryList({ QStringLiteral("*.exs") }, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 50, "the corpus holds at least 50 malformed inputs");
    for (const Expectation &e : m_manifest) {
        QVERIFY2(
            files.removeOne(e.file), qPrintable(e.file + QStringLiteral(" is in EXPECTED but not on disk")));
    }
    QVERIFY2(files.isEmpty(), qPrintable(files.join(u' ') + QStringLiteral(" not in EXPECTED")));

    RuntimeOptions options;
    options.schedulers = 2;
    options.output = [this](Pid, std::string_view text) {
        std::lock_guard lock(m_outputMutex);
        m_output += text;
    };
    options.errorReport = [this](std::string_view text) {
        std::lock_guard lock(m_outputMutex);
        m_output += text;
    };
    m_session = std::make_unique<Session>(options);
    m_session->startDefaultServers();
}

void TestMalformed::cleanupTestCase()
{
    m_session.reset();
}

std::string TestMalformed::takeOutput()
{
    std::lock_guard lock(m_outputMutex);
    return std::exchange(m_output, {});
}

TestMalformed::Outcome TestMalformed::evaluate(std::string code, const QString &fileName, bool freshProcess)
{
    auto promise = std::make_shared<std::promise<EvalResult>>();
    auto future = promise->get_future();
    m_session->evaluate(
        std::move(code), freshProcess, [promise](const EvalResult &r) { promise->set_value(r); },
        fileName.toStdString());
    Outcome outcome;
    if (future.wait_for(std::chrono::seconds(kEvalTimeoutSeconds)) != std::future_status::ready)
        return outcome;
    outcome.finished = true;
    outcome.result = future.get();
    return outcome;
}

void TestMalformed::checkRejected(const std::string &source, const Expectation &expected)
{
    (void)takeOutput();
    const Outcome outcome = evaluate(source, expected.file);
    QVERIFY2(outcome.finished, "the evaluation hung");
    const EvalResult &r = outcome.result;

    if (expected.kind == QStringLiteral("ok")) {
        QVERIFY2(r.ok, shown(r.text).constData());
    } else {
        QVERIFY2(!r.ok, shown(r.text).constData());
        int col = expected.col;
        if (expected.nestingLimit) {
            // Position-independent: the right kind and line, some column on that line, and a
            // message that names the depth limit. The exact column only where the 1000-level
            // limit always stops the parser first; under a sanitizer the stack budget may stop it
            // at an outer level, which depends on the frame sizes.
            const std::string head = bannerPrefix(expected.kind, expected.file, expected.line, 1);
            const std::string lineHead = head.substr(0, head.size() - 3); // "...:line:"
            QVERIFY2(
                r.text.starts_with(lineHead), shown("wanted " + lineHead + "\n   got " + r.text).constData());
            col = std::atoi(r.text.c_str() + lineHead.size());
            const size_t lineLength
                = source.find('\n') == std::string::npos ? source.size() : source.find('\n');
            QVERIFY2(col >= 1 && size_t(col) <= lineLength + 1,
                shown("column " + std::to_string(col) + " is not on line 1: " + r.text).constData());
            const std::string depth
                = "nested too deeply (more than " + std::to_string(script::kMaxNesting) + " levels";
            QVERIFY2(r.text.find(depth) != std::string::npos,
                shown("wanted the message to name the depth limit: " + depth + "\n   got " + r.text)
                    .constData());
            if (!kSanitized)
                QCOMPARE(col, expected.col);
        }
        const std::string prefix = bannerPrefix(expected.kind, expected.file, expected.line, col);
        QVERIFY2(r.text.starts_with(prefix), shown("wanted " + prefix + "\n   got " + r.text).constData());
        QVERIFY2(r.text.find(expected.message.toStdString()) != std::string::npos,
            shown("wanted the message to hold: " + expected.message.toStdString() + "\n   got " + r.text)
                .constData());
        QVERIFY2(QUtf8StringView(r.text).isValidUtf8(), "the banner is valid UTF-8");
        QVERIFY2(r.text.find('\0') == std::string::npos, "the banner holds no NUL byte");
    }
    // Nothing half-run: no line before the error printed, no crash report.
    const std::string printed = takeOutput();
    QVERIFY2(printed.empty(), shown("printed: " + printed).constData());

    // The session survives: the (possibly new) shell still answers, and nothing is queued.
    const Outcome after = evaluate("1 + 1", QStringLiteral("iex"));
    QVERIFY2(after.finished, "the shell no longer answers");
    QVERIFY2(after.result.ok, shown(after.result.text).constData());
    QCOMPARE(QString::fromStdString(after.result.text), QStringLiteral("2"));
    QCOMPARE(QString::fromStdString(takeOutput()), QString());
}

void TestMalformed::corpus_data()
{
    QTest::addColumn<int>("index");
    for (size_t i = 0; i < m_manifest.size(); ++i)
        QTest::addRow("%s", qPrintable(m_manifest[i].file)) << int(i);
}

void TestMalformed::corpus()
{
    QFETCH(int, index);
    const Expectation &expected = m_manifest[size_t(index)];
    const QByteArray bytes = readBytes(QDir(malformedDir()).filePath(expected.file));
    checkRejected(bytes.toStdString(), expected);
}

void TestMalformed::generated_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("col");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("nestingLimit");

    constexpr size_t kDepth = 10'000;
    const QString tooDeep = QStringLiteral("expression is nested too deeply");
    const auto nested = [&](const char *name, std::string_view open, std::string_view middle,
                            std::string_view close, int col, const QString &message) {
        const std::string source = repeat(open, kDepth) + std::string(middle) + repeat(close, kDepth) + "\n";
        // The limit is 1000 levels or the stack, whichever comes first (sanitizers use more
        // stack per level): `col` is where the 1000-level limit stops it.
        QTest::addRow("%s", name) << QByteArray::fromStdString(source) << QStringLiteral("SyntaxError") << 1
                                  << col << message << true;
    };
    // Openers refused at the 1001st: column 1000 * width + 1 (kMaxNesting is 1000).
    nested("deep_parens", "(", "1", ")", 1001, tooDeep);
    nested("deep_lists", "[", "", "]", 1001, tooDeep);
    nested("deep_tuples", "{", "", "}", 1001, tooDeep);
    nested("deep_lists_in_tuples", "{[", "", "]}", 1001, tooDeep); // each bracket is a level
    nested("deep_maps", "%{a: ", "1", "}", 5 * 1000 + 1, tooDeep);
    nested("deep_calls", "abs(", "1", ")", 4 * 1000 + 1, tooDeep);
    nested("deep_fns", "fn -> ", "1", " end", 6 * 1000 + 1, tooDeep);
    nested("deep_unclosed_parens", "(", "", "", 1001, tooDeep);
    nested("deep_unclosed_lists", "[", "1", "", 1001, tooDeep);
    // Constructs that spend more than one level each: the positions below were checked by hand.
    nested("deep_ifs", "if true do ", "1", " end", 11 * 999 + 4, tooDeep); // `true` of the 1000th if
    nested("deep_unclosed_ifs", "if true do ", "1", "", 11 * 999 + 4, tooDeep); // the same, no end at all
    nested("deep_cases", "case 1 do _ -> ", "1", " end", 15 * 999 + 6, tooDeep); // `1` of the 1000th case
    nested("deep_nots", "not ", "true", "", 4 * 999 + 1, tooDeep); // the 1000th not
    nested("deep_unary_minus", "- ", "1", "", 2 * 999 + 1, tooDeep); // the 1000th -
    nested("deep_right_operands", "1 + (", "1", ")", 5 * 333 + 3, tooDeep); // + of the 334th: 3 levels each
    nested("deep_match_chain", "x = ", "1", "", 4 * 500 + 1, tooDeep); // the 501st x: 2 levels each
    nested("deep_interpolation", "\"#{", "1", "}\"", 3 * 1001 + 1,
        QStringLiteral("string interpolation is nested too deeply")); // the 1002nd string
    // Long left-associative chains are trees as deep as they are long.
    nested(
        "long_plus_chain", "", "1" + repeat(" + 1", kDepth), "", 4 * 999 + 1, tooDeep); // the 1000th operand
    nested("long_pipe_chain", "", "1" + repeat(" |> abs()", kDepth), "", 9 * 999 - 3,
        tooDeep); // abs of the 999th

    // 10 MB lines.
    constexpr size_t kTenMegabytes = size_t(10) << 20U;
    QTest::addRow("huge_unterminated_string")
        << QByteArray::fromStdString("x = \"" + std::string(kTenMegabytes, 'a') + "\n")
        << QStringLiteral("TokenMissingError") << 2 << 1
        << QStringLiteral("missing terminator: \" (for string starting at line 1)") << false;
    QTest::addRow("huge_comment_then_error")
        << QByteArray::fromStdString("# " + std::string(kTenMegabytes, 'a') + "\nx = )\n")
        << QStringLiteral("SyntaxError") << 2 << 5 << QStringLiteral("unexpected token: )") << false;
    {
        // A 10 MB line of ten thousand 1 KB strings in a list, ended by a stray ')'.
        const std::string element = "\"" + std::string(1022, 'a') + "\", ";
        const std::string source = "x = [" + repeat(element, kTenMegabytes / element.size()) + "1)";
        QTest::addRow("huge_line_stray_paren")
            << QByteArray::fromStdString(source + "\n") << QStringLiteral("SyntaxError") << 1
            << int(source.size()) << QStringLiteral("unexpected token: )") << false;
    }
    {
        // Columns count code points: 5 M two-byte characters before the stray ')'.
        const size_t chars = kTenMegabytes / 2;
        const std::string source = "x = \"" + repeat("\xc3\xa9", chars) + "\" )";
        QTest::addRow("huge_utf8_line_stray_paren")
            << QByteArray::fromStdString(source + "\n") << QStringLiteral("SyntaxError") << 1
            << int(5 + chars + 3) << QStringLiteral("unexpected token: )") << false;
    }
}

void TestMalformed::generated()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, kind);
    QFETCH(int, line);
    QFETCH(int, col);
    QFETCH(QString, message);
    QFETCH(bool, nestingLimit);
    Expectation e;
    e.file = QString::fromLatin1(QTest::currentDataTag()) + QStringLiteral(".exs");
    e.kind = kind;
    e.line = line;
    e.col = col;
    e.message = message;
    e.nestingLimit = nestingLimit;
    checkRejected(source.toStdString(), e);
}

void TestMalformed::runner_data()
{
    QTest::addColumn<QString>("file");
    for (const char *name : { "unterminated_string.exs", "missing_end_fn.exs", "stray_close_paren.exs",
             "defmodule.exs", "undefined_variable.exs", "unknown_module.exs", "empty.exs", "nul_byte.exs" })
        QTest::addRow("%s", name) << QString::fromLatin1(name);
    QTest::addRow("huge_unterminated_string") << QString();
}

void TestMalformed::runner()
{
    QFETCH(QString, file);
    QTemporaryDir scratch;
    QString dir = malformedDir();
    Expectation expected;
    if (file.isEmpty()) {
        // A 10 MB file, written here rather than stored.
        QVERIFY(scratch.isValid());
        dir = scratch.path();
        file = QStringLiteral("huge_unterminated_string.exs");
        QFile out(scratch.filePath(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("x = \"" + QByteArray(10 << 20, 'a') + "\n");
        out.close();
        expected = { file, QStringLiteral("TokenMissingError"), 2, 1, QStringLiteral("missing terminator") };
    } else {
        const auto it = std::find_if(
            m_manifest.begin(), m_manifest.end(), [&](const Expectation &e) { return e.file == file; });
        QVERIFY(it != m_manifest.end());
        expected = *it;
    }

    QProcess run;
    run.setWorkingDirectory(dir);
    run.start(QStringLiteral(MAILROOM_RUN_PATH), { file });
    QVERIFY2(run.waitForFinished(kEvalTimeoutSeconds * 1000), "mailroom-run hung");
    QCOMPARE(run.exitStatus(), QProcess::NormalExit); // no crash
    const QByteArray out = run.readAllStandardOutput();
    const QByteArray err = run.readAllStandardError();
    QCOMPARE(out, QByteArray()); // nothing half-run
    if (expected.kind == QStringLiteral("ok")) {
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(err, QByteArray());
        return;
    }
    QCOMPARE(run.exitCode(), 1);
    const std::string prefix = bannerPrefix(expected.kind, file, expected.line, expected.col);
    QVERIFY2(err.startsWith(QByteArray::fromStdString(prefix)), err.left(400).constData());

    // The same banner as the console shows, in full (a fresh process: no variables, as a file);
    // mailroom-run adds the FILE:LINE stack line under it, as `elixir FILE.exs` does.
    const Outcome session = evaluateFresh(readBytes(QDir(dir).filePath(file)).toStdString(), file);
    QVERIFY(session.finished);
    QVERIFY2(err.startsWith(QByteArray::fromStdString(session.result.text + "\n")), err.constData());
}

QTEST_GUILESS_MAIN(TestMalformed)
#include "tst_malformed.moc"
