// SPDX-License-Identifier: MIT
// The script language's parser: Elixir's precedence and associativity, every construct,
// and errors with their exact message and position. Trees are compared in dump() form:
// (op lhs rhs), (fun args...), (Mod.fun args...).
#include "script/parser.h"

#include <QtTest>

using namespace mailroom::script;

namespace {

QString tree(const QString &source)
{
    return QString::fromStdString(dump(*parseTree(source.toStdString(), "t.exs")));
}

} // namespace

class TestScriptParser : public QObject {
    Q_OBJECT

private slots:
    void precedence_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        // Checked against `quote do: ...` in Elixir 1.14.
        QTest::addRow("* binds tighter than +") << "1 + 2 * 3"
                                                << "(+ 1 (* 2 3))";
        QTest::addRow("parentheses") << "(1 + 2) * 3"
                                     << "(* (+ 1 2) 3)";
        QTest::addRow("- is left-associative") << "1 - 2 - 3"
                                               << "(- (- 1 2) 3)";
        QTest::addRow("** is left-associative") << "2 ** 3 ** 2"
                                                << "(** (** 2 3) 2)";
        QTest::addRow("= is right-associative") << "a = b = c"
                                                << "(= a (= b c))";
        QTest::addRow("<> is right-associative") << "\"a\" <> \"b\" <> \"c\""
                                                 << "(<> \"a\" (<> \"b\" \"c\"))";
        QTest::addRow("++ is right-associative") << "[1] ++ [2] ++ [3]"
                                                 << "(++ [1] (++ [2] [3]))";
        QTest::addRow("&& above ||") << "a || b && c"
                                     << "(|| a (&& b c))";
        QTest::addRow("and above or") << "a or b and c"
                                      << "(or a (and b c))";
        QTest::addRow("comparison above and") << "a == b and c < d"
                                              << "(and (== a b) (< c d))";
        QTest::addRow("unary not binds tightest") << "not a == b"
                                                  << "(== (not a) b)";
        QTest::addRow("unary !") << "!a == b"
                                 << "(== (! a) b)";
        QTest::addRow("unary minus") << "-x * 2"
                                     << "(* (- x) 2)";
        QTest::addRow("negative literal") << "x = -1"
                                          << "(= x -1)";
        QTest::addRow("pipe is rewritten to calls") << "x |> f(1) |> g()"
                                                    << "(g (f x 1))";
        QTest::addRow("pipe below arithmetic") << "a + b |> f()"
                                               << "(f (+ a b))";
        QTest::addRow("pipe into a remote call") << "list |> Enum.map(&(&1 * 2))"
                                                 << "(Enum.map list (& (* &1 2)))";
        QTest::addRow("pipe on the next line") << "a\n|> b()"
                                               << "(b a)";
        QTest::addRow("pipe into case") << "x |> case do 1 -> :a end"
                                        << "(case x (1 -> :a))";
        QTest::addRow("range with step") << "1..10//2"
                                         << "(.. 1 10 2)";
        QTest::addRow("in") << "x in [1, 2]"
                            << "(in x [1, 2])";
        QTest::addRow("not in") << "x not in [1]"
                                << "(not (in x [1]))";
        QTest::addRow("call without parentheses takes -1") << "foo -1"
                                                           << "(foo -1)";
        QTest::addRow("spaced minus subtracts") << "foo - 1"
                                                << "(- foo 1)";
    }
    void precedence()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QCOMPARE(tree(source), expected);
    }

    void constructs_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::addRow("literals") << "[1, 2.5, :ok, \"s\", nil, true]"
                                  << "[1, 2.5, :ok, \"s\", nil, true]";
        QTest::addRow("alias") << "Mod.Sub"
                               << "Mod.Sub";
        QTest::addRow("charlist") << "'ab'"
                                  << "[97, 98]";
        QTest::addRow("interpolation") << "\"x #{y} z\""
                                       << "(<<>> \"x \" y \" z\")";
        QTest::addRow("tuple with keywords") << "{1, 2, a: 3}"
                                             << "{1, 2, [{:a, 3}]}";
        QTest::addRow("cons") << "[h | t]"
                              << "[h | t]";
        QTest::addRow("several heads and a tail") << "[1, 2 | t]"
                                                  << "[1, 2 | t]";
        QTest::addRow("keyword list") << "[a: 1, b: 2]"
                                      << "[{:a, 1}, {:b, 2}]";
        QTest::addRow("map") << "%{\"a\" => 1, b: 2}"
                             << "%{\"a\" => 1, :b => 2}";
        QTest::addRow("map update") << "%{m | a: 1}"
                                    << "%{m | :a => 1}";
        QTest::addRow("struct") << "%Mod.State{a: 1}"
                                << "%Mod.State{:a => 1}";
        QTest::addRow("struct update") << "%Mod{s | a: 2}"
                                       << "%Mod{s | :a => 2}";
        QTest::addRow("access chain") << "x = %{a: %{b: 1}}[:a][:b]"
                                      << "(= x ([] ([] %{:a => %{:b => 1}} :a) :b))";
        QTest::addRow("field access") << "map.field"
                                      << "(map.field noparens)";
        QTest::addRow("remote call") << "Mod.Sub.fun(1)"
                                     << "(Mod.Sub.fun 1)";
        QTest::addRow("call without parentheses") << "IO.puts \"a\", \"b\""
                                                  << "(IO.puts \"a\" \"b\")";
        QTest::addRow("keyword arguments") << "IO.inspect x, label: \"l\""
                                           << "(IO.inspect x [{:label, \"l\"}])";
        QTest::addRow("keywords after arguments") << "f(a, b: 1)"
                                                  << "(f a [{:b, 1}])";
        QTest::addRow("spawn fn") << "spawn fn -> 1 end"
                                  << "(spawn (fn (-> 1)))";
        QTest::addRow("fn as a last argument") << "Enum.map list, fn x -> x * 2 end"
                                               << "(Enum.map list (fn (x -> (* x 2))))";
        QTest::addRow("apply") << "f.(x, y)"
                               << "(.() f x y)";
        QTest::addRow("fn clauses with guards") << "fn x, y when x > y -> x; _, y -> y end"
                                                << "(fn (x y when (> x y) -> x) (_ y -> y))";
        QTest::addRow("fn without arguments") << "fn -> :ok end"
                                              << "(fn (-> :ok))";
        QTest::addRow("multi-line fn") << "fn\n  0 -> :zero\n  n ->\n    n\nend"
                                       << "(fn (0 -> :zero) (n -> n))";
        QTest::addRow("capture expression") << "&(&1 + 1)"
                                            << "(& (+ &1 1))";
        QTest::addRow("capture call") << "&elem(&1, 1)"
                                      << "(& (elem &1 1))";
        QTest::addRow("remote function reference") << "&Enum.map/2"
                                                   << "&Enum.map/2";
        QTest::addRow("local function reference") << "&is_atom/1"
                                                  << "&is_atom/1";
        QTest::addRow("if do-block") << "if x do 1 else 2 end"
                                     << "(if x 1 2)";
        QTest::addRow("if keyword form") << "if x, do: 1, else: 2"
                                         << "(if x 1 2)";
        QTest::addRow("unless") << "unless x, do: 1"
                                << "(if x nil 1)";
        QTest::addRow("do-block goes to the outer call") << "if foo x do y end"
                                                         << "(if (foo x) y nil)";
        QTest::addRow("case") << "case x do {:ok, v} when v > 0 -> v; _ -> 0 end"
                              << "(case x ({:ok, v} when (> v 0) -> v) (_ -> 0))";
        QTest::addRow("case over lines") << "case x do\n  1 ->\n    a\n    b\n  2 -> c\nend"
                                         << "(case x (1 -> (block a b)) (2 -> c))";
        QTest::addRow("cond") << "cond do x > 1 -> :a; true -> :b end"
                              << "(cond ((> x 1) -> :a) (true -> :b))";
        QTest::addRow("receive after") << "receive do {:msg, m} -> m after 100 -> :timeout end"
                                       << "(receive ({:msg, m} -> m) (after 100 -> :timeout))";
        QTest::addRow("receive with only after") << "receive do after 10 -> :ok end"
                                                 << "(receive (after 10 -> :ok))";
        QTest::addRow("try")
            << "try do f() rescue e in RuntimeError -> e catch :exit, r -> r; v -> v else x -> x "
               "after g() end"
            << "(try (f) (rescue ((in e RuntimeError) -> e)) (catch (:exit r -> r) (v -> v)) "
               "(else (x -> x)) (after (g)))";
        QTest::addRow("for") << "for x <- 1..3, y <- [1], x > y, into: %{}, do: {x, y}"
                             << "(for (<- x (.. 1 3)) (<- y [1]) (> x y) (into %{}) {x, y})";
        QTest::addRow("for do-block") << "for x <- l do\n  x * 2\nend"
                                      << "(for (<- x l) (* x 2))";
        QTest::addRow("for reduce") << "for x <- l, reduce: 0 do acc -> acc + x end"
                                    << "(for (<- x l) (reduce 0 (acc -> (+ acc x))))";
        QTest::addRow("with") << "with {:ok, a} <- f(), b = a + 1 do b else :error -> 0 end"
                              << "(with (<- {:ok, a} (f)) (= b (+ a 1)) b (else (:error -> 0)))";
        QTest::addRow("block of lines") << "a = 1\nb = 2\n\na + b"
                                        << "(block (= a 1) (= b 2) (+ a b))";
    }
    void constructs()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QCOMPARE(tree(source), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        // Messages as Elixir 1.14 prints them (CompileError has a column here, which
        // Elixir 1.14 leaves out); Mailroom's own ones name the unsupported construct.
        QTest::addRow("unterminated string")
            << "x = \"abc\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: \" (for string starting at line 1)";
        QTest::addRow("missing end")
            << "if true do\n  1\n"
            << "** (TokenMissingError) t.exs:3:1: missing terminator: end (for \"do\" starting "
               "at line 1)";
        QTest::addRow("missing end of fn")
            << "f = fn x ->\n  x\n"
            << "** (TokenMissingError) t.exs:3:1: missing terminator: end (for \"fn\" "
               "starting at line 1)";
        QTest::addRow("stray end") << "x = 1\nend\n"
                                   << "** (SyntaxError) t.exs:2:1: unexpected reserved word: end";
        QTest::addRow("missing )")
            << "x = (1 + 2\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: ) (for \"(\" starting at "
               "line 1)";
        QTest::addRow("missing ]")
            << "x = [1, 2\n"
            << "** (TokenMissingError) t.exs:2:1: missing terminator: ] (for \"[\" starting at "
               "line 1)";
        QTest::addRow("stray )") << "x = )"
                                 << "** (SyntaxError) t.exs:1:5: unexpected token: )";
        QTest::addRow("incomplete expression")
            << "x = 1 +\n"
            << "** (TokenMissingError) t.exs:1:8: syntax error: expression is "
               "incomplete";
        QTest::addRow("two expressions on a line")
            << "x = 1 2"
            << "** (SyntaxError) t.exs:1:7: syntax error before: \"2\"";
        QTest::addRow("case without clauses")
            << "case 1 do end"
            << "** (CompileError) t.exs:1:8: expected -> clauses for :do in \"case\"";
        QTest::addRow("unknown function")
            << "foo(1)"
            << "** (CompileError) t.exs:1:1: undefined function foo/1 (there is no such "
               "import)";
        QTest::addRow("wrong arity")
            << "x = elem({1}, 0, 1)"
            << "** (CompileError) t.exs:1:5: undefined function elem/3 (there is no such "
               "import)";
        QTest::addRow("unknown variable")
            << "IO.puts(y)"
            << "** (CompileError) t.exs:1:9: undefined function y/0 (there is no such "
               "import)";
        QTest::addRow("variable bound only inside if")
            << "if true do x = 1 end\nIO.puts x"
            << "** (CompileError) t.exs:2:9: undefined function x/0 (there "
               "is no such import)";
        QTest::addRow("operator in a pattern")
            << "x + 1 = 2"
            << "** (CompileError) t.exs:1:3: cannot use the operator + inside a match (patterns hold "
               "literals, "
               "variables, ^pins, tuples, lists, maps, structs and \"prefix\" <> rest)";
        QTest::addRow("call in a pattern")
            << "x = 1\nfoo(x) = 1"
            << "** (CompileError) t.exs:2:1: cannot invoke local function foo/1 inside "
               "a match";
        QTest::addRow("variable as map key in a pattern")
            << "%{a => 1} = %{a: 1}"
            << "** (CompileError) t.exs:1:3: cannot use variable a as map key inside a pattern. Map keys in "
               "patterns "
               "can only be literals (such as atoms, strings, tuples, and the like) or an existing variable "
               "matched "
               "with the pin operator (such as ^some_var)";
        QTest::addRow("unbound pin")
            << "^y = 1"
            << "** (CompileError) t.exs:1:1: undefined variable ^y. No variable \"y\" has been "
               "defined before the current pattern";
        QTest::addRow("_ in an expression")
            << "x = _"
            << "** (CompileError) t.exs:1:5: invalid use of _. \"_\" represents a value "
               "to be ignored in a pattern and cannot be used in expressions";
        QTest::addRow("&1 outside a capture")
            << "&1"
            << "** (CompileError) t.exs:1:1: capture argument &1 must be used within "
               "the capture operator &";
        QTest::addRow("skipped capture argument") << "&(&1 + &3)"
                                                  << "** (CompileError) t.exs:1:1: capture argument &3 "
                                                     "cannot be defined without &2 (you cannot skip "
                                                     "arguments, all arguments must be numbered)";
        QTest::addRow("fn arities differ")
            << "fn x -> x; y, z -> 1 end"
            << "** (CompileError) t.exs:1:12: cannot mix clauses with different "
               "arities in anonymous functions";
        QTest::addRow("guard calls a remote function")
            << "x = 1\ncase x do y when String.upcase(y) -> 1 end"
            << "** (CompileError) t.exs:2:25: cannot invoke remote function String.upcase/1 inside guards";
        QTest::addRow("if with two else")
            << "if true do 1 else 2 else 3 end"
            << "** (CompileError) t.exs:1:1: invalid or duplicate keys for if, only "
               "\"do\" and an optional \"else\" are permitted";
        QTest::addRow("misplaced when")
            << "x = 1 when 2"
            << "** (CompileError) t.exs:1:7: misplaced operator when: guards go in clause "
               "heads, such as x when x > 0 -> ...";
        QTest::addRow("variable called like a function")
            << "x = 1; x -1"
            << "** (CompileError) t.exs:1:8: \"x -1\" looks like a function call but there is a variable "
               "named \"x\". "
               "If you want to perform a function call, use parentheses:\n\n    x(-1)\n\nIf you want to "
               "perform an "
               "operation on the variable x, use spaces around the unary operator";
        QTest::addRow("defmacro")
            << "defmodule Foo do\n  defmacro bar, do: 1\nend"
            << "** (CompileError) t.exs:2:3: defmacro is not supported by Mailroom's script language: modules "
               "may define functions (def, defp), structs (defstruct) and attributes, but no macros, guards, "
               "exceptions or protocols";
        QTest::addRow("def")
            << "def foo(x), do: x"
            << "** (CompileError) t.exs:1:1: cannot invoke def/2 outside module: def/2 can only be used "
               "directly inside defmodule Name do ... end";
        QTest::addRow("import")
            << "x = 1\nimport Enum"
            << "** (CompileError) t.exs:2:1: import is not supported by Mailroom's script language: call "
               "functions with their module's name, such as Enum.map(list, f), or alias the module";
        QTest::addRow("use")
            << "use GenServer"
            << "** (CompileError) t.exs:1:1: cannot invoke use outside module: use can only be used directly "
               "inside defmodule Name do ... end";
        QTest::addRow("quote")
            << "quote do: 1"
            << "** (CompileError) t.exs:1:1: quote is not supported by Mailroom's script language: "
               "the language has no macros or code introspection";
        QTest::addRow("File")
            << "File.read!(\"x\")"
            << "** (CompileError) t.exs:1:6: File.read! is not supported by Mailroom's script "
               "language: scripts have no access to files, the network or the operating system";
        QTest::addRow(":os")
            << ":os.cmd('ls')"
            << "** (CompileError) t.exs:1:5: :os.cmd is not supported by Mailroom's script language: "
               "scripts have no access to files, the network or the operating system";
        QTest::addRow("Code")
            << "Code.eval_string(\"1\")"
            << "** (CompileError) t.exs:1:6: Code.eval_string is not supported by Mailroom's script "
               "language: scripts cannot load, compile or inspect code";
        QTest::addRow(":erlang")
            << ":erlang.halt()"
            << "** (CompileError) t.exs:1:9: :erlang.halt is not supported by Mailroom's script "
               "language: Erlang's internals are out of the sandbox; use the Elixir function "
               "(such as elem/2 or Process.sleep/1) instead";
        QTest::addRow("module attribute")
            << "@limit 1"
            << "** (CompileError) t.exs:1:1: @limit is not supported by Mailroom's script "
               "language: module attributes exist only inside modules";
        QTest::addRow("sigil")
            << "x = ~w(a b)"
            << "** (CompileError) t.exs:1:5: sigils such as ~w\"...\" are not supported by "
               "Mailroom's script language; write a string or a list instead";
        QTest::addRow("do-block on a plain call") << "f(x) do 1 end"
                                                  << "** (CompileError) t.exs:1:1: do-blocks can only follow "
                                                     "if, unless, case, cond, receive, try, for and "
                                                     "with; f does not take one";
    }
    void errors()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        try {
            (void)parseProgram(source.toStdString(), "t.exs");
            QFAIL("no error");
        } catch (const ScriptError &e) {
            QCOMPARE(QString::fromStdString(e.banner()), expected);
        }
    }

    // An unsupported construct late in a file stops it before anything runs.
    void wholeFileIsCheckedFirst()
    {
        try {
            (void)parseProgram("IO.puts \"first\"\nx = 1\nSystem.halt(0)\n", "t.exs");
            QFAIL("no error");
        } catch (const ScriptError &e) {
            QCOMPARE(e.kind(), ScriptError::Kind::CompileError);
            QCOMPARE(e.pos(), (SourcePos{ 3, 8 }));
        }
    }

    void knownVariables()
    {
        ParseOptions options;
        options.knownVariables = { mailroom::Atom::intern("pid") };
        const Program p = parseProgram("send(pid, :hi)", "iex", options);
        QCOMPARE(QString::fromStdString(dump(*p.root)), QString("(send pid :hi)"));
    }

    void deepNesting_data()
    {
        QTest::addColumn<QString>("opener");
        QTest::addColumn<QString>("inner");
        QTest::addColumn<QString>("closer");
        QTest::addRow("lists") << "["
                               << "1"
                               << "]";
        QTest::addRow("parentheses") << "("
                                     << "1"
                                     << ")";
        QTest::addRow("tuples") << "{"
                                << "1"
                                << "}";
        QTest::addRow("fns") << "fn -> "
                             << "1"
                             << " end";
        QTest::addRow("unary operators") << "!"
                                         << "true"
                                         << "";
        QTest::addRow("calls") << "hd(["
                               << "1"
                               << "])";
    }
    void deepNesting()
    {
        QFETCH(QString, opener);
        QFETCH(QString, inner);
        QFETCH(QString, closer);
        QString source = "x = ";
        for (int i = 0; i < 10'000; ++i)
            source += opener;
        source += inner;
        for (int i = 0; i < 10'000; ++i)
            source += closer;
        try {
            (void)parseProgram(source.toStdString(), "t.exs");
            QFAIL("no error");
        } catch (const ScriptError &e) {
            QVERIFY2(e.message().starts_with("expression is nested too deeply"), e.what());
        }
    }

    void longOperatorChainFailsCleanly()
    {
        std::string source = "x = 1";
        for (int i = 0; i < 100'000; ++i)
            source += " + 1";
        try {
            (void)parseProgram(source, "t.exs");
            QFAIL("no error");
        } catch (const ScriptError &e) {
            QVERIFY2(e.message().starts_with("expression is nested too deeply"), e.what());
        }
    }

    void moderateNestingWorks()
    {
        QString source = "x = ";
        for (int i = 0; i < 200; ++i)
            source += "[";
        for (int i = 0; i < 200; ++i)
            source += "]";
        QVERIFY(parseTree(source.toStdString(), "t.exs"));
    }

    void tenMegabyteLine()
    {
        const std::string source = "x = \"" + std::string(10'000'000, 'z') + "\" <> \"!\"";
        const Program p = parseProgram(source, "t.exs");
        const auto &concat = p.root->as<MatchNode>().value->as<BinaryNode>();
        QCOMPARE(concat.lhs->as<LiteralNode>().value.asBinary().size(), size_t(10'000'000));
    }

    void longLiteralList()
    {
        std::string source = "x = [";
        for (int i = 0; i < 300'000; ++i)
            source += "1, ";
        source += "2]";
        const Program p = parseProgram(source, "t.exs");
        const auto &value = p.root->as<MatchNode>().value;
        QCOMPARE(value->kind, NodeKind::Literal); // a list of constants folds into one constant
        QCOMPARE(value->as<LiteralNode>().value.listLength(), size_t(300'001));
    }
};

QTEST_APPLESS_MAIN(TestScriptParser)
#include "tst_script_parser.moc"
