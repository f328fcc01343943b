# The tracer's own API on this node: after stop, and after the death of the process that owns it,
# nothing of it is left on the processes it watched (tst_beam runs this with `elixir -pa EBIN`).
defmodule Counter do
  use GenServer

  @impl true
  def init(n), do: {:ok, n}

  @impl true
  def handle_cast(:inc, n), do: {:noreply, n + 1}

  @impl true
  def handle_call(:get, _from, n), do: {:reply, n, n}
end

report = fn label, pids ->
  flags = Enum.map(pids, fn p -> :erlang.trace_info(p, :flags) end)
  tracers = Enum.map(pids, fn p -> :erlang.trace_info(p, :tracer) end)
  {:status, _, _, [_, _, _, debug, _]} = :sys.get_status(hd(pids))
  timers = :erlang.trace_info({:erlang, :send_after, 3}, :traced)
  handlers = :erlang.trace_info({:gen_server, :try_handle_call, 4}, :traced)
  IO.puts("#{label} flags: #{inspect(flags)} tracers: #{inspect(tracers)} sys debug: #{inspect(debug)} send_after: #{inspect(timers)} handlers: #{inspect(handlers)}")
end

watch = fn opts ->
  {:ok, server} = GenServer.start(Counter, 0)
  plain = spawn(fn -> Process.sleep(:infinity) end)
  {:ok, tracer} = :mailroom_tracer.start(Map.merge(%{out: {:file, '/dev/null'}}, opts))
  :ok = :mailroom_tracer.watch(tracer, [server, plain])
  GenServer.cast(server, :inc)
  1 = GenServer.call(server, :get)
  report.("watched", [server, plain])
  {tracer, [server, plain]}
end

{tracer, pids} = watch.(%{})
:ok = :mailroom_tracer.stop(tracer)
report.("stopped", pids)

# The reader dies: the tracer, linked to it, takes everything off by itself.
owner = spawn(fn -> Process.sleep(:infinity) end)
{tracer, pids} = watch.(%{owner: owner})
ref = Process.monitor(tracer)
Process.exit(owner, :kill)
await_down = fn ref ->
  receive do
    {:DOWN, ^ref, :process, _, _} -> :ok
  end
end
await_down.(ref)
report.("owner died", pids)
