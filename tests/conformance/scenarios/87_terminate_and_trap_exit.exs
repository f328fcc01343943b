# terminate/2 runs on GenServer.stop, on {:stop, ...}, and when a server
# that traps exits loses its linked parent, and after a callback raises.
defmodule Careful do
  use GenServer

  def init(trap) do
    Process.flag(:trap_exit, trap)
    {:ok, trap}
  end

  def handle_call(:crash, _from, _s), do: raise("oops")

  def terminate(reason, trap) do
    IO.puts("terminate #{inspect(summary(reason))} trap=#{trap}")
  end

  defp summary({%RuntimeError{message: m}, _stack}), do: {:raised, m}
  defp summary(reason), do: reason
end

{:ok, a} = GenServer.start(Careful, false)
IO.inspect(GenServer.stop(a))
{:ok, b} = GenServer.start(Careful, false)
IO.inspect(GenServer.stop(b, :shutdown))

Process.register(self(), :script)

parent =
  spawn(fn ->
    {:ok, c} = GenServer.start_link(Careful, true)
    send(:script, {:child, c})
    receive do
      :go -> exit(:parent_done)
    end
  end)

c = receive do
  {:child, c} -> c
end
_ref = Process.monitor(c)
send(parent, :go)
receive do
  {:DOWN, _ref, :process, _, reason} -> IO.inspect({:down, reason})
end

{:ok, d} = GenServer.start(Careful, false)
try do
  GenServer.call(d, :crash)
catch
  :exit, {{%RuntimeError{message: m}, _}, _} -> IO.puts("caught #{m}")
end
