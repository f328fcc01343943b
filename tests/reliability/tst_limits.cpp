// SPDX-License-Identifier: MIT
// Scripts that push the interpreter to its limits, each run by mailroom-run in a child
// process: a term nested a million levels deep, integer operations at the edge of 64 bits,
// binaries of absurd sizes. Whatever the script does, the process must end with the status
// and the output a user would expect: never a signal (a stack overflow, SIGFPE, an abort on
// out of memory), never a hang.
#include "eventjson.h"

#include <QProcess>
#include <QtTest>

#ifndef MAILROOM_RUN_PATH
#error "MAILROOM_RUN_PATH must name the mailroom-run binary"
#endif

namespace {

/// Long enough for the deepest term under a sanitizer; a hang fails the row.
constexpr int kRunTimeoutSeconds = 240;

/// How deep the nested terms go: a million, as the user who found the overflow built them. A
/// walk that recursed once per level overflowed the 256 KB process stack at a few thousand
/// levels, so the sanitizers' tenth still proves the walks iterative; there a million maps took
/// longer than QtTest's five minutes for one row.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr const char *kDepth = "100_000";
constexpr const char *kDepthLess = "99_999";
constexpr int kDepthCount = 100'000;
#else
constexpr const char *kDepth = "1_000_000";
constexpr const char *kDepthLess = "999_999";
constexpr int kDepthCount = 1'000'000;
#endif

struct Run {
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runScript(const QByteArray &code, QStringList options = {})
{
    QProcess process;
    options << QStringLiteral("-e") << QString::fromUtf8(code);
    process.start(QStringLiteral(MAILROOM_RUN_PATH), options);
    Run run;
    run.finished = process.waitForFinished(kRunTimeoutSeconds * 1000);
    if (!run.finished) {
        process.kill();
        process.waitForFinished();
    }
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Builds a term `depth` levels deep by wrapping `seed` with `wrap` (a one-argument fn).
QByteArray deepBuilder()
{
    return "deep = fn wrap, seed, depth ->\n"
           "  f = fn f, acc, 0 -> acc; f, acc, n -> f.(f, wrap.(acc), n - 1) end\n"
           "  f.(f, seed, depth)\n"
           "end\n";
}

} // namespace

class TestLimits : public QObject {
    Q_OBJECT
private slots:
    void scripts_data();
    void scripts();
    void deepTermsInTheRecord();
};

void TestLimits::scripts_data()
{
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("errStart");

    // Freeing, comparing and hashing (map keys) a term nested kDepth levels: each walk used to
    // recurse once per level on the machine stack and overflow it (SIGSEGV).
    const QByteArray depth(kDepth);
    for (const auto &[kind, wrap, seed] : { std::tuple{ "list", "&[&1]", "[]" }, std::tuple{ "tuple", "&{&1}", "{}" },
             std::tuple{ "map", "&%{k: &1}", "%{}" } }) {
        QTest::addRow("%s nested %ss: freed, compared, hashed", kDepth, kind)
            << deepBuilder() + "a = deep.(" + wrap + ", " + seed + ", " + depth + ")\n"
                                                                                  "b = deep.("
                + wrap + ", " + seed + ", " + depth + ")\n"
                                                      "c = deep.("
                + wrap + ", " + seed + ", " + kDepthLess + ")\n"
                                                           "IO.puts(a == b)\n"
                                                           "IO.puts(a === c)\n"
                                                           "IO.puts(c < a)\n"
                                                           "IO.puts(map_size(%{a => 1, b => 2, c => 3}))\n"
                                                           "IO.puts(Map.fetch!(%{a => :found}, b))\n"
                                                           "a = nil; b = nil; c = nil\n"
                                                           ":ok\n"
            << 0 << QByteArray("true\nfalse\ntrue\n2\nfound\n") << QByteArray();
    }
    QTest::newRow("deeply nested lists built and freed inside a spawned process")
        << deepBuilder() + "parent = self()\n"
                           "spawn(fn -> t = deep.(&[&1], [], "
            + depth + "); send(parent, {:built, t == t}) end)\n"
                      "spawn(fn -> t = deep.(&{&1}, {}, "
            + depth + "); send(parent, {:built, is_tuple(t)}) end)\n"
                      "for _ <- 1..2 do\n"
                      "  receive do {:built, ok} -> IO.puts(ok) end\n"
                      "end\n"
                      "Process.sleep(100)\n"
        << 0 << QByteArray("true\ntrue\n") << QByteArray();
    QTest::newRow("deeply nested terms inside a message the receiver drops")
        << deepBuilder() + "pid = spawn(fn -> receive do _ -> :ok end end)\n"
                           "ref = Process.monitor(pid)\n"
                           "send(pid, deep.(&%{k: [&1]}, nil, "
            + depth + "))\n"
                      "receive do {:DOWN, ^ref, :process, _, reason} -> IO.inspect(reason) end\n"
        << 0 << QByteArray(":normal\n") << QByteArray();

    // inspect with limit: :infinity shows every level, as Elixir does (the sizes are Elixir's);
    // its document was built by a recursion as deep as the term. The default limit stops at 50.
    const auto count = [](int perLevel, int end) { return QByteArray::number(qint64(perLevel) * kDepthCount + end); };
    QTest::newRow("inspect of deeply nested terms with limit: :infinity")
        << deepBuilder() + "l = deep.(&[&1], [], " + depth + ")\n"
                                                             "s = inspect(l, limit: :infinity)\n"
                                                             "IO.puts(byte_size(s))\n"
                                                             "IO.puts(binary_part(s, "
            + depth + " - 5, 10))\n"
                      "IO.inspect(l, limit: 5)\n"
                      "IO.puts(byte_size(inspect(deep.(&{&1}, {}, "
            + depth + "), limit: :infinity)))\n"
                      "IO.puts(byte_size(inspect(deep.(&%{a: &1}, %{}, "
            + depth + "), limit: :infinity)))\n"
        << 0
        << count(2, 2) + "\n[[[[[[]]]]\n[[[[[[...]]]]]]\n" + count(2, 2) + "\n" + count(6, 3) + "\n"
        << QByteArray();

    // List.flatten walked the nesting by recursion and gave up (SystemLimitError) at 1000 levels.
    QTest::newRow("List.flatten of a deeply nested list")
        << deepBuilder() + "l = List.flatten(deep.(&[&1, :x], [1], " + depth + "))\n"
                                                                               "IO.puts(length(l))\n"
                                                                               "IO.inspect(Enum.take(l, 3))\n"
                                                                               "IO.inspect(List.flatten([1, [2, [3, [4]], 5], [[[]]], 6]))\n"
        << 0 << count(1, 1) + "\n[1, :x, :x]\n[1, 2, 3, 4, 5, 6]\n"
        << QByteArray();

    // INT64_MIN / -1 traps (SIGFPE) in C++; Elixir answers with a bignum or 0.
    QTest::newRow("Integer.mod and rem of INT64_MIN by -1")
        << QByteArray("m = -9223372036854775807 - 1\n"
                      "IO.inspect({Integer.mod(m, -1), rem(m, -1)})\n")
        << 0 << QByteArray("{0, 0}\n") << QByteArray();
    QTest::newRow("Integer.floor_div and div of INT64_MIN by -1")
        << QByteArray("m = -9223372036854775807 - 1\n"
                      "for f <- [&Integer.floor_div/2, &div/2] do\n"
                      "  try do f.(m, -1) rescue e -> IO.puts(Exception.message(e)) end\n"
                      "end\n")
        << 0
        << QByteArray("integer overflow: Mailroom's integers are 64-bit\n"
                      "integer overflow: Mailroom's integers are 64-bit\n")
        << QByteArray();
    QTest::newRow("abs, negation and gcd of INT64_MIN")
        << QByteArray("m = -9223372036854775807 - 1\n"
                      "for f <- [&abs/1, &(-&1), &Integer.gcd(&1, 0)] do\n"
                      "  try do f.(m) rescue e -> IO.puts(Exception.message(e)) end\n"
                      "end\n"
                      "IO.inspect(Integer.gcd(m, 6))\n")
        << 0
        << QByteArray("integer overflow: Mailroom's integers are 64-bit\n"
                      "integer overflow: Mailroom's integers are 64-bit\n"
                      "integer overflow: Mailroom's integers are 64-bit\n"
                      "2\n")
        << QByteArray();
    QTest::newRow("Integer.pow with a huge exponent answers at once")
        << QByteArray("IO.inspect({Integer.pow(1, 9223372036854775807), Integer.pow(-1, 9223372036854775807)})\n"
                      "try do Integer.pow(2, 9223372036854775807) rescue e -> IO.puts(Exception.message(e)) end\n")
        << 0 << QByteArray("{1, -1}\ninteger overflow: Mailroom's integers are 64-bit\n") << QByteArray();
    QTest::newRow("an integer string past 64 bits")
        << QByteArray("IO.inspect(String.to_integer(\"-9223372036854775808\"))\n"
                      "String.to_integer(\"9223372036854775808\")\n")
        << 1 << QByteArray("-9223372036854775808\n")
        << QByteArray("** (SystemLimitError) integer overflow: Mailroom's integers are 64-bit");

    // A list of 200 million elements: past the default max_heap_size (2^26 words), so the
    // process is killed with the BEAM's report, instead of mimalloc's abort() ending the program.
    QTest::newRow("Enum.to_list(1..200_000_000) past the default max_heap_size")
        << QByteArray("IO.puts(:before)\nEnum.to_list(1..200_000_000)\nIO.puts(:not_reached)\n") << 1
        << QByteArray("before\n")
        << QByteArray("[error]      Process:            #PID<0.96.0> \n     Context:            maximum heap size "
                      "reached\n     Max Heap Size:      67108864\n");
    QTest::newRow("a process past its max_heap_size is killed, the others go on")
        << QByteArray("pid = spawn(fn -> Process.flag(:max_heap_size, 1000); List.duplicate(0, 100_000) end)\n"
                      "ref = Process.monitor(pid)\n"
                      "receive do {:DOWN, ^ref, :process, _, reason} -> IO.inspect(reason) end\n"
                      "IO.puts(length(List.duplicate(0, 100_000)))\n")
        << 0 << QByteArray(":killed\n100000\n")
        << QByteArray("[error]      Process:            #PID<0.");

    // A heap grown a little at a time, as the BEAM's max_heap_size catches it (Elixir 1.14
    // prints the same :killed and 5, and the same report with its GC Info).
    QTest::newRow("a process that grows a list 1000 elements at a time is killed, an Agent goes on")
        << QByteArray("{:ok, agent} = Agent.start(fn -> 5 end)\n"
                      "pid = spawn(fn ->\n"
                      "  Process.flag(:max_heap_size, 1_000_000)\n"
                      "  grow = fn\n"
                      "    _grow, acc, 0 -> length(acc)\n"
                      "    grow, acc, n -> grow.(grow, Enum.to_list(1..1000) ++ acc, n - 1)\n"
                      "  end\n"
                      "  grow.(grow, [], 5000)\n"
                      "end)\n"
                      "ref = Process.monitor(pid)\n"
                      "receive do {:DOWN, ^ref, :process, _, reason} -> IO.inspect(reason) end\n"
                      "IO.inspect(Agent.get(agent, & &1))\n")
        << 0 << QByteArray(":killed\n5\n")
        << QByteArray("[error]      Process:            #PID<0.");
    QTest::newRow("a GenServer whose state grows with each cast is killed")
        << QByteArray("defmodule Hoard do\n"
                      "  use GenServer\n"
                      "  def init(_) do\n"
                      "    Process.flag(:max_heap_size, 1_000_000)\n"
                      "    {:ok, []}\n"
                      "  end\n"
                      "  def handle_cast({:add, chunk}, state), do: {:noreply, [chunk | state]}\n"
                      "  def handle_call(:size, _from, state), do: {:reply, length(state), state}\n"
                      "end\n"
                      "{:ok, pid} = GenServer.start(Hoard, nil)\n"
                      "ref = Process.monitor(pid)\n"
                      "for _ <- 1..3000, do: GenServer.cast(pid, {:add, Enum.to_list(1..1000)})\n"
                      "try do\n"
                      "  IO.inspect(GenServer.call(pid, :size))\n"
                      "  GenServer.stop(pid)\n"
                      "catch\n"
                      "  :exit, _ -> :ok\n"
                      "end\n"
                      "receive do {:DOWN, ^ref, :process, _, reason} -> IO.inspect(reason) end\n")
        << 0 << QByteArray(":killed\n")
        << QByteArray("[error]      Process:            #PID<0.");

    // Building a binary of absurd size: a clear error, not mimalloc's abort().
    QTest::newRow("String.pad_leading to 2^63 characters")
        << QByteArray("String.pad_leading(\"x\", 9223372036854775807)\n") << 1 << QByteArray()
        << QByteArray("** (SystemLimitError) binary too large: Mailroom's binaries are limited to 256 MB");
    QTest::newRow("a string doubled with <> until it is too large")
        << QByteArray("f = fn f, s -> f.(f, s <> s) end\n"
                      "try do f.(f, \"ab\") rescue e in SystemLimitError -> IO.puts(e.message) end\n")
        << 0 << QByteArray("binary too large: Mailroom's binaries are limited to 256 MB\n") << QByteArray();
    QTest::newRow("a string doubled by interpolation until it is too large")
        << QByteArray("f = fn f, s -> f.(f, \"#{s}#{s}\") end\n"
                      "f.(f, \"ab\")\n")
        << 1 << QByteArray()
        << QByteArray("** (SystemLimitError) binary too large: Mailroom's binaries are limited to 256 MB");
}

void TestLimits::scripts()
{
    QFETCH(QByteArray, code);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, errStart);
    const Run run = runScript(code);
    QVERIFY2(run.finished, "mailroom-run hung");
    QVERIFY2(!run.crashed, run.err.right(400).constData()); // no signal
    QCOMPARE(run.out, out);
    if (errStart.isEmpty())
        QCOMPARE(run.err, QByteArray());
    else if (errStart.startsWith("[error]")) // a Logger report, after Logger's "\nHH:MM:SS.mmm "
        QVERIFY2(QRegularExpression(QStringLiteral(R"(^\n\d\d:\d\d:\d\d\.\d\d\d )"))
                     .match(QString::fromUtf8(run.err))
                     .hasMatch()
                && run.err.mid(14).startsWith(errStart),
            run.err.left(400).constData());
    else
        QVERIFY2(run.err.startsWith(errStart), run.err.left(400).constData());
    QCOMPARE(run.exitCode, exitCode);
}

// The record (--events) writes every message: a term nested kDepth levels deep is written
// without recursing (the recording thread's stack overflowed) and cut where the reader's limit
// is, so that the file loads again.
void TestLimits::deepTermsInTheRecord()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString events = dir.filePath(QStringLiteral("events.jsonl"));
    const QByteArray depth(kDepth);
    const Run run = runScript(deepBuilder() + "pid = spawn(fn -> receive do _ -> :ok end end)\n"
                                              "ref = Process.monitor(pid)\n"
                                              "send(pid, deep.(&%{k: [&1]}, nil, "
            + depth + "))\n"
                      "receive do {:DOWN, ^ref, :process, _, reason} -> IO.inspect(reason) end\n",
        { QStringLiteral("--events"), events });
    QVERIFY2(run.finished, "mailroom-run hung");
    QVERIFY2(!run.crashed, run.err.right(400).constData());
    QCOMPARE(run.out, QByteArray(":normal\n"));
    QCOMPARE(run.exitCode, 0);
    QFile file(events);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("{\"a\":\"mailroom:cut\"}"));
    // Every line reads back, as the window loads the file.
    mailroom::JsonlReader reader;
    int lineNumber = 0;
    for (const QByteArray &line : text.split('\n')) {
        ++lineNumber;
        if (line.isEmpty())
            continue;
        mailroom::Event event;
        std::string error;
        QVERIFY2(reader.read(line.toStdString(), event, error),
            qPrintable(QStringLiteral("line %1: %2").arg(lineNumber).arg(QString::fromStdString(error))));
    }
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
