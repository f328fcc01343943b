// SPDX-License-Identifier: MIT
// Output normalisation for the conformance corpus (see README.md).
//
// Header-only and Qt Core only, so any tool (the conformance test, a
// re-recording helper, a debugging aid) can use the very same rules.
#pragma once

#include <QHash>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace conformance {

// Masks what legitimately differs between two runs of the same program:
//  * pids: `#PID<0.N.0>` (Elixir) and `<0.N.0>` (Erlang, e.g. *DBG* lines)
//    become `#PID<PIDk>` / `<PIDk>`, with k numbering distinct pids in order
//    of first appearance in `text`. The same pid gets the same k in both
//    syntaxes, so a stream's pid identities still have to line up.
//  * references: `#Reference<...>` (Elixir) and `#Ref<...>` (Erlang) become
//    `#Reference<REFk>` / `#Ref<REFk>`, numbered the same way.
//  * logger timestamps: `[HH:MM:SS.mmm]` becomes `[HH:MM:SS.mmm]` literally.
// Call it once per stream (stdout and stderr are numbered independently).
inline QString maskOutput(const QString &text)
{
    static const QRegularExpression pidRe(QStringLiteral(R"((#PID)?<(\d+\.\d+\.\d+)>)"));
    static const QRegularExpression refRe(QStringLiteral(R"(#(Reference|Ref)<([\d.]+)>)"));
    static const QRegularExpression timeRe(QStringLiteral(R"(\[\d\d:\d\d:\d\d\.\d\d\d\])"));

    auto renumber = [](const QString &in, const QRegularExpression &re, auto &&replacement) {
        QHash<QString, int> ids;
        QString out;
        out.reserve(in.size());
        qsizetype last = 0;
        auto it = re.globalMatch(in);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            out += QStringView(in).mid(last, m.capturedStart() - last);
            const QString key = m.captured(2);
            auto found = ids.constFind(key);
            const int id = found != ids.constEnd() ? *found : int(ids.size()) + 1;
            if (found == ids.constEnd())
                ids.insert(key, id);
            out += replacement(m, id);
            last = m.capturedEnd();
        }
        out += QStringView(in).mid(last);
        return out;
    };

    QString s = renumber(text, pidRe, [](const QRegularExpressionMatch &m, int id) {
        return m.captured(1) + QStringLiteral("<PID%1>").arg(id);
    });
    s = renumber(s, refRe, [](const QRegularExpressionMatch &m, int id) {
        return QStringLiteral("#%1<REF%2>").arg(m.captured(1)).arg(id);
    });
    s.replace(timeRe, QStringLiteral("[HH:MM:SS.mmm]"));
    return s;
}

// Keeps only the uncaught-error report of the script's process from a raw
// stderr (same rules as filter_stderr in tests/conformance/record):
//  * a head: a line starting at column 0 with `** (`, except Logger report
//    heads: `** (stop) ...`, and a `** (` line right after a Logger header
//    line (`HH:MM:SS.mmm [level] ...`) ending in "terminating" or
//    "raised an exception";
//  * its continuations: indented `** (EXIT) ...` lines directly after a
//    kept head or kept continuation.
// Everything else (stack traces, Logger reports, warnings) is dropped. The
// result has one '\n' after every kept line.
inline QString filterStderr(const QString &raw)
{
    static const QRegularExpression loggerHeader(
        QStringLiteral(R"(^\d\d:\d\d:\d\d\.\d\d\d .*\[[a-z]+\] .*(terminating|raised an exception)$)"));
    static const QRegularExpression continuation(QStringLiteral(R"(^[ \t]+\*\* \(EXIT\))"));

    QString text = raw;
    text.remove(QLatin1Char('\r'));
    QStringList lines = text.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();

    QString out;
    bool keep = false;
    QString prev;
    for (const QString &line : std::as_const(lines)) {
        if (line.startsWith(QLatin1String("** ("))) {
            const bool drop = line.startsWith(QLatin1String("** (stop)"))
                || loggerHeader.match(prev).hasMatch();
            keep = !drop;
            if (keep)
                out += line + QLatin1Char('\n');
        } else if (keep && continuation.match(line).hasMatch()) {
            out += line + QLatin1Char('\n');
        } else {
            keep = false;
        }
        prev = line;
    }
    return out;
}

// The Logger reports of a raw stderr (same rules as filter_logger in
// tests/conformance/record), for the scenarios that compare them: each report from its
// header line (`HH:MM:SS.mmm [level] ...`, kept without the time) to the line before the
// next header or before an uncaught error's head: a `** (` line at column 0, unless it
// directly follows a header ending in "terminating" or "raised an exception" (whose
// banner it is), or before a compiler warning (`warning: `, which the checker may print
// late). Blank lines and stack-trace lines (four spaces, then anything but `** (`) are
// dropped. The result has one '\n' after every kept line.
inline QString filterLogger(const QString &raw)
{
    static const QRegularExpression header(QStringLiteral(R"(^\d\d:\d\d:\d\d\.\d\d\d \[[a-z]+\] )"));
    static const QRegularExpression nested(QStringLiteral(R"(^[ \t]+\*\* \()"));

    QString text = raw;
    text.remove(QLatin1Char('\r'));
    QStringList lines = text.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();

    QString out;
    bool inReport = false;
    bool afterHeader = false;
    for (const QString &line : std::as_const(lines)) {
        if (header.match(line).hasMatch()) {
            inReport = true;
            afterHeader = line.endsWith(QLatin1String("terminating"))
                || line.endsWith(QLatin1String("raised an exception"));
            out += line.mid(13) + QLatin1Char('\n');
            continue;
        }
        if (inReport) {
            if ((line.startsWith(QLatin1String("** (")) && !afterHeader) || line.startsWith(QLatin1String("warning: ")))
                inReport = false;
            else if (!line.isEmpty() && !(line.startsWith(QLatin1String("    ")) && !nested.match(line).hasMatch()))
                out += line + QLatin1Char('\n');
        }
        afterHeader = false;
    }
    return out;
}

// A short, unified-diff-like report of how `actual` differs from
// `expected`: the first differing line number, up to `context` common lines
// before it, then the differing region (common prefix and suffix trimmed)
// as expected (-) and actual (+) lines, at most `maxLines` of each.
// Returns an empty string when the texts are equal.
inline QString describeDifference(const QString &expected, const QString &actual,
    int context = 3, int maxLines = 12)
{
    if (expected == actual)
        return {};
    auto splitLines = [](const QString &text) {
        QStringList lines = text.split(QLatin1Char('\n'));
        if (text.endsWith(QLatin1Char('\n')))
            lines.removeLast();
        return lines;
    };
    const QStringList exp = splitLines(expected);
    const QStringList act = splitLines(actual);

    qsizetype first = 0;
    while (first < exp.size() && first < act.size() && exp[first] == act[first])
        ++first;
    qsizetype expEnd = exp.size(), actEnd = act.size();
    while (expEnd > first && actEnd > first && exp[expEnd - 1] == act[actEnd - 1]) {
        --expEnd;
        --actEnd;
    }

    QString out = QStringLiteral("first difference at line %1 (expected %2 lines, got %3)\n")
                      .arg(first + 1)
                      .arg(exp.size())
                      .arg(act.size());
    for (qsizetype i = qMax<qsizetype>(0, first - context); i < first; ++i)
        out += QStringLiteral("   ") + exp[i] + QLatin1Char('\n');
    auto show = [&](const QStringList &lines, qsizetype end, QChar sign) {
        const qsizetype shown = qMin<qsizetype>(end, first + maxLines);
        for (qsizetype i = first; i < shown; ++i)
            out += QLatin1Char(' ') + sign + QLatin1Char(' ') + lines[i] + QLatin1Char('\n');
        if (shown < end)
            out += QStringLiteral(" %1 ... (%2 more lines)\n").arg(sign).arg(end - shown);
    };
    show(exp, expEnd, QLatin1Char('-'));
    show(act, actEnd, QLatin1Char('+'));
    if (first == exp.size() && first < act.size())
        out += QStringLiteral("   (expected output ends before the + lines)\n");
    if (first == act.size() && first < exp.size())
        out += QStringLiteral("   (actual output ends before the - lines)\n");
    if (exp == act) // only the final newline differs
        out += QStringLiteral("   (only the newline at the end differs)\n");
    for (qsizetype i = expEnd; i < qMin<qsizetype>(exp.size(), expEnd + context); ++i)
        out += QStringLiteral("   ") + exp[i] + QLatin1Char('\n');
    return out;
}

} // namespace conformance
