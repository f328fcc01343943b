// SPDX-License-Identifier: MIT
#include "consolemodel.h"

#include "script/completeness.h"

#include <algorithm>

namespace mailroom {

namespace {
constexpr int kHistoryMax = 500;
constexpr int kHoldFrames = 3; // how long a result waits for output recorded before it
} // namespace

ConsoleModel::ConsoleModel(QObject *parent)
    : BridgedModel(parent)
{
}

int ConsoleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QHash<int, QByteArray> ConsoleModel::roleNames() const
{
    return { { KindRole, "kind" }, { TextRole, "text" }, { PromptRole, "prompt" }, { RunningRole, "running" },
        { ContinuationPromptRole, "continuationPrompt" }, { PromptNumberRole, "promptNumber" } };
}

QVariant ConsoleModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Line &line = m_lines[size_t(index.row())];
    switch (role) {
    case KindRole:
        return line.kind;
    case TextRole:
        return line.text;
    case PromptRole:
        return line.prompt > 0 ? promptText(line.prompt) : QString();
    case ContinuationPromptRole:
        return line.prompt > 0 ? continuationText(line.prompt) : QString();
    case RunningRole:
        return line.running;
    case PromptNumberRole:
        return line.kind == QLatin1String("input") ? line.prompt : 0;
    default:
        return {};
    }
}

QString ConsoleModel::promptText(int number)
{
    return QStringLiteral("iex(%1)>").arg(number);
}

QString ConsoleModel::continuationText(int number)
{
    return QStringLiteral("...(%1)>").arg(number);
}

bool ConsoleModel::isIncomplete(const QString &code) const
{
    return script::inputIsIncomplete(code.toStdString());
}

void ConsoleModel::setMaxLines(int max)
{
    if (m_maxLines == max)
        return;
    m_maxLines = std::max(max, 10);
    emit maxLinesChanged();
}

void ConsoleModel::append(Line line)
{
    m_incoming.push_back(std::move(line));
    if (bridge() == nullptr)
        flushIncoming();
}

void ConsoleModel::flushIncoming()
{
    if (m_incoming.empty())
        return;
    // Only the newest maxLines can stay.
    if (int(m_incoming.size()) > m_maxLines)
        m_incoming.erase(m_incoming.begin(), m_incoming.end() - m_maxLines);
    const int drop = std::min(int(m_lines.size()), int(m_lines.size() + m_incoming.size()) - m_maxLines);
    if (drop > 0) {
        beginRemoveRows({}, 0, drop - 1);
        m_lines.erase(m_lines.begin(), m_lines.begin() + drop);
        endRemoveRows();
    }
    const int first = int(m_lines.size());
    beginInsertRows({}, first, first + int(m_incoming.size()) - 1);
    m_lines.insert(m_lines.end(), std::make_move_iterator(m_incoming.begin()),
        std::make_move_iterator(m_incoming.end()));
    endInsertRows();
    m_incoming.clear();
}

void ConsoleModel::trim()
{
    const int drop = int(m_lines.size()) - m_maxLines;
    if (drop <= 0)
        return;
    beginRemoveRows({}, 0, drop - 1);
    m_lines.erase(m_lines.begin(), m_lines.begin() + drop);
    endRemoveRows();
}

void ConsoleModel::placeAnswer(Line line, int prompt)
{
    flushIncoming();
    auto input = std::find_if(m_lines.rbegin(), m_lines.rend(),
        [prompt](const Line &l) { return l.kind == QLatin1String("input") && l.prompt == prompt; });
    if (prompt <= 0 || input == m_lines.rend()) {
        append(std::move(line));
        flushIncoming();
        return;
    }
    const int inputRow = int(m_lines.rend() - input) - 1;
    if (m_lines[size_t(inputRow)].running) {
        m_lines[size_t(inputRow)].running = false;
        const QModelIndex changed = index(inputRow);
        emit dataChanged(changed, changed, { RunningRole });
    }
    // Under the input and what was printed after it, before the next input.
    int row = inputRow + 1;
    while (row < int(m_lines.size()) && m_lines[size_t(row)].kind != QLatin1String("input"))
        ++row;
    beginInsertRows({}, row, row);
    m_lines.insert(m_lines.begin() + row, std::move(line));
    endInsertRows();
    trim();
}

int ConsoleModel::appendInput(const QString &code, bool freshProcess)
{
    const int prompt = m_prompt++;
    append({ QStringLiteral("input"), freshProcess ? code + QStringLiteral("    # in a new process") : code,
        prompt, true });
    flushIncoming(); // the echo shows at once
    const QString entry = code.trimmed();
    if (!entry.isEmpty() && (m_history.isEmpty() || m_history.last() != entry)) {
        m_history.append(entry);
        if (m_history.size() > kHistoryMax)
            m_history.removeFirst();
        emit historyChanged();
    }
    emit promptNumberChanged();
    return prompt;
}

void ConsoleModel::appendResult(int prompt, const QString &text, bool ok, int64_t finishedNs)
{
    m_pending.push_back(
        { { ok ? QStringLiteral("result") : QStringLiteral("error"), text, 0 }, finishedNs, 0, prompt });
}

void ConsoleModel::appendReport(const QString &text, int64_t atNs)
{
    if (bridge() == nullptr) {
        appendError(text);
        return;
    }
    m_pending.push_back({ { QStringLiteral("error"), text, 0 }, atNs, 0, 0 });
}

void ConsoleModel::appendNote(const QString &text)
{
    append({ QStringLiteral("note"), text, 0 });
}

void ConsoleModel::appendError(const QString &text)
{
    append({ QStringLiteral("error"), text, 0 });
}

QString ConsoleModel::historyAt(int back) const
{
    if (back < 0 || back >= m_history.size())
        return {};
    return m_history.at(m_history.size() - 1 - back);
}

void ConsoleModel::clearTranscript()
{
    beginResetModel();
    m_lines.clear();
    m_incoming.clear();
    endResetModel();
}

QString ConsoleModel::transcript() const
{
    QString text;
    for (const Line &line : m_lines)
        text += (line.prompt > 0 ? QStringLiteral("iex(%1)> ").arg(line.prompt) : QString()) + line.text
            + QLatin1Char('\n');
    return text;
}

void ConsoleModel::clear()
{
    m_next = 0;
    m_pending.clear();
    flushIncoming();
}

void ConsoleModel::sync()
{
    const History &history = bridge()->history();
    if (m_next == 0)
        m_next = history.endSeq(); // output from before the console was attached stays out
    m_next = std::max(m_next, history.firstSeq());
    const auto flushPending = [&](int64_t beforeNs, bool force) {
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            if (force || it->finishedNs < beforeNs || it->frames >= kHoldFrames) {
                if (it->answers > 0)
                    placeAnswer(std::move(it->line), it->answers);
                else
                    append(std::move(it->line));
                it = m_pending.erase(it);
            } else {
                ++it;
            }
        }
    };
    for (; m_next < history.endSeq(); ++m_next) {
        const Event *e = history.event(m_next);
        if (e == nullptr || e->type != EventType::Output || !e->term.isBinary())
            continue;
        flushPending(e->time, false); // results of evaluations that ended before this output
        QString text = QString::fromUtf8(e->term.asBinary().data(), qsizetype(e->term.asBinary().size()));
        while (text.endsWith(QLatin1Char('\n')))
            text.chop(1);
        append({ QStringLiteral("output"), text, 0 });
    }
    for (auto &p : m_pending)
        ++p.frames;
    flushPending(history.endSeq() > history.firstSeq() ? bridge()->view().timeNs() : 0, false);
    flushIncoming();
}

} // namespace mailroom
