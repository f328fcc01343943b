# Every return shape: {:reply, r, s, timeout} then handle_info(:timeout),
# {:noreply, s, {:continue, t}} with handle_continue/2, init's continue,
# :hibernate, {:stop, reason, reply, s} and {:stop, reason, s} with terminate/2.
defmodule Shapes2 do
  use GenServer

  def init(:continue), do: {:ok, [:init], {:continue, :warm_up}}
  def init(state), do: {:ok, state}

  def handle_continue(:warm_up, log), do: {:noreply, [:warmed | log]}
  def handle_continue({:more, x}, log), do: {:noreply, [x | log]}

  def handle_call(:log, _from, log), do: {:reply, Enum.reverse(log), log}
  def handle_call(:with_timeout, _from, log), do: {:reply, :armed, [:armed | log], 100}
  def handle_call(:hibernate, _from, log), do: {:reply, :zzz, log, :hibernate}
  def handle_call(:stop_reply, _from, log), do: {:stop, :normal, :bye, log}

  def handle_cast({:continue, x}, log), do: {:noreply, log, {:continue, {:more, x}}}
  def handle_cast(:stop, log), do: {:stop, :shutdown, log}

  def handle_info(:timeout, log), do: {:noreply, [:timed_out | log]}

  def terminate(reason, log) do
    IO.inspect({:terminate, reason, length(log)})
    :ok
  end
end

{:ok, a} = GenServer.start(Shapes2, :continue)
IO.inspect(GenServer.call(a, :log))
GenServer.cast(a, {:continue, :x})
IO.inspect(GenServer.call(a, :log))
IO.inspect(GenServer.call(a, :with_timeout))
Process.sleep(300)
IO.inspect(GenServer.call(a, :log))
IO.inspect(GenServer.call(a, :hibernate))
IO.inspect(GenServer.call(a, :stop_reply))
Process.sleep(50)
IO.inspect(Process.alive?(a))

{:ok, b} = GenServer.start(Shapes2, [])
_ref = Process.monitor(b)
GenServer.cast(b, :stop)
receive do
  {:DOWN, _ref, :process, _, reason} -> IO.inspect({:down, reason})
end
