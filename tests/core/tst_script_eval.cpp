// SPDX-License-Identifier: MIT
// The script language's evaluator, on a single-threaded fake host. Every expected output
// below was printed by real Elixir 1.14 for the same code (`elixir t.exs`); banners are
// the first lines Elixir prints on stderr for an uncaught error.
#include "script/eval.h"

#include <QtTest>
#include <deque>
#include <stdexcept>

using namespace mailroom;
using namespace mailroom::script;

namespace {

/// One process, no runtime: a mailbox for messages to self(), output captured, a
/// Counter module and a Point struct provided "natively".
class TestHost final : public ScriptHost {
public:
    std::string out;
    std::string err;
    std::deque<Term> mailbox;
    std::vector<std::string> calls;
    std::vector<Term> spawned;
    int yields = 0;
    int stopAfterYields = -1; // throw StopProcess at that yield (a kill)
    size_t budget = size_t(2) << 20U;

    Term self() override { return Term(Pid{ 7 }); }
    void send(const Term &dest, const Term &message) override
    {
        if (dest == self())
            mailbox.push_back(message);
        else
            calls.push_back("send " + dest.inspect() + " " + message.inspect());
    }
    std::optional<Term> receive(
        const std::function<bool(const Term &)> &matches, std::optional<int64_t> timeoutMs) override
    {
        for (auto it = mailbox.begin(); it != mailbox.end(); ++it) {
            if (matches(*it)) {
                Term message = *it;
                mailbox.erase(it);
                return message;
            }
        }
        if (!timeoutMs)
            exitWith(Term::atom("would_block_forever")); // one process cannot be sent more
        return std::nullopt;
    }
    Term spawn(const Term &fun, bool link) override
    {
        spawned.push_back(fun);
        calls.push_back(link ? "spawn_link" : "spawn");
        return Term(Pid{ 8 });
    }
    Term callModule(Atom module, Atom function, std::vector<Term> args) override
    {
        calls.push_back(std::string(module.name()) + "." + std::string(function.name()) + "/"
            + std::to_string(args.size()));
        if (module.name() == "Elixir.Counter" && function.name() == "value" && args.empty())
            return Term::integer(42);
        if (module.name() == "Elixir.Process" && function.name() == "whereis" && args.size() == 1)
            return args[0].isAtom("me") ? self() : Term::atom("nil");
        if (module.name() == "Elixir.GenServer" && function.name() == "call")
            exitWith(Term::tuple({ Term::atom("noproc"),
                Term::tuple({ Term::atom("Elixir.GenServer"), Term::atom("call"), Term::list(args) }) }));
        raiseUndefinedFunction(module, function, static_cast<int>(args.size()), false);
    }
    std::optional<Term> structDefaults(Atom module) override
    {
        if (module.name() != "Elixir.Point")
            return std::nullopt;
        return Term::structure(
            "Point", { { Term::atom("x"), Term::integer(0) }, { Term::atom("y"), Term::integer(0) } });
    }
    void yieldPoint() override
    {
        if (++yields == stopAfterYields)
            throw std::runtime_error("killed by the runtime");
    }
    void output(std::string_view text) override { out += text; }
    void errorOutput(std::string_view text) override { err += text; }
    [[nodiscard]] size_t stackBudget() const override { return budget; }
};

Term runScript(TestHost &host, const QString &source, Bindings *bindings = nullptr)
{
    ParseOptions options;
    if (bindings != nullptr)
        for (const auto &[name, value] : *bindings)
            options.knownVariables.push_back(name);
    const Program program = parseProgram(source.toStdString(), "t.exs", options);
    return run(program, host, bindings);
}

} // namespace

class TestScriptEval : public QObject {
    Q_OBJECT

private slots:
    void output_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::addRow("integers and floats")
            << QString("IO.inspect({1_000, 0x1F, 0b101, 1.5e3, -7, 0.1 + 0.2})")
            << QString("{1000, 31, 5, 1500.0, -7, 0.30000000000000004}\n");
        QTest::addRow("arithmetic") << QString(
            "IO.inspect({7 + 2 * 3, 7 / 2, div(7, 2), rem(-7, 2), 2 ** 10, abs(-3), -(4)})")
                                    << QString("{13, 3.5, 3, -1, 1024, 3, -4}\n");
        QTest::addRow("rounding") << QString("IO.inspect({round(2.5), trunc(-2.5), ceil(1.2), floor(-1.2), "
                                             "Float.round(3.14159, 2), max(1, 2), min(:a, 1)})")
                                  << QString("{3, -2, 2, -2, 3.14, 2, 1}\n");
        QTest::addRow("comparison") << QString("IO.inspect({1 == 1.0, 1 === 1.0, 1 != 2, 1 !== 1.0, 1 < :a, "
                                               ":a < \"a\", {1, 2} < [1], nil == false})")
                                    << QString("{true, false, true, true, true, true, true, false}\n");
        QTest::addRow("booleans") << QString("IO.inspect({true and false, nil || 5, 1 && 2, !nil, not true, "
                                             "false or true, nil && raise(\"no\")})")
                                  << QString("{false, 5, 2, true, false, true, nil}\n");
        QTest::addRow("strings") << QString(
            "s = \"héllo\"\n"
            "IO.puts(s <> \"!\")\n"
            "IO.inspect({String.length(s), byte_size(s), String.upcase(s), String.reverse(\"abc\")})")
                                 << QString("héllo!\n"
                                            "{5, 6, \"HÉLLO\", \"cba\"}\n");
        QTest::addRow("escapes") << QString("IO.puts(\"tab\\there \\\"quoted\\\" back\\\\slash \\u00e9\")")
                                 << QString("tab\there \"quoted\" back\\slash é\n");
        QTest::addRow("interpolation")
            << QString("x = 42\n"
                       "IO.puts(\"x=#{x} #{:atom} #{[104, 105]} #{1.5} #{nil}|#{\"in#{\"ner\"}\"}\")")
            << QString("x=42 atom hi 1.5 |inner\n");
        QTest::addRow("heredoc") << QString("text = \"\"\"\n"
                                            "  first\n"
                                            "    second\n"
                                            "  \"\"\"\n"
                                            "IO.write(text)")
                                 << QString("first\n"
                                            "  second\n");
        QTest::addRow("charlists") << QString("IO.inspect({'abc', ?a, [104, 105], 'a#{1}b'})")
                                   << QString("{'abc', 97, 'hi', 'a1b'}\n");
        QTest::addRow("atoms and aliases")
            << QString("IO.inspect([:ok, :\"with space\", Counter, PledgeServer.State, nil, true, "
                       ":\"Elixir.Foo\"])")
            << QString("[:ok, :\"with space\", Counter, PledgeServer.State, nil, true, Foo]\n");
        QTest::addRow("tuples") << QString(
            "t = {1, :two, \"three\"}\n"
            "IO.inspect({elem(t, 1), tuple_size(t), put_elem(t, 0, :one), Tuple.to_list(t)})")
                                << QString("{:two, 3, {:one, :two, \"three\"}, [1, :two, \"three\"]}\n");
        QTest::addRow("lists") << QString(
            "l = [1, 2, 3]\n"
            "IO.inspect({hd(l), tl(l), length(l), [0 | l], l ++ [4], l -- [2], [1 | [2]]})")
                               << QString("{1, [2, 3], 3, [0, 1, 2, 3], [1, 2, 3, 4], [1, 3], [1, 2]}\n");
        QTest::addRow("keyword lists") << QString(
            "kw = [a: 1, b: 2]\n"
            "IO.inspect({kw, kw[:b], Keyword.get(kw, :a), Keyword.put(kw, :c, 3), Keyword.keys(kw)})")
                                       << QString("{[a: 1, b: 2], 2, 1, [c: 3, a: 1, b: 2], [:a, :b]}\n");
        QTest::addRow("maps")
            << QString("m = %{:a => 1, \"b\" => 2}\n"
                       "IO.inspect(m)\n"
                       "IO.inspect({m.a, m[\"b\"], m[:zz], Map.put(m, :c, 3), %{m | a: 10}, map_size(m)})")
            << QString("%{:a => 1, \"b\" => 2}\n"
                       "{1, 2, nil, %{:a => 1, :c => 3, \"b\" => 2}, %{:a => 10, \"b\" => 2}, 2}\n");
        QTest::addRow("nested data")
            << QString("IO.inspect(%{user: %{name: \"joe\", tags: [:a, :b]}, count: 3, pair: {1, [2]}})")
            << QString("%{count: 3, pair: {1, [2]}, user: %{name: \"joe\", tags: [:a, :b]}}\n");
        QTest::addRow("ranges") << QString(
            "IO.inspect({1..3, Enum.to_list(1..9//4), Enum.to_list(3..1), 2 in 1..3, Enum.sum(1..100)})")
                                << QString("{1..3, [1, 5, 9], [3, 2, 1], true, 5050}\n");
        QTest::addRow("structs") << QString("IO.inspect(%RuntimeError{message: \"x\"})\n"
                                            "e = %ArgumentError{}\n"
                                            "IO.inspect({e.message, %{e | message: \"y\"}})")
                                 << QString("%RuntimeError{message: \"x\"}\n"
                                            "{\"argument error\", %ArgumentError{message: \"y\"}}\n");
        QTest::addRow("destructuring") << QString("{a, [b | rest], %{k: c}} = {1, [2, 3, 4], %{k: 5, j: 6}}\n"
                                                  "IO.inspect({a, b, rest, c})")
                                       << QString("{1, 2, [3, 4], 5}\n");
        QTest::addRow("rebinding and pins") << QString("x = 1\n"
                                                       "x = x + 1\n"
                                                       "{^x, y} = {2, 3}\n"
                                                       "IO.inspect({x, y})")
                                            << QString("{2, 3}\n");
        QTest::addRow("string prefix pattern") << QString("\"hello \" <> name = \"hello world\"\n"
                                                          "IO.puts(name)")
                                               << QString("world\n");
        QTest::addRow("repeated variables must agree")
            << QString("same = fn pair -> case pair do {x, x} -> :same; _ -> :different end end\n"
                       "IO.inspect({same.({1, 1}), same.({1, 2}), same.({1, 1.0})})")
            << QString("{:same, :different, :different}\n");
        QTest::addRow("nested match") << QString("[first | _] = list = [1, 2]\n"
                                                 "IO.inspect({first, list})")
                                      << QString("{1, [1, 2]}\n");
        QTest::addRow("case with guards")
            << QString("classify = fn value ->\n"
                       "  case value do\n"
                       "    n when is_integer(n) and n > 100 -> :big\n"
                       "    n when is_integer(n) -> :small\n"
                       "    {:ok, inner} -> {:wrapped, inner}\n"
                       "    _ -> :other\n"
                       "  end\n"
                       "end\n"
                       "IO.inspect(Enum.map([500, 5, {:ok, 1}, \"x\"], classify))")
            << QString("[:big, :small, {:wrapped, 1}, :other]\n");
        QTest::addRow("if and unless") << QString(
            "IO.inspect({if(true, do: 1), if(false, do: 1), unless(false, do: 2), if(nil, do: 1, else: 3)})\n"
            "if 1 > 0 do\n"
            "  IO.puts(\"positive\")\n"
            "else\n"
            "  IO.puts(\"not positive\")\n"
            "end")
                                       << QString("{1, nil, 2, 3}\n"
                                                  "positive\n");
        QTest::addRow("cond") << QString("grade = fn score ->\n"
                                         "  cond do\n"
                                         "    score >= 90 -> \"A\"\n"
                                         "    score >= 80 -> \"B\"\n"
                                         "    true -> \"C\"\n"
                                         "  end\n"
                                         "end\n"
                                         "IO.inspect(Enum.map([95, 85, 10], grade))")
                              << QString("[\"A\", \"B\", \"C\"]\n");
        QTest::addRow("fn clauses") << QString("sign = fn\n"
                                               "  0 -> :zero\n"
                                               "  n when n < 0 -> :negative\n"
                                               "  _ -> :positive\n"
                                               "end\n"
                                               "IO.inspect(Enum.map([-2, 0, 5], sign))")
                                    << QString("[:negative, :zero, :positive]\n");
        QTest::addRow("closures capture their variables") << QString("n = 10\n"
                                                                     "add = fn x -> x + n end\n"
                                                                     "n = 20\n"
                                                                     "IO.inspect({add.(1), n})")
                                                          << QString("{11, 20}\n");
        QTest::addRow("captures") << QString(
            "IO.inspect({Enum.map([1, 2], &(&1 * 10)), Enum.map([{1, :a}], &elem(&1, 1)), Enum.map([\"a\"], "
            "&String.upcase/1), (&(&1 - &2)).(5, 3), Enum.filter([1, :a], &is_atom/1)})")
                                  << QString("{[10, 20], [:a], [\"A\"], 2, [:a]}\n");
        QTest::addRow("pipes") << QString("[3, 1, 2]\n"
                                          "|> Enum.sort()\n"
                                          "|> Enum.map(&(&1 * 2))\n"
                                          "|> IO.inspect()\n"
                                          "\"abc\" |> String.upcase() |> IO.puts")
                               << QString("[2, 4, 6]\n"
                                          "ABC\n");
        QTest::addRow("for comprehensions")
            << QString("IO.inspect(for x <- 1..4, rem(x, 2) == 0, do: x * x)\n"
                       "IO.inspect(for x <- [1, 2], y <- [:a, :b], do: {x, y})\n"
                       "IO.inspect(for {k, v} <- %{a: 1, b: 2}, into: %{}, do: {v, k})\n"
                       "IO.inspect(for x <- [1, 2, 3], reduce: 0 do\n"
                       "  acc -> acc + x\n"
                       "end)\n"
                       "IO.inspect(for {:ok, v} <- [{:ok, 1}, :error, {:ok, 2}], do: v)\n"
                       "IO.inspect(for x <- [1, 1, 2], uniq: true, do: x)")
            << QString("[4, 16]\n"
                       "[{1, :a}, {1, :b}, {2, :a}, {2, :b}]\n"
                       "%{1 => :a, 2 => :b}\n"
                       "6\n"
                       "[1, 2]\n"
                       "[1, 2]\n");
        QTest::addRow("with") << QString(
            "ok = fn x -> {:ok, x} end\n"
            "IO.inspect(with {:ok, a} <- ok.(1), {:ok, b} <- ok.(a + 1), do: a + b)\n"
            "IO.inspect(with {:ok, a} <- {:error, :nope}, do: a)\n"
            "IO.inspect(with {:ok, _} <- {:error, :nope} do\n"
            "  :fine\n"
            "else\n"
            "  {:error, reason} -> {:failed, reason}\n"
            "end)")
                              << QString("3\n"
                                         "{:error, :nope}\n"
                                         "{:failed, :nope}\n");
        QTest::addRow("rescue") << QString("r = try do\n"
                                           "  raise \"boom\"\n"
                                           "rescue\n"
                                           "  e in RuntimeError -> {:rescued, e.message}\n"
                                           "end\n"
                                           "IO.inspect(r)\n"
                                           "try do\n"
                                           "  raise ArgumentError, message: \"bad arg\"\n"
                                           "rescue\n"
                                           "  ArgumentError -> IO.puts(\"by module\")\n"
                                           "end")
                                << QString("{:rescued, \"boom\"}\n"
                                           "by module\n");
        QTest::addRow("rescue normalizes Erlang errors")
            << QString("try do\n"
                       "  1 + Enum.at([:a], 0)\n"
                       "rescue\n"
                       "  e -> IO.inspect(e)\n"
                       "end\n"
                       "try do\n"
                       "  {:a} = Enum.at([{:b}], 0)\n"
                       "rescue\n"
                       "  e in [MatchError, KeyError] -> IO.inspect(e)\n"
                       "end")
            << QString("%ArithmeticError{message: \"bad argument in arithmetic expression\"}\n"
                       "%MatchError{term: {:b}}\n");
        QTest::addRow("catch") << QString(
            "IO.inspect(try do throw(:ball) catch :throw, v -> {:caught, v} end)\n"
            "IO.inspect(try do exit(:bye) catch :exit, r -> {:exited, r} end)\n"
            "IO.inspect(try do throw(1) catch x -> x end)\n"
            "IO.inspect(try do 1 + Enum.at([:a], 0) catch kind, reason -> {kind, reason} end)")
                               << QString("{:caught, :ball}\n"
                                          "{:exited, :bye}\n"
                                          "1\n"
                                          "{:error, :badarith}\n");
        QTest::addRow("try else and after") << QString("x = try do\n"
                                                       "  :ok\n"
                                                       "rescue\n"
                                                       "  _ -> :error\n"
                                                       "else\n"
                                                       "  :ok -> :fine\n"
                                                       "after\n"
                                                       "  IO.puts(\"after runs\")\n"
                                                       "end\n"
                                                       "IO.inspect(x)\n"
                                                       "try do\n"
                                                       "  try do\n"
                                                       "    raise \"inner\"\n"
                                                       "  after\n"
                                                       "    IO.puts(\"cleanup\")\n"
                                                       "  end\n"
                                                       "rescue\n"
                                                       "  e -> IO.puts(Exception.message(e))\n"
                                                       "end")
                                            << QString("after runs\n"
                                                       ":fine\n"
                                                       "cleanup\n"
                                                       "inner\n");
        QTest::addRow("exception messages")
            << QString("attempts = [\n"
                       "  fn -> {:a} = Enum.at([{:b}], 0) end,\n"
                       "  fn -> Map.fetch!(%{}, :k) end,\n"
                       "  fn -> raise ArgumentError, \"bad\" end,\n"
                       "  fn -> elem(Enum.at([{}], 0), 1) end,\n"
                       "  fn -> hd(Enum.at([[]], 0)) end,\n"
                       "  fn -> Enum.at([%{}], 0).missing end,\n"
                       "  fn -> String.to_integer(\"12x\") end,\n"
                       "  fn -> Enum.map(Enum.at([1], 0), fn x -> x end) end,\n"
                       "  fn -> to_string(Enum.at([{1}], 0)) end,\n"
                       "  fn -> Foo.bar() end,\n"
                       "  fn -> Enum.nope() end,\n"
                       "  fn -> case Enum.at([3], 0) do 1 -> :one end end,\n"
                       "  fn -> cond do Enum.at([false], 0) -> 1 end end,\n"
                       "  fn -> Enum.at([5], 0).(1) end,\n"
                       "  fn -> %{Enum.at([%{}], 0) | a: 1} end,\n"
                       "  fn -> div(1, Enum.at([0], 0)) end\n"
                       "]\n"
                       "for f <- attempts do\n"
                       "  try do\n"
                       "    f.()\n"
                       "  rescue\n"
                       "    e -> IO.puts(inspect(e.__struct__) <> \": \" <> Exception.message(e))\n"
                       "  end\n"
                       "end")
            << QString(
                   "MatchError: no match of right hand side value: {:b}\n"
                   "KeyError: key :k not found in: %{}\n"
                   "ArgumentError: bad\n"
                   "ArgumentError: errors were found at the given arguments:\n"
                   "\n"
                   "  * 1st argument: out of range\n"
                   "\n"
                   "ArgumentError: errors were found at the given arguments:\n"
                   "\n"
                   "  * 1st argument: not a nonempty list\n"
                   "\n"
                   "KeyError: key :missing not found in: %{}\n"
                   "ArgumentError: errors were found at the given arguments:\n"
                   "\n"
                   "  * 1st argument: not a textual representation of an integer\n"
                   "\n"
                   "Protocol.UndefinedError: protocol Enumerable not implemented for 1 of type Integer\n"
                   "Protocol.UndefinedError: protocol String.Chars not implemented for {1} of type Tuple\n"
                   "UndefinedFunctionError: function Foo.bar/0 is undefined (module Foo is not available)\n"
                   "UndefinedFunctionError: function Enum.nope/0 is undefined or private\n"
                   "CaseClauseError: no case clause matching: 3\n"
                   "CondClauseError: no cond clause evaluated to a truthy value\n"
                   "BadFunctionError: expected a function, got: 5\n"
                   "KeyError: key :a not found\n"
                   "ArithmeticError: bad argument in arithmetic expression\n");
        QTest::addRow("Enum") << QString(
            "l = [3, 1, 2]\n"
            "IO.inspect({Enum.map(l, &(&1 + 1)), Enum.filter(l, &(&1 > 1)), Enum.reject(l, &(&1 > 1)), "
            "Enum.reduce(l, 0, &+/2)})\n"
            "IO.inspect({Enum.reduce(l, &(&1 * &2)), Enum.sum(l), Enum.count(l), Enum.count(l, &(&1 > 1)), "
            "Enum.at(l, 1), Enum.at(l, -1), Enum.at(l, 9)})\n"
            "IO.inspect({Enum.sort(l), Enum.sort(l, :desc), Enum.sort(l, &(&1 >= &2)), Enum.sort_by([\"bb\", "
            "\"a\"], &String.length/1), Enum.reverse(l)})\n"
            "IO.inspect({Enum.take(l, 2), Enum.take(l, -1), Enum.drop(l, 1), Enum.min(l), Enum.max(l), "
            "Enum.uniq([1, 1, 2]), Enum.member?(l, 2)})\n"
            "IO.inspect({Enum.join([\"a\", \"b\"], \"-\"), Enum.map_join(l, \",\", &(&1 * 2)), "
            "Enum.with_index([:a, :b]), Enum.zip(l, [:x, :y])})\n"
            "IO.inspect({Enum.find(l, &(&1 < 3)), Enum.any?(l, &(&1 > 2)), Enum.all?(l, &(&1 > 0)), "
            "Enum.empty?([]), Enum.to_list(%{a: 1})})\n"
            "Enum.each([1, 2], fn x -> IO.puts(x) end)\n"
            "IO.inspect({Enum.group_by([1, 2, 3], &rem(&1, 2)), Enum.frequencies([:a, :b, :a]), "
            "Enum.chunk_every([1, 2, 3], 2), Enum.flat_map([1, 2], &[&1, &1])})\n"
            "IO.inspect({Enum.reduce_while(1..10, 0, fn x, acc -> if x > 3, do: {:halt, acc}, else: {:cont, "
            "acc + x} end), Enum.into([a: 1], %{}), Enum.min_by([\"aa\", \"b\"], &String.length/1)})")
                              << QString("{[4, 2, 3], [3, 2], [1], 6}\n"
                                         "{6, 6, 3, 2, 1, 2, nil}\n"
                                         "{[1, 2, 3], [3, 2, 1], [3, 2, 1], [\"a\", \"bb\"], [2, 1, 3]}\n"
                                         "{[3, 1], [2], [1, 2], 1, 3, [1, 2], true}\n"
                                         "{\"a-b\", \"6,2,4\", [a: 0, b: 1], [{3, :x}, {1, :y}]}\n"
                                         "{1, true, true, true, [a: 1]}\n"
                                         "1\n"
                                         "2\n"
                                         "{%{0 => [2], 1 => [1, 3]}, %{a: 2, b: 1}, [[1, 2], [3]], [1, 1, 2, "
                                         "2]}\n"
                                         "{6, %{a: 1}, \"b\"}\n");
        QTest::addRow("String") << QString(
            "IO.inspect({String.split(\"a b  c\"), String.split(\"a,b,,c\", \",\"), String.split(\"a,b,,c\", "
            "\",\", trim: true), String.split(\"a-b-c\", \"-\", parts: 2)})\n"
            "IO.inspect({String.downcase(\"ABC\"), String.capitalize(\"hELLO\"), String.trim(\"  x  \"), "
            "String.replace(\"a-b\", \"-\", \"+\"), String.duplicate(\"ab\", 3)})\n"
            "IO.inspect({String.contains?(\"hello\", \"ell\"), String.starts_with?(\"hello\", \"he\"), "
            "String.ends_with?(\"hello\", \"lo\"), String.slice(\"hello\", 1, 3), String.slice(\"hello\", "
            "1..3)})\n"
            "IO.inspect({String.to_atom(\"abc\"), String.to_integer(\"42\"), Integer.to_string(42), "
            "Integer.to_string(255, 16), Integer.parse(\"12abc\"), String.pad_leading(\"7\", 3, \"0\")})\n"
            "IO.inspect({String.at(\"abc\", -1), String.first(\"abc\"), String.last(\"abc\"), "
            "String.graphemes(\"ab\"), String.to_charlist(\"hi\"), to_string('hi')})")
                                << QString("{[\"a\", \"b\", \"c\"], [\"a\", \"b\", \"\", \"c\"], [\"a\", "
                                           "\"b\", \"c\"], [\"a\", \"b-c\"]}\n"
                                           "{\"abc\", \"Hello\", \"x\", \"a+b\", \"ababab\"}\n"
                                           "{true, true, true, \"ell\", \"ell\"}\n"
                                           "{:abc, 42, \"42\", \"FF\", {12, \"abc\"}, \"007\"}\n"
                                           "{\"c\", \"a\", \"c\", [\"a\", \"b\"], 'hi', \"hi\"}\n");
        QTest::addRow("Map, List, Tuple, Keyword")
            << QString(
                   "m = %{a: 1}\n"
                   "IO.inspect({Map.get(m, :a), Map.get(m, :b, 0), Map.fetch(m, :a), Map.fetch(m, :b), "
                   "Map.has_key?(m, :a), Map.keys(%{b: 2, a: 1}), Map.values(%{b: 2, a: 1})})\n"
                   "IO.inspect({Map.delete(m, :a), Map.merge(m, %{b: 2}), Map.update(m, :a, 0, &(&1 + 1)), "
                   "Map.update(m, :z, 0, &(&1 + 1)), Map.new([{:x, 1}]), Map.to_list(m)})\n"
                   "IO.inspect({List.first([1, 2]), List.last([1, 2]), List.first([]), List.flatten([1, [2, "
                   "[3]]]), List.wrap(nil), List.delete([1, 2, 1], 1), List.insert_at([1, 2], 1, :x)})\n"
                   "IO.inspect({Tuple.append({1}, 2), Keyword.merge([a: 1], [b: 2]), Keyword.delete([a: 1, "
                   "b: 2], :a), Keyword.has_key?([a: 1], :a)})")
            << QString("{1, 0, {:ok, 1}, :error, true, [:a, :b], [1, 2]}\n"
                       "{%{}, %{a: 1, b: 2}, %{a: 2}, %{a: 1, z: 0}, %{x: 1}, [a: 1]}\n"
                       "{1, 2, nil, [1, 2, 3], [], [2, 1], [1, :x, 2]}\n"
                       "{{1, 2}, [a: 1, b: 2], [b: 2], true}\n");
        QTest::addRow("IO.inspect returns its argument")
            << QString("x = IO.inspect(5, label: \"five\")\n"
                       "IO.puts(x + 1)\n"
                       "IO.inspect(%{list: Enum.to_list(1..30), name: \"a long enough string to wrap\"}, "
                       "label: \"wide\")")
            << QString("five: 5\n"
                       "6\n"
                       "wide: %{\n"
                       "  list: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,\n"
                       "   21, 22, 23, 24, 25, 26, 27, 28, 29, 30],\n"
                       "  name: \"a long enough string to wrap\"\n"
                       "}\n");
        QTest::addRow("IO.inspect wraps at 80 columns")
            << QString("IO.inspect(Enum.to_list(1..40))")
            << QString("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,\n"
                       " 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40]\n");
        QTest::addRow("inspect and to_string")
            << QString("IO.puts(inspect(%{a: [1, \"x\"]}))\n"
                       "IO.puts(inspect(\"quoted\"))\n"
                       "IO.puts(to_string(:atom) <> to_string(12) <> to_string(1.0) <> to_string(\"s\"))\n"
                       "IO.puts(12)\n"
                       "IO.puts(:ok)")
            << QString("%{a: [1, \"x\"]}\n"
                       "\"quoted\"\n"
                       "atom121.0s\n"
                       "12\n"
                       "ok\n");
        QTest::addRow("match?") << QString("IO.inspect({match?({:ok, _}, {:ok, 1}), match?([_ | _], [])})")
                                << QString("{true, false}\n");
        QTest::addRow("then and tap") << QString("5 |> then(&(&1 * 2)) |> IO.inspect()\n"
                                                 "IO.inspect(tap(1, fn x -> IO.puts(\"tapped #{x}\") end))")
                                      << QString("10\n"
                                                 "tapped 1\n"
                                                 "1\n");
        QTest::addRow("apply and function references") << QString(
            "IO.inspect({apply(fn a, b -> a - b end, [5, 2]), apply(Enum, :sum, [[1, 2]]), Enum.map([1, -2], "
            "&abs/1)})") << QString("{3, 3, [1, 2]}\n");
        QTest::addRow("get_in and put_in") << QString("data = %{a: %{b: 1}}\n"
                                                      "IO.inspect({get_in(data, [:a, :b]), put_in(data, [:a, "
                                                      ":b], 2), update_in(data, [:a, :b], &(&1 + 10))})")
                                           << QString("{1, %{a: %{b: 2}}, %{a: %{b: 11}}}\n");
        QTest::addRow("receive in order with guards") << QString("send(self(), {:n, 1})\n"
                                                                 "send(self(), {:n, 5})\n"
                                                                 "receive do\n"
                                                                 "  {:n, x} when x > 3 -> IO.inspect(x)\n"
                                                                 "end\n"
                                                                 "receive do\n"
                                                                 "  {:n, x} -> IO.inspect(x)\n"
                                                                 "end\n"
                                                                 "receive do\n"
                                                                 "  :never -> :never\n"
                                                                 "after\n"
                                                                 "  0 -> IO.puts(\"nothing left\")\n"
                                                                 "end")
                                                      << QString("5\n"
                                                                 "1\n"
                                                                 "nothing left\n");
        QTest::addRow("receive with a pin") << QString("ref = :b\n"
                                                       "send(self(), {:a, 1})\n"
                                                       "send(self(), {:b, 2})\n"
                                                       "receive do\n"
                                                       "  {^ref, v} -> IO.inspect(v)\n"
                                                       "end")
                                            << QString("2\n");
        QTest::addRow("recursion in tail position loops") << QString("count = fn\n"
                                                                     "  _f, 0, acc -> acc\n"
                                                                     "  f, n, acc -> f.(f, n - 1, acc + n)\n"
                                                                     "end\n"
                                                                     "IO.inspect(count.(count, 100_000, 0))")
                                                          << QString("5000050000\n");
        QTest::addRow("non-tail recursion") << QString("fact = fn\n"
                                                       "  _f, 0 -> 1\n"
                                                       "  f, n -> n * f.(f, n - 1)\n"
                                                       "end\n"
                                                       "IO.inspect(fact.(fact, 20))")
                                            << QString("2432902008176640000\n");
        QTest::addRow("scopes") << QString("x = 1\n"
                                           "if true do\n"
                                           "  x = 2\n"
                                           "  IO.inspect(x)\n"
                                           "end\n"
                                           "IO.inspect(x)\n"
                                           "f = fn -> x = 3; x end\n"
                                           "IO.inspect({f.(), x})")
                                << QString("2\n"
                                           "1\n"
                                           "{3, 1}\n");
        QTest::addRow("pid/1 and pid/3 (IEx.Helpers)")
            << QString("IO.inspect({pid(0, 7, 0), is_pid(pid(\"0.1.0\")), pid(\"0.5.0\") == pid(0, 5, 0)})\n"
                       "IO.inspect(IEx.Helpers.pid(\"0.3.0\"))\n"
                       "try do\n"
                       "  pid(\"0.5\")\n"
                       "rescue\n"
                       "  e in ArgumentError -> IO.puts(Exception.message(e))\n"
                       "end\n"
                       "IO.inspect(pid(:me) == self())")
            << QString("{#PID<0.7.0>, true, true}\n"
                       "#PID<0.3.0>\n"
                       "errors were found at the given arguments:\n"
                       "\n"
                       "  * 1st argument: not a textual representation of a pid\n"
                       "\n"
                       "true\n");
        QTest::addRow("send returns the message") << QString("IO.inspect(send(self(), :hi))\n"
                                                             "receive do\n"
                                                             "  m -> IO.inspect(m)\n"
                                                             "end")
                                                  << QString(":hi\n"
                                                             ":hi\n");
    }
    void output()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, source);
        } catch (const ScriptException &e) {
            QFAIL(qPrintable(QString::fromStdString(host->out + e.banner())));
        } catch (const ScriptError &e) {
            QFAIL(e.what());
        }
        QCOMPARE(QString::fromStdString(host->out), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expectedOutput");
        QTest::addColumn<QString>("expectedBanner");
        QTest::addRow("MatchError") << QString("{:a} = {:b}") << QString("")
                                    << QString("** (MatchError) no match of right hand side value: {:b}");
        QTest::addRow("CaseClauseError") << QString(
            "x = Enum.at([1], 0)\n"
            "case x do\n"
            "  2 -> :two\n"
            "end") << QString("") << QString("** (CaseClauseError) no case clause matching: 1");
        QTest::addRow("CondClauseError")
            << QString("cond do\n"
                       "  Enum.at([false], 0) -> 1\n"
                       "end")
            << QString("") << QString("** (CondClauseError) no cond clause evaluated to a truthy value");
        QTest::addRow("ArithmeticError names the operation")
            << QString("x = String.to_atom(\"a\")\n"
                       "IO.puts(1 + x)")
            << QString("") << QString("** (ArithmeticError) bad argument in arithmetic expression: 1 + :a");
        QTest::addRow("ArithmeticError in div")
            << QString("div(1, Enum.at([0], 0))") << QString("")
            << QString("** (ArithmeticError) bad argument in arithmetic expression: div(1, 0)");
        QTest::addRow("UndefinedFunctionError for a missing module")
            << QString("Foo.bar(1, 2)") << QString("")
            << QString("** (UndefinedFunctionError) function Foo.bar/2 is undefined (module Foo is not "
                       "available)");
        QTest::addRow("UndefinedFunctionError for a missing function")
            << QString("Enum.foo(1)") << QString("")
            << QString("** (UndefinedFunctionError) function Enum.foo/1 is undefined or private");
        QTest::addRow("KeyError") << QString("m = %{a: 1}\n"
                                             "m.b")
                                  << QString("") << QString("** (KeyError) key :b not found in: %{a: 1}");
        QTest::addRow("KeyError on a non-map")
            << QString("x = Enum.at([5], 0)\n"
                       "x.b")
            << QString("")
            << QString("** (KeyError) key :b not found in: 5. If you are using the dot syntax, such as "
                       "map.field, make sure the left-hand side of the dot is a map");
        QTest::addRow("BadFunctionError") << QString(
            "x = Enum.at([1], 0)\n"
            "x.(1)") << QString("") << QString("** (BadFunctionError) expected a function, got: 1");
        QTest::addRow("ArgumentError from a builtin")
            << QString("elem(Enum.at([1], 0), 0)") << QString("")
            << QString("** (ArgumentError) errors were found at the given arguments:\n"
                       "\n"
                       "  * 2nd argument: not a tuple");
        // As `import IEx.Helpers` gives them in Elixir 1.14.
        for (const char *text :
            { "abc", "0.5", "<0.5.0>", "0.5.0 ", "1.5.0", "0.-5.0", "0.99999999999.0", "" })
            QTest::addRow("pid(\"%s\")", text)
                << QString("pid(\"%1\")").arg(text) << QString("")
                << QString("** (ArgumentError) errors were found at the given arguments:\n"
                           "\n"
                           "  * 1st argument: not a textual representation of a pid");
        QTest::addRow("pid/3 off this node")
            << QString("pid(1, 5, 0)") << QString("")
            << QString("** (ArgumentError) errors were found at the given arguments:\n"
                       "\n"
                       "  * 1st argument: not a textual representation of a pid");
        QTest::addRow("pid/1 of an integer")
            << QString("pid(Enum.at([5], 0))") << QString("")
            << QString("** (FunctionClauseError) no function clause matching in IEx.Helpers.pid/1");
        QTest::addRow("pid/3 of a negative")
            << QString("pid(0, Enum.at([-1], 0), 0)") << QString("")
            << QString("** (FunctionClauseError) no function clause matching in IEx.Helpers.pid/3");
        QTest::addRow("pid/1 of an unregistered name")
            << QString("pid(:nobody)") << QString("")
            << QString("** (ArgumentError) could not find registered process with name: :nobody");
        QTest::addRow("RuntimeError")
            << QString("raise \"boom\"") << QString("") << QString("** (RuntimeError) boom");
        QTest::addRow("raise with a module")
            << QString("raise ArgumentError, \"bad\"") << QString("") << QString("** (ArgumentError) bad");
        QTest::addRow("throw") << QString("throw {:a, \"b\"}") << QString("")
                               << QString("** (throw) {:a, \"b\"}");
        QTest::addRow("exit") << QString("exit(:foo)") << QString("") << QString("** (exit) :foo");
        QTest::addRow("exit from a call")
            << QString("exit({:timeout, {GenServer, :call, [:server, :hi, 50]}})") << QString("")
            << QString("** (exit) exited in: GenServer.call(:server, :hi, 50)\n"
                       "    ** (EXIT) time out");
        QTest::addRow("Protocol.UndefinedError")
            << QString("Enum.map(Enum.at([1], 0), fn x -> x end)") << QString("")
            << QString(
                   "** (Protocol.UndefinedError) protocol Enumerable not implemented for 1 of type Integer");
        QTest::addRow("output before the error stays")
            << QString("IO.puts(\"before\")\n"
                       "{:ok, _} = {:error, :nope}\n"
                       "IO.puts(\"never\")")
            << QString("before\n")
            << QString("** (MatchError) no match of right hand side value: {:error, :nope}");
    }
    void errors()
    {
        QFETCH(QString, source);
        QFETCH(QString, expectedOutput);
        QFETCH(QString, expectedBanner);
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, source);
            QFAIL("no error");
        } catch (const ScriptException &e) {
            QCOMPARE(QString::fromStdString(host->out), expectedOutput);
            // Elixir's message for BIF errors ends with a newline before the stacktrace.
            QCOMPARE(QString::fromStdString(e.banner()).trimmed(), expectedBanner);
            QCOMPARE(uncaughtOutcome(e).status, 1);
        }
    }

    void errorsKnowWhereTheyHappened()
    {
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, "x = 1\ny = [x]\n{:ok, z} = Enum.at(y, 0)\n");
            QFAIL("no error");
        } catch (const ScriptException &e) {
            QVERIFY(e.pos().has_value());
            QCOMPARE(e.pos()->line, uint32_t(3));
        }
    }

    void quietExits_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("silent");
        // `elixir t.exs` ends silently for these, with these statuses.
        QTest::addRow("exit(:normal)") << "exit(:normal)" << 0 << true;
        QTest::addRow("exit(:shutdown)") << "exit(:shutdown)" << 0 << true;
        QTest::addRow("exit({:shutdown, 3})") << "exit({:shutdown, 3})" << 3 << true;
        QTest::addRow("exit({:shutdown, :x})") << "exit({:shutdown, :x})" << 0 << true;
        QTest::addRow("exit(:killed)") << "exit(:killed)" << 1 << false;
    }
    void quietExits()
    {
        QFETCH(QString, source);
        QFETCH(int, status);
        QFETCH(bool, silent);
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, source);
            QFAIL("no exit");
        } catch (const ScriptException &e) {
            const UncaughtOutcome outcome = uncaughtOutcome(e);
            QCOMPARE(outcome.status, status);
            QCOMPARE(outcome.banner.empty(), silent);
        }
    }

    void processExitReasons()
    {
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, "\n\nraise \"boom\"");
            QFAIL("no error");
        } catch (const ScriptException &e) {
            const Term reason = processExitReason(e, "t.exs");
            QCOMPARE(QString::fromStdString(formatExit(reason)),
                QString("an exception was raised:\n    ** (RuntimeError) boom\n        t.exs:3: "
                        ":elixir_eval.__FILE__/1"));
        }
    }

    void valueOfTheLastExpression()
    {
        auto host = std::make_shared<TestHost>();
        QCOMPARE(runScript(*host, "x = 2\nx * 21"), Term::integer(42));
    }

    void hostModules()
    {
        auto host = std::make_shared<TestHost>();
        (void)runScript(*host, "IO.inspect(Counter.value())\nIO.inspect(%Point{x: 1})");
        QCOMPARE(QString::fromStdString(host->out), QString("42\n%Point{x: 1, y: 0}\n"));
        QCOMPARE(host->calls, std::vector<std::string>{ "Elixir.Counter.value/0" });
    }

    void hostExitsCanBeCaught()
    {
        auto host = std::make_shared<TestHost>();
        (void)runScript(*host,
            "r = try do\n  GenServer.call(:nobody, :hi)\ncatch\n  :exit, reason -> reason\nend\n"
            "IO.inspect(r)");
        QCOMPARE(
            QString::fromStdString(host->out), QString("{:noproc, {GenServer, :call, [:nobody, :hi]}}\n"));
    }

    void unknownHostModule()
    {
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, "Nowhere.to_be_found(1)");
            QFAIL("no error");
        } catch (const ScriptException &e) {
            QCOMPARE(QString::fromStdString(e.banner()),
                QString(
                    "** (UndefinedFunctionError) function Nowhere.to_be_found/1 is undefined (module Nowhere "
                    "is not available)"));
        }
    }

    void processBuiltinsGoThroughTheHost()
    {
        auto host = std::make_shared<TestHost>();
        (void)runScript(*host,
            "pid = spawn(fn -> send(self(), :from_child) end)\nsend(pid, :hello)\n"
            "spawn_link(fn -> :ok end)");
        QCOMPARE(
            host->calls, (std::vector<std::string>{ "spawn", "send #PID<0.8.0> :hello", "spawn_link" }));
        QCOMPARE(host->spawned.size(), size_t(2));
        // The runtime runs a spawned function later, in the new process.
        QCOMPARE(callFunction(host->spawned[0], {}, *host), Term::atom("from_child"));
        QCOMPARE(host->mailbox.size(), size_t(1));
    }

    void closuresOutliveTheirProgram()
    {
        auto host = std::make_shared<TestHost>();
        Term adder;
        {
            const Program program = parseProgram("n = 10\nfn x -> {:ok, x + n} end", "t.exs");
            adder = run(program, *host);
        }
        QVERIFY(adder.isFunction());
        QCOMPARE(adder.asFunction()->arity(), 1);
        // As the runtime calls them (Agent, Task): through FunctionValue::call.
        QCOMPARE(adder.asFunction()->call({ Term::integer(5) }),
            Term::tuple({ Term::atom("ok"), Term::integer(15) }));
        QCOMPARE(callFunction(adder, { Term::integer(1) }, *host),
            Term::tuple({ Term::atom("ok"), Term::integer(11) }));
    }

    void capturedFunctionReferences()
    {
        auto host = std::make_shared<TestHost>();
        const Term upcase = runScript(*host, "&String.upcase/1");
        QCOMPARE(upcase.asFunction()->describe(), std::string("&String.upcase/1"));
        QCOMPARE(upcase.asFunction()->call({ Term::binary("abc") }), Term::binary("ABC"));
    }

    void bindingsPersistBetweenRuns()
    {
        auto host = std::make_shared<TestHost>();
        Bindings vars;
        (void)runScript(*host, "x = 40\ny = 1", &vars);
        QCOMPARE(runScript(*host, "x + y + 1", &vars), Term::integer(42));
        (void)runScript(*host, "x = 0", &vars);
        QCOMPARE(runScript(*host, "x", &vars), Term::integer(0));
    }

    void receiveTimesOut()
    {
        auto host = std::make_shared<TestHost>();
        QCOMPARE(runScript(*host, "receive do\n  :x -> :x\nafter\n  10 -> :late\nend"), Term::atom("late"));
    }

    void yieldPointsLetTheRuntimePreempt()
    {
        auto host = std::make_shared<TestHost>();
        (void)runScript(*host, "Enum.each(1..20_000, fn _ -> :ok end)");
        QVERIFY2(host->yields >= 20, qPrintable(QString::number(host->yields)));
    }

    // A kill arrives as a foreign exception from yieldPoint(): neither rescue, catch nor
    // after may stop it.
    void killsPassThroughTry()
    {
        auto host = std::make_shared<TestHost>();
        host->stopAfterYields = 3;
        try {
            (void)runScript(*host,
                "try do\n  loop = fn f -> f.(f) end\n  loop.(loop)\nrescue\n  _ -> IO.puts(\"rescued\")\n"
                "catch\n  _, _ -> IO.puts(\"caught\")\nafter\n  IO.puts(\"after\")\nend");
            QFAIL("the loop ended");
        } catch (const std::runtime_error &e) {
            QCOMPARE(std::string(e.what()), std::string("killed by the runtime"));
        }
        QCOMPARE(QString::fromStdString(host->out), QString());
    }

    void runawayRecursionRaisesSystemLimit()
    {
        auto host = std::make_shared<TestHost>();
        host->budget = 256 * 1024;
        (void)runScript(*host,
            "deep = fn f, n -> 1 + f.(f, n + 1) end\ntry do\n  deep.(deep, 0)\nrescue\n  e -> "
            "IO.inspect(e.__struct__)\nend");
        QCOMPARE(QString::fromStdString(host->out), QString("SystemLimitError\n"));
    }

    // Modules: each row defines what it calls; output as Elixir 1.14 prints it.
    void modules_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::addRow("clauses, guards and the one-line form")
            << QString("defmodule M do\n  def f(0), do: :zero\n  def f(n) when n > 0, do: :pos\n"
                       "  def f(_n) do\n    :neg\n  end\nend\nIO.inspect({M.f(0), M.f(2), M.f(-1)})")
            << QString("{:zero, :pos, :neg}\n");
        QTest::addRow("defp is callable only inside")
            << QString("defmodule M do\n  def pub(x), do: priv(x)\n  defp priv(x), do: x + 1\nend\n"
                       "IO.inspect(M.pub(1))\ntry do\n  M.priv(1)\nrescue\n  e -> IO.puts(Exception.message(e))\nend")
            << QString("2\nfunction M.priv/1 is undefined or private\n");
        QTest::addRow("defaults fill from the left")
            << QString("defmodule M do\n  def f(a, b \\\\ :b, c \\\\ :c), do: {a, b, c}\n"
                       "  def g(a \\\\ 1, b), do: {a, b}\nend\nIO.inspect({M.f(1), M.f(1, 2), M.f(1, 2, 3), M.g(9)})")
            << QString("{{1, :b, :c}, {1, 2, :c}, {1, 2, 3}, {1, 9}}\n");
        QTest::addRow("a bodiless head declares defaults")
            << QString("defmodule M do\n  def j(list, sep \\\\ \",\")\n  def j([], _), do: \"\"\n"
                       "  def j(l, sep), do: Enum.join(l, sep)\nend\nIO.inspect({M.j([]), M.j([1, 2]), M.j([1], \";\")})")
            << QString("{\"\", \"1,2\", \"1\"}\n");
        QTest::addRow("tail calls, local and remote, loop in constant stack")
            << QString("defmodule L do\n  def a(0), do: :done\n  def a(n), do: b(n - 1)\n"
                       "  defp b(n), do: L.a(n)\nend\nIO.inspect(L.a(2_000_000))")
            << QString(":done\n");
        QTest::addRow("attributes, __MODULE__ and alias")
            << QString("defmodule A.B do\n  @k 3\n  @twice @k * 2\n  alias __MODULE__, as: Me\n"
                       "  def k, do: {@k, @twice, __MODULE__, Me.name()}\n  def name, do: :b\n  def none, do: @missing\nend\n"
                       "IO.inspect(A.B.k())\nIO.inspect(A.B.none())")
            << QString("{3, 6, A.B, :b}\nnil\n");
        QTest::addRow("nested modules and structs")
            << QString("defmodule S do\n  defmodule State do\n    defstruct [:a, b: 2]\n  end\n"
                       "  def new, do: %State{a: 1}\n  def bump(%State{b: b} = s), do: %{s | b: b + 1}\nend\n"
                       "IO.inspect(S.new() |> S.bump())")
            << QString("%S.State{a: 1, b: 3}\n");
        QTest::addRow("captures of module functions")
            << QString("defmodule C do\n  def run(l), do: Enum.map(l, &sq/1)\n  defp sq(x), do: x * x\n"
                       "  def adder(n), do: fn x -> plus(x, n) end\n  defp plus(a, b), do: a + b\nend\n"
                       "IO.inspect({C.run([1, 2]), C.adder(1).(2), Enum.map([1], &C.run([&1]))})")
            << QString("{[1, 4], 3, [[1]]}\n");
        QTest::addRow("a zero-arity function without parentheses")
            << QString("defmodule Z do\n  def x, do: 7\n  def y, do: x + 1\nend\nIO.inspect(Z.y())")
            << QString("8\n");
        QTest::addRow("redefinition replaces")
            << QString("defmodule R do\n  def v, do: 1\nend\nIO.inspect(R.v())\n"
                       "defmodule R do\n  def v, do: 2\nend\nIO.inspect(R.v())")
            << QString("1\n2\n");
        QTest::addRow("child_spec from use GenServer")
            << QString("defmodule G do\n  use GenServer\n  def init(x), do: {:ok, x}\nend\nIO.inspect(G.child_spec(1))")
            << QString("%{id: G, start: {G, :start_link, [1]}}\n");
        QTest::addRow("the raw reason of a missing clause")
            << QString("defmodule F do\n  def f(:a), do: 1\nend\n"
                       "IO.inspect(try do\n  F.f(:b)\ncatch\n  k, r -> {k, r}\nend)\n"
                       "IO.inspect(try do\n  F.f(:b)\nrescue\n  e -> {e.module, e.function, e.arity}\nend)")
            << QString("{:error, :function_clause}\n{F, :f, 1}\n");
    }
    void modules()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, source);
        } catch (const ScriptException &e) {
            QFAIL(qPrintable(QString::fromStdString(host->out + e.banner())));
        } catch (const ScriptError &e) {
            QFAIL(e.what());
        }
        QCOMPARE(QString::fromStdString(host->out), expected);
    }

    void moduleRedefinitionWarns()
    {
        auto host = std::make_shared<TestHost>();
        (void)runScript(*host, "defmodule W do\nend\n\ndefmodule W do\nend\n");
        QCOMPARE(QString::fromStdString(host->err),
            QString("warning: redefining module W (current version defined in memory)\n  t.exs:4\n\n"));
    }

    void useGenServerWithoutInitWarnsAndInjectsIt()
    {
        auto host = std::make_shared<TestHost>();
        const Term result = runScript(*host, "x = 1\ndefmodule NoInit do\n  use GenServer\nend\nNoInit.init(x)\n");
        QCOMPARE(QString::fromStdString(result.inspect()), QString("{:ok, 1}"));
        // As Elixir 1.14 prints it when the module compiles.
        QCOMPARE(QString::fromStdString(host->err),
            QString("warning: function init/1 required by behaviour GenServer is not implemented (in module "
                    "NoInit).\n\nWe will inject a default implementation for now:\n\n    def init(init_arg) do\n"
                    "      {:ok, init_arg}\n    end\n\nYou can copy the implementation above or define your own "
                    "that converts the arguments given to GenServer.start_link/3 to the server state.\n\n  "
                    "t.exs:2: NoInit (module)\n\n"));
    }

    void moduleErrors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expectedOutput");
        QTest::addColumn<QString>("expectedBanner");
        // As `elixir t.exs` prints them; a module's compile error comes when its defmodule runs.
        QTest::addRow("undefined local function")
            << QString("IO.puts(\"first\")\ndefmodule Foo do\n  def bar(x), do: nope(x)\nend")
            << QString("first\n")
            << QString("** (CompileError) t.exs:3: undefined function nope/1 (expected Foo to define such a "
                       "function or for it to be imported, but none are available)");
        QTest::addRow("a def does not see the script's variables")
            << QString("y = 1\ndefmodule Foo do\n  def bar, do: y\nend") << QString()
            << QString("** (CompileError) t.exs:3: undefined function y/0 (expected Foo to define such a "
                       "function or for it to be imported, but none are available)");
        QTest::addRow("undefined remote with Did you mean")
            << QString("defmodule Foo do\n  def baz(x), do: x\nend\nFoo.bax(1)") << QString()
            << QString("** (UndefinedFunctionError) function Foo.bax/1 is undefined or private. Did you mean:\n\n"
                       "      * baz/1");
        QTest::addRow("no clause in a module function")
            << QString("defmodule P do\n  def p({a, b}), do: a + b\nend\nP.p(:x)") << QString()
            << QString("** (FunctionClauseError) no function clause matching in P.p/1    \n    \n"
                       "    The following arguments were given to P.p/1:\n    \n        # 1\n        :x");
        QTest::addRow("arithmetic in a module has no blame")
            << QString("defmodule Q do\n  def q(x), do: 1 + x\nend\nQ.q(:a)") << QString()
            << QString("** (ArithmeticError) bad argument in arithmetic expression");
        QTest::addRow("use of something other than GenServer")
            << QString("defmodule U do\n  use Supervisor\nend") << QString()
            << QString("** (ArgumentError) use Supervisor is not supported by Mailroom's script language: "
                       "modules can use GenServer only");
    }
    void moduleErrors()
    {
        QFETCH(QString, source);
        QFETCH(QString, expectedOutput);
        QFETCH(QString, expectedBanner);
        auto host = std::make_shared<TestHost>();
        QString banner;
        try {
            (void)runScript(*host, source);
            QFAIL("no error");
        } catch (const ScriptException &e) {
            banner = QString::fromStdString(e.banner());
        } catch (const ScriptError &e) {
            banner = QString::fromStdString(e.banner());
        }
        QCOMPARE(QString::fromStdString(host->out), expectedOutput);
        QCOMPARE(banner.trimmed(), expectedBanner);
    }

    void moduleErrorsNameWhereTheyHappened()
    {
        auto host = std::make_shared<TestHost>();
        try {
            (void)runScript(*host, "defmodule Q do\n  def q(x) do\n    y = x\n    1 + y\n  end\nend\nQ.q(:a)");
            QFAIL("no error");
        } catch (const ScriptException &e) {
            QCOMPARE(QString::fromStdString(stackLine(e, "t.exs")), QString("    t.exs:4: Q.q/1"));
        }
        try {
            (void)runScript(*host, "x = 1\ny = :a\nx + y");
            QFAIL("no error");
        } catch (const ScriptException &e) {
            QCOMPARE(QString::fromStdString(stackLine(e, "t.exs")), QString("    t.exs:3: (file)"));
        }
    }

    void ioDevices()
    {
        auto host = std::make_shared<TestHost>();
        (void)runScript(*host, "IO.puts(:stderr, \"to stderr\")\nIO.write(\"no newline\")");
        QCOMPARE(QString::fromStdString(host->err), QString("to stderr\n"));
        QCOMPARE(QString::fromStdString(host->out), QString("no newline"));
    }
};

QTEST_APPLESS_MAIN(TestScriptEval)
#include "tst_script_eval.moc"
