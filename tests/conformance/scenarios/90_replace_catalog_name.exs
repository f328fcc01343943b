# A script's module named like a server Mailroom ships replaces it, as a
# redefinition does in iex: this Counter counts by tens and has its own API.
defmodule Counter do
  use GenServer

  def start(n), do: GenServer.start(__MODULE__, n)
  def add(pid), do: GenServer.cast(pid, :add)
  def value(pid), do: GenServer.call(pid, :value)

  @impl true
  def init(n), do: {:ok, n}
  @impl true
  def handle_cast(:add, n), do: {:noreply, n + 10}
  @impl true
  def handle_call(:value, _from, n), do: {:reply, {:tens, n}, n}
end

{:ok, pid} = Counter.start(0)
Counter.add(pid)
Counter.add(pid)
IO.inspect(Counter.value(pid))
IO.inspect(:sys.get_state(pid))
try do
  GenServer.call(pid, :get_state)
catch
  :exit, {{:function_clause, _}, _} -> IO.puts("no such clause in the new Counter")
end
