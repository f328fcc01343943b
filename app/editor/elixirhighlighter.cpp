// SPDX-License-Identifier: MIT
#include "elixirhighlighter.h"

#include <QTextDocument>
#include <array>

namespace mailroom {

namespace {

bool isIdentStart(QChar c) { return c.isLetter() || c == u'_'; }
bool isIdent(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

const QSet<QString> &keywords()
{
    static const QSet<QString> words{ QStringLiteral("do"), QStringLiteral("end"), QStringLiteral("fn"),
        QStringLiteral("case"), QStringLiteral("cond"), QStringLiteral("if"), QStringLiteral("else"),
        QStringLiteral("unless"), QStringLiteral("receive"), QStringLiteral("after"), QStringLiteral("try"),
        QStringLiteral("rescue"), QStringLiteral("catch"), QStringLiteral("when"), QStringLiteral("and"),
        QStringLiteral("or"), QStringLiteral("not"), QStringLiteral("in"), QStringLiteral("for"),
        QStringLiteral("with"), QStringLiteral("use"), QStringLiteral("alias"), QStringLiteral("import"),
        QStringLiteral("require"), QStringLiteral("true"), QStringLiteral("false"), QStringLiteral("nil"),
        QStringLiteral("raise"), QStringLiteral("throw"), QStringLiteral("def"), QStringLiteral("defp"),
        QStringLiteral("defmodule"), QStringLiteral("defstruct"), QStringLiteral("defmacro"),
        QStringLiteral("defimpl"), QStringLiteral("defprotocol") };
    return words;
}

/// The theme's colours: the dark row first, then the light one (Theme.qml's palette).
struct Palette {
    const char *keyword, *atom, *module, *string, *comment, *number, *attribute, *definition, *error;
};
constexpr std::array<Palette, 2> kPalettes{ {
    { "#c792ea", "#82aaff", "#ffcb6b", "#c3e88d", "#697098", "#f78c6c", "#89ddff", "#82aaff", "#ff5370" },
    { "#7c3aed", "#1d4ed8", "#a16207", "#15803d", "#8a8f98", "#c2410c", "#0e7490", "#1d4ed8", "#dc2626" },
} };

QTextCharFormat colour(const char *name, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(QColor(QLatin1String(name)));
    if (bold)
        f.setFontWeight(QFont::DemiBold);
    f.setFontItalic(italic);
    return f;
}

} // namespace

ElixirHighlighter::ElixirHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setDark(true);
}

void ElixirHighlighter::setDark(bool dark)
{
    const Palette &p = kPalettes[dark ? 0 : 1];
    m_keyword = colour(p.keyword, true);
    m_atom = colour(p.atom);
    m_module = colour(p.module);
    m_string = colour(p.string);
    m_comment = colour(p.comment, false, true);
    m_number = colour(p.number);
    m_attribute = colour(p.attribute);
    m_definition = colour(p.definition, true);
    m_errorColor = QColor(QLatin1String(p.error));
    rehighlight();
}

void ElixirHighlighter::setError(int line, int column)
{
    if (line == m_errorLine && column == m_errorColumn)
        return;
    const int before = m_errorLine;
    m_errorLine = line;
    m_errorColumn = column;
    // Only the lines that lose or gain the underline change.
    for (int l : { before, line })
        if (l > 0 && document() != nullptr)
            if (const QTextBlock block = document()->findBlockByNumber(l - 1); block.isValid())
                rehighlightBlock(block);
}

int ElixirHighlighter::string(const QString &text, int from, const QString &quote)
{
    int i = from;
    while (i < text.size()) {
        if (text[i] == u'\\') {
            i += 2;
            continue;
        }
        if (QStringView(text).mid(i).startsWith(quote)) {
            const int end = i + int(quote.size());
            setFormat(from, end - from, m_string);
            return end;
        }
        ++i;
    }
    setFormat(from, int(text.size()) - from, m_string);
    return -1;
}

void ElixirHighlighter::highlightBlock(const QString &text)
{
    setCurrentBlockState(Code);
    int i = 0;
    // A string or heredoc that an earlier line opened.
    switch (previousBlockState()) {
    case InHeredoc:
    case InCharlistHeredoc:
    case InString: {
        const int state = previousBlockState();
        const QString quote = state == InHeredoc ? QStringLiteral("\"\"\"")
            : state == InCharlistHeredoc         ? QStringLiteral("'''")
                                                 : QStringLiteral("\"");
        i = string(text, 0, quote);
        if (i < 0) {
            setCurrentBlockState(state);
            underlineError(text);
            return;
        }
        break;
    }
    default:
        break;
    }
    bool afterDef = false; // the next identifier names a function or a module
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'#') {
            setFormat(i, int(text.size()) - i, m_comment);
            break;
        }
        if (c == u'"' || c == u'\'') {
            const QString triple(3, c);
            const bool heredoc = QStringView(text).mid(i).startsWith(triple);
            const QString quote = heredoc ? triple : QString(c);
            setFormat(i, int(quote.size()), m_string);
            const int end = string(text, i + int(quote.size()), quote);
            if (end < 0) {
                setCurrentBlockState(heredoc ? (c == u'"' ? InHeredoc : InCharlistHeredoc) : InString);
                break;
            }
            i = end;
            continue;
        }
        if (c == u':' && i + 1 < text.size() && (isIdentStart(text[i + 1]) || text[i + 1] == u'"')
            && (i == 0 || text[i - 1] != u':')) {
            if (text[i + 1] == u'"') {
                setFormat(i, 2, m_atom);
                const int end = string(text, i + 2, QStringLiteral("\""));
                if (end < 0)
                    break;
                setFormat(i, end - i, m_atom);
                i = end;
                continue;
            }
            int j = i + 1;
            while (j < text.size() && (isIdent(text[j]) || text[j] == u'?' || text[j] == u'!'))
                ++j;
            setFormat(i, j - i, m_atom);
            i = j;
            continue;
        }
        if (c == u'@' && i + 1 < text.size() && isIdentStart(text[i + 1])) {
            int j = i + 1;
            while (j < text.size() && isIdent(text[j]))
                ++j;
            setFormat(i, j - i, m_attribute);
            i = j;
            continue;
        }
        if (c.isDigit()) {
            int j = i;
            while (j < text.size() && (text[j].isLetterOrNumber() || text[j] == u'_' || (text[j] == u'.' && j + 1 < text.size() && text[j + 1].isDigit())))
                ++j;
            setFormat(i, j - i, m_number);
            i = j;
            continue;
        }
        if (isIdentStart(c)) {
            int j = i;
            while (j < text.size() && (isIdent(text[j]) || text[j] == u'?' || text[j] == u'!'))
                ++j;
            const QString word = text.mid(i, j - i);
            if (j < text.size() && text[j] == u':' && (j + 1 == text.size() || text[j + 1] != u':')) {
                setFormat(i, j - i + 1, m_atom); // a keyword list's key, `name:`
                i = j + 1;
                afterDef = false;
                continue;
            }
            if (c.isUpper()) {
                while (j + 1 < text.size() && text[j] == u'.' && text[j + 1].isUpper()) {
                    j += 1;
                    while (j < text.size() && isIdent(text[j]))
                        ++j;
                }
                setFormat(i, j - i, m_module);
            } else if (keywords().contains(word)) {
                setFormat(i, j - i, m_keyword);
                afterDef = word.startsWith(QLatin1String("def"));
                i = j;
                continue;
            } else if (afterDef) {
                setFormat(i, j - i, m_definition);
            }
            afterDef = false;
            i = j;
            continue;
        }
        if (!c.isSpace())
            afterDef = false;
        ++i;
    }
    underlineError(text);
}

void ElixirHighlighter::underlineError(const QString &text)
{
    if (m_errorLine <= 0 || currentBlock().blockNumber() != m_errorLine - 1)
        return;
    int from = 0;
    int to = int(text.size());
    if (m_errorColumn > 0) {
        from = std::min(m_errorColumn - 1, std::max(0, int(text.size()) - 1));
        // The token there: a word, or one character.
        to = from + 1;
        while (to < text.size() && isIdent(text[from]) && isIdent(text[to]))
            ++to;
    } else {
        while (from < to && text[from].isSpace())
            ++from;
    }
    if (text.isEmpty()) // an error past the end of an empty line: nothing to underline there
        return;
    for (int k = from; k < to; ++k) {
        QTextCharFormat f = format(k);
        // A plain underline: Qt Quick's text renderer draws no wave (it reads fontUnderline(),
        // true for SingleUnderline only); the tint makes a one-character token findable.
        f.setUnderlineStyle(QTextCharFormat::SingleUnderline);
        f.setUnderlineColor(m_errorColor);
        QColor tint = m_errorColor;
        tint.setAlpha(60);
        f.setBackground(tint);
        setFormat(k, 1, f);
    }
}

} // namespace mailroom
