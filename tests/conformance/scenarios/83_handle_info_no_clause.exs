# #19 item 3: a module whose handle_info clauses do not match dies of
# function_clause; only a module without handle_info logs and goes on.
defmodule OnlyPing do
  use GenServer
  def init(_), do: {:ok, 0}
  def handle_info(:ping, n) do
    IO.puts("ping #{n}")
    {:noreply, n + 1}
  end
end

defmodule NoInfo do
  use GenServer
  def init(_), do: {:ok, :quiet}
end

{:ok, quiet} = GenServer.start(NoInfo, [])
send(quiet, :anything)
Process.sleep(100)
IO.inspect(Process.alive?(quiet))
IO.inspect(:sys.get_state(quiet))

{:ok, pid} = GenServer.start(OnlyPing, [])
_ref = Process.monitor(pid)
send(pid, :ping)
send(pid, :ping)
send(pid, :pong)
receive do
  {:DOWN, _ref, :process, _pid, {:function_clause, [{mod, fun, args, _} | _]}} ->
    IO.inspect({:down, mod, fun, args})
after
  1000 -> IO.puts("still alive")
end
IO.inspect(Process.alive?(pid))
