# Process.flag(:max_heap_size, words): a process that builds more than that is killed (reason
# :killed, which no try catches, and a report on stderr); the others go on.
down = fn pid ->
  ref = Process.monitor(pid)

  receive do
    {:DOWN, ^ref, :process, _, reason} -> reason
  end
end

to_list =
  spawn(fn ->
    Process.flag(:max_heap_size, 100_000)
    Enum.to_list(1..10_000_000)
    IO.puts("not reached")
  end)

IO.inspect(down.(to_list), label: "to_list")

duplicate =
  spawn(fn ->
    Process.flag(:max_heap_size, %{size: 200_000, kill: true, error_logger: true})

    try do
      List.duplicate(:x, 5_000_000)
    rescue
      e -> IO.inspect(e, label: "rescued")
    catch
      kind, value -> IO.inspect({kind, value}, label: "caught")
    end

    IO.puts("not reached")
  end)

IO.inspect(down.(duplicate), label: "List.duplicate")

comprehension =
  spawn(fn ->
    Process.flag(:max_heap_size, 100_000)
    doubled = for i <- 1..10_000_000, do: i * 2
    IO.puts("not reached #{length(doubled)}")
  end)

IO.inspect(down.(comprehension), label: "for")

small = spawn(fn -> Enum.sum(Enum.to_list(1..10_000)) end)
IO.inspect(down.(small), label: "small enough")

Process.flag(:max_heap_size, 5_000_000)
IO.inspect(Process.flag(:max_heap_size, 2_000_000))
IO.inspect(Process.info(self(), :max_heap_size))
IO.puts(length(Enum.to_list(1..100_000)))
l = Enum.to_list(1..10_000_000)
IO.puts("not reached #{length(l)}")
