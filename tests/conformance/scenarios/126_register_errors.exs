# Process.register/unregister errors: Elixir's own ArgumentError for every cause of :erlang.register's badarg, FunctionClauseError for a bad name.
p = spawn(fn -> receive do _ -> :ok end end)
q = spawn(fn -> receive do _ -> :ok end end)
Process.register(p, :a)
for f <- [fn -> Process.register(p, :b) end, fn -> Process.register(q, :a) end,
          fn -> Process.register(self(), :a) end, fn -> Process.register(p, :a) end,
          fn -> Process.register(p, nil) end, fn -> Process.register(p, :undefined) end,
          fn -> Process.register(p, "name") end,
          fn -> Process.unregister(:nobody) end] do
  try do
    IO.inspect(f.())
  rescue
    e -> IO.inspect(e)
  end
end
dead = spawn(fn -> :ok end)
Process.sleep(50)
try do Process.register(dead, :dead) rescue e -> IO.puts(Exception.message(e)) end
IO.inspect(Process.unregister(:a))
IO.inspect(Process.whereis(:a))
IO.inspect(Process.register(p, :b))
try do Process.register(q, :b) catch k, r -> IO.inspect({k, r}) end
