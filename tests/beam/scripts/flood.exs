# A flood of casts: the tracer must stop itself, and this node go on with its flags gone (tst_beam).
defmodule Sink do
  use GenServer

  @impl true
  def init(n), do: {:ok, n}

  @impl true
  def handle_cast(:hit, n), do: {:noreply, n + 1}

  @impl true
  def handle_call(:count, _from, n), do: {:reply, n, n}
end

{:ok, pid} = GenServer.start_link(Sink, 0)
Enum.each(1..50_000, fn _ -> GenServer.cast(pid, :hit) end)
IO.puts("count: #{GenServer.call(pid, :count, :infinity)}")

# The tracer switches our flags off once it has seen too much: wait for that, boundedly.
flags_gone = fn again, tries ->
  case :erlang.trace_info(self(), :flags) do
    {:flags, []} -> true
    _ when tries == 0 -> false
    _ -> Process.sleep(10); again.(again, tries - 1)
  end
end
IO.puts("own flags gone: #{flags_gone.(flags_gone, 1000)}")
IO.puts("server flags: #{inspect(:erlang.trace_info(pid, :flags))}")
