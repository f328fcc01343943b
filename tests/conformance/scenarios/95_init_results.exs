# What init/1 may return, and a module without init/1: start gives
# {:ok, pid}, :ignore, {:error, reason}; start_link of a failing init is caught.
defmodule Starter do
  use GenServer
  def init(:ok), do: {:ok, :running}
  def init(:ignore), do: :ignore
  def init(:stop), do: {:stop, :refused}
  def init(:timeout), do: {:ok, :waiting, 100}
  def init(:raise), do: raise(ArgumentError, "bad start")
  def handle_info(:timeout, _), do: {:noreply, :timed_out}
end

defmodule NoInit do
  def handle_call(_, _, s), do: {:reply, s, s}
end

{:ok, a} = GenServer.start(Starter, :ok)
IO.inspect(:sys.get_state(a))
IO.inspect(GenServer.start(Starter, :ignore))
IO.inspect(GenServer.start(Starter, :stop))
{:ok, b} = GenServer.start(Starter, :timeout)
Process.sleep(300)
IO.inspect(:sys.get_state(b))
case GenServer.start(Starter, :raise) do
  {:error, {%ArgumentError{message: m}, [_ | _]}} -> IO.puts("init raised: " <> m)
  other -> IO.inspect(other)
end
case GenServer.start(NoInit, []) do
  {:error, {:undef, [{NoInit, :init, [[]], _} | _]}} -> IO.puts("no init/1")
  other -> IO.inspect(other)
end
Process.flag(:trap_exit, true)
IO.inspect(GenServer.start_link(Starter, :stop))
receive do
  {:EXIT, _pid, reason} -> IO.inspect({:exit_message, reason})
after
  200 -> IO.puts("no exit message")
end
