# A server killed at its max_heap_size inside a callback ends there: no terminate/2 runs and no
# "terminating" report; the caller exits with {:killed, {GenServer, :call, ...}}.
defmodule Big do
  use GenServer
  def init(_) do
    Process.flag(:max_heap_size, 100_000)
    {:ok, 0}
  end
  def handle_call(:grow, _, s), do: {:reply, length(Enum.to_list(1..10_000_000)), s}
  def terminate(reason, _), do: IO.inspect(reason, label: "terminate")
end
{:ok, pid} = GenServer.start(Big, 0)
try do
  GenServer.call(pid, :grow)
catch
  :exit, reason -> IO.inspect(reason)
end
