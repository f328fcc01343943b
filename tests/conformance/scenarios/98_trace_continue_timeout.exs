# :sys.trace of a server that continues and times out: OTP's *DBG* lines for
# {:continue, term} ("dbg  {continue,...}") and for a timeout ("got timeout").
defmodule Steps do
  use GenServer
  def init(_), do: {:ok, 0}
  def handle_call(:go_on, _from, n), do: {:reply, :went, n, {:continue, :step}}
  def handle_call(:wait, _from, n), do: {:reply, :waiting, n, 100}
  def handle_cast(:again, n), do: {:noreply, n, {:continue, {:step, 5}}}
  def handle_continue(:step, n), do: {:noreply, n + 1}
  def handle_continue({:step, k}, n), do: {:noreply, n + k}
  def handle_info(:timeout, n), do: {:noreply, n * 100}
end

{:ok, pid} = GenServer.start(Steps, [])
:sys.trace(pid, true)
went = GenServer.call(pid, :go_on)
Process.sleep(100)
IO.inspect(went)
GenServer.cast(pid, :again)
Process.sleep(100)
waiting = GenServer.call(pid, :wait)
Process.sleep(300)
IO.inspect(waiting)
:sys.trace(pid, false)
IO.inspect(:sys.get_state(pid))
