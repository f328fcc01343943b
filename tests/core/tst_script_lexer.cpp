// SPDX-License-Identifier: MIT
// The script language's tokenizer: tokens, positions, newlines, strings and errors. Error
// messages follow what `elixir FILE.exs` 1.14 prints for the same input.
#include "script/lexer.h"

#include <QtTest>
#include <sstream>

using namespace mailroom::script;

namespace {

const char *kindName(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Integer:
        return "int";
    case TokenKind::Float:
        return "float";
    case TokenKind::Atom:
        return "atom";
    case TokenKind::String:
        return "str";
    case TokenKind::Charlist:
        return "chars";
    case TokenKind::Identifier:
        return "id";
    case TokenKind::Alias:
        return "alias";
    case TokenKind::Keyword:
        return "kw";
    case TokenKind::CaptureArg:
        return "cap";
    case TokenKind::Reserved:
        return "res";
    case TokenKind::Operator:
        return "op";
    case TokenKind::Eol:
        return "eol";
    case TokenKind::Eof:
        return "eof";
    }
    return "?";
}

std::string render(const std::vector<Token> &tokens);

// One token as kind:value; strings show their parts, code parts in braces.
std::string render(const Token &t)
{
    std::string out = kindName(t.kind);
    switch (t.kind) {
    case TokenKind::Integer:
    case TokenKind::CaptureArg:
        return out + ":" + std::to_string(t.integer);
    case TokenKind::Float: {
        std::ostringstream s;
        s << t.floating;
        return out + ":" + s.str();
    }
    case TokenKind::String:
    case TokenKind::Charlist:
        out += ":";
        for (const auto &p : t.parts)
            out += p.isCode ? "{" + render(p.tokens) + "}" : "\"" + p.text + "\"";
        return out;
    case TokenKind::Eol:
    case TokenKind::Eof:
        return out;
    default:
        return out + ":" + t.text;
    }
}

std::string render(const std::vector<Token> &tokens)
{
    std::string out;
    for (const auto &t : tokens) {
        if (t.kind == TokenKind::Eof)
            continue;
        if (!out.empty())
            out += ' ';
        out += render(t);
    }
    return out;
}

} // namespace

class TestScriptLexer : public QObject {
    Q_OBJECT

private slots:
    void tokens_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::addRow("integers with underscores") << "1_000_000 42"
                                                   << "int:1000000 int:42";
        QTest::addRow("hex, binary, octal") << "0x1F 0b101 0o17"
                                            << "int:31 int:5 int:15";
        QTest::addRow("floats") << "1.5 2.0e3 1.0e-2"
                                << "float:1.5 float:2000 float:0.01";
        QTest::addRow("range is not a float") << "1..3"
                                              << "int:1 op:.. int:3";
        QTest::addRow("char literal") << "?a ?\\n"
                                      << "int:97 int:10";
        QTest::addRow("atoms") << ":ok :error? :\"with space\" :Foo"
                               << "atom:ok atom:error? atom:with space atom:Foo";
        QTest::addRow("operator atoms") << ":+ :== :<>"
                                        << "atom:+ atom:== atom:<>";
        QTest::addRow("keyword keys") << "[name: 1, do: 2]"
                                      << "op:[ kw:name int:1 op:, kw:do int:2 op:]";
        QTest::addRow("quoted keyword key") << "%{\"a b\": 1}"
                                            << "op:%{ kw:a b int:1 op:}";
        QTest::addRow("aliases are single segments") << "PledgeServer.State"
                                                     << "alias:PledgeServer op:. alias:State";
        QTest::addRow("identifiers with ? and !") << "valid? run! x_1"
                                                  << "id:valid? id:run! id:x_1";
        QTest::addRow("!= after an identifier") << "a!=b"
                                                << "id:a op:!= id:b";
        QTest::addRow("reserved words") << "fn x -> x end"
                                        << "res:fn id:x op:-> id:x res:end";
        QTest::addRow("word operators") << "a and b or not c in d when e"
                                        << "id:a res:and id:b res:or res:not id:c res:in id:d res:when id:e";
        QTest::addRow("longest operator wins")
            << "a === b !== c |> d <> e ++ f -- g"
            << "id:a op:=== id:b op:!== id:c op:|> id:d op:<> id:e op:++ id:f op:-- "
               "id:g";
        QTest::addRow("arrows") << "x <- y -> z => w"
                                << "id:x op:<- id:y op:-> id:z op:=> id:w";
        QTest::addRow("capture") << "&(&1 + &2)"
                                 << "op:& op:( cap:1 op:+ cap:2 op:)";
        QTest::addRow("pin and map") << "%{^k => v}"
                                     << "op:%{ op:^ id:k op:=> id:v op:}";
        QTest::addRow("struct") << "%Mod{a: 1}"
                                << "op:% alias:Mod op:{ kw:a int:1 op:}";
        QTest::addRow("comments vanish") << "1 # one\n2"
                                         << "int:1 eol int:2";
        QTest::addRow("semicolons end expressions") << "a; b"
                                                    << "id:a eol id:b";
        QTest::addRow("blank lines collapse") << "a\n\n\nb"
                                              << "id:a eol id:b";
        QTest::addRow("newline after an operator continues") << "a +\nb"
                                                             << "id:a op:+ id:b";
        QTest::addRow("newline after a comma continues") << "f(a,\nb)"
                                                         << "id:f op:( id:a op:, id:b op:)";
        QTest::addRow("newline before |> continues") << "a\n|> f()"
                                                     << "id:a op:|> id:f op:( op:)";
        QTest::addRow("newline before unary minus ends") << "a\n-1"
                                                         << "id:a eol op:- int:1";
        QTest::addRow("strings") << "\"a\\tb\\\"c\\\\\""
                                 << "str:\"a\tb\"c\\\"";
        QTest::addRow("unicode escapes") << "\"\\u00e9\\x41\""
                                         << "str:\"\u00e9A\"";
        QTest::addRow("interpolation") << "\"x=#{x + 1}!\""
                                       << "str:\"x=\"{id:x op:+ int:1}\"!\"";
        QTest::addRow("nested interpolation") << "\"a#{\"b#{c}\"}\""
                                              << "str:\"a\"{str:\"b\"{id:c}}";
        QTest::addRow("braces inside interpolation") << "\"#{%{a: 1}}\""
                                                     << "str:{op:%{ kw:a int:1 op:}}";
        QTest::addRow("charlist") << "'abc'"
                                  << "chars:\"abc\"";
        QTest::addRow("heredoc strips the closing indentation") << "\"\"\"\n  one\n    two\n  \"\"\""
                                                                << "str:\"one\n  two\n\"";
        QTest::addRow("escaped hash is text") << "\"\\#{x}\""
                                              << "str:\"#{x}\"";
    }
    void tokens()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(render(tokenize(source.toStdString(), "t.exs"))), expected);
    }

    void positions()
    {
        const auto tokens = tokenize("x = 1\n  IO.puts(\"é\" <> y)", "t.exs");
        // x = 1 eol IO . puts ( "é" <> y ) eof
        QCOMPARE(tokens.size(), size_t(13));
        const auto at
            = [&](size_t i) { return QPair<uint32_t, uint32_t>(tokens[i].pos.line, tokens[i].pos.col); };
        QCOMPARE(at(0), (QPair<uint32_t, uint32_t>(1, 1)));
        QCOMPARE(at(2), (QPair<uint32_t, uint32_t>(1, 5)));
        QCOMPARE(at(3), (QPair<uint32_t, uint32_t>(1, 6))); // the newline itself
        QCOMPARE(at(4), (QPair<uint32_t, uint32_t>(2, 3)));
        QCOMPARE(at(6), (QPair<uint32_t, uint32_t>(2, 6)));
        QCOMPARE(at(8), (QPair<uint32_t, uint32_t>(2, 11)));
        // Columns count code points: "é" is two bytes but one column.
        QCOMPARE(at(9), (QPair<uint32_t, uint32_t>(2, 15)));
    }

    void spaceBefore()
    {
        const auto tokens = tokenize("foo [1] foo[1] a -1 a - 1", "t.exs");
        QVERIFY(tokens[1].isOp("["));
        QVERIFY(tokens[1].spaceBefore);
        QVERIFY(tokens[5].isOp("["));
        QVERIFY(!tokens[5].spaceBefore);
        QVERIFY(tokens[9].isOp("-"));
        QVERIFY(tokens[9].spaceBefore);
        QVERIFY(!tokens[10].spaceBefore);
        QVERIFY(tokens[13].spaceBefore);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::addRow("unterminated string")
            << "x = \"abc\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: \" (for string starting at line 1)";
        QTest::addRow("unterminated charlist")
            << "x = 'abc\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: ' (for string starting at line 1)";
        QTest::addRow("unterminated quoted atom")
            << "x = :\"abc\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: \" (for atom starting at line 1)";
        QTest::addRow("unterminated interpolation")
            << "IO.puts \"a #{x\"\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: \" (for string starting at line 1)";
        QTest::addRow("unterminated heredoc") << "x = \"\"\"\nabc\n"
                                              << "** (TokenMissingError) t.exs:3:1: missing terminator: "
                                                 "\"\"\" (for heredoc starting at line 1)";
        QTest::addRow("identifier glued to a number")
            << "x = 10abc"
            << "** (SyntaxError) t.exs:1:5: invalid character \"a\" after number: identifiers cannot start "
               "with digits; "
               "separate the number from it";
        QTest::addRow("integer beyond 64 bits")
            << "x = 99999999999999999999"
            << "** (SyntaxError) t.exs:1:5: integer literal is too large: Mailroom's integers are 64-bit";
        QTest::addRow("stray character") << "x = $"
                                         << "** (SyntaxError) t.exs:1:5: unexpected token: \"$\" (column 5)";
        QTest::addRow("lone colon") << "x = : 1"
                                    << "** (SyntaxError) t.exs:1:5: unexpected token: \":\"; an atom such as "
                                       ":ok must follow the colon "
                                       "directly";
    }
    void errors()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        try {
            (void)tokenize(source.toStdString(), "t.exs");
            QFAIL("no error");
        } catch (const ScriptError &e) {
            QCOMPARE(QString::fromStdString(e.banner()), expected);
        }
    }

    void deepInterpolationFailsCleanly()
    {
        std::string source = "1";
        for (int i = 0; i < 5000; ++i)
            source = "\"#{" + source + "}\"";
        try {
            (void)tokenize(source, "t.exs");
            QFAIL("no error");
        } catch (const ScriptError &e) {
            QVERIFY2(e.message().find("nested too deeply") != std::string::npos, e.what());
        }
    }

    void tenMegabyteLine()
    {
        const std::string source = "x = \"" + std::string(10'000'000, 'a') + "\"";
        const auto tokens = tokenize(source, "t.exs");
        QCOMPARE(tokens.size(), size_t(4));
        QCOMPARE(tokens[2].parts.front().text.size(), size_t(10'000'000));
    }
};

QTEST_APPLESS_MAIN(TestScriptLexer)
#include "tst_script_lexer.moc"
