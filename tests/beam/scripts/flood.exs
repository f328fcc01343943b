# A flood of casts: the tracer must stop itself, and this node go on with its flags gone; once the
# flood is over, the tracer watches the same processes again (tst_beam).
defmodule Sink do
  use GenServer

  @impl true
  def init(n), do: {:ok, n}

  @impl true
  def handle_cast(:hit, n), do: {:noreply, n + 1}

  @impl true
  def handle_call(:count, _from, n), do: {:reply, n, n}
end

# Waits (boundedly, 30 s) until `done?` holds.
wait = fn wait, done?, tries ->
  cond do
    done?.() -> true
    tries == 0 -> false
    true -> Process.sleep(10); wait.(wait, done?, tries - 1)
  end
end
traced? = fn pid -> :erlang.trace_info(pid, :flags) != {:flags, []} end

{:ok, pid} = GenServer.start_link(Sink, 0)
Enum.each(1..50_000, fn _ -> GenServer.cast(pid, :hit) end)
# The tracer has switched our flags off (and the server's) once it had seen too much.
IO.puts("own flags gone: #{wait.(wait, fn -> not traced?.(self()) end, 3000)}")
IO.puts("server flags: #{inspect(:erlang.trace_info(pid, :flags))}")
IO.puts("count: #{GenServer.call(pid, :count, :infinity)}")
# The flood is over: the tracer watches this process and the server again, and sees this.
IO.puts("watched again: #{wait.(wait, fn -> traced?.(self()) and traced?.(pid) end, 3000)}")
GenServer.cast(pid, :hit)
IO.puts("count: #{GenServer.call(pid, :count)}")
