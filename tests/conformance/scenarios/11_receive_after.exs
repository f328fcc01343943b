# receive with patterns, guards, selective receive and after.
send(self(), {:number, 5})
send(self(), {:word, "five"})
send(self(), :plain)
receive do
  {:word, w} -> IO.puts("got word #{w}")
end
receive do
  {:number, n} when n > 3 -> IO.puts("got big number #{n}")
  {:number, n} -> IO.puts("got small number #{n}")
end
receive do
  msg -> IO.inspect(msg, label: "next")
end
receive do
  :nothing -> IO.puts("impossible")
after
  100 -> IO.puts("timed out after 100 ms")
end
receive do
  :nothing -> IO.puts("impossible")
after
  0 -> IO.puts("after 0 returns at once")
end
send(self(), 1)
send(self(), 2)
send(self(), 3)
total =
  Enum.reduce(1..3, 0, fn _, acc ->
    receive do
      n -> acc + n
    end
  end)
IO.inspect(total)
result =
  receive do
    x -> x
  after
    50 -> :empty
  end
IO.inspect(result)
