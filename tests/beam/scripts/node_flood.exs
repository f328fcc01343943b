# A node to attach to from the window (tst_beamwindow): a server flooded with casts once it is
# watched, so that the tracer stops itself, and cast once more when it is watched again after the
# flood; then a quiet server, watched alone, set once.
# Run as `elixir --sname NAME --cookie C node_flood.exs`.
Logger.configure_backend(:console, device: :standard_error)

defmodule Busy do
  use GenServer

  @impl true
  def init(n), do: {:ok, n}

  @impl true
  def handle_cast(:hit, n), do: {:noreply, n + 1}
end

defmodule Quiet do
  use GenServer

  @impl true
  def init(v), do: {:ok, v}

  @impl true
  def handle_cast({:set, v}, _), do: {:noreply, v}
end

{:ok, busy} = GenServer.start(Busy, 0, name: Busy)
{:ok, quiet} = GenServer.start(Quiet, :none, name: Quiet)
IO.puts("ready")

# Whether any of the tracer's modules (mailroom_*) is loaded here.
tracer_loaded? = fn ->
  Enum.any?(:code.all_loaded(), fn {m, _} -> String.starts_with?(Atom.to_string(m), "mailroom_") end)
end

# Waits (boundedly, 60 s) until `done?` holds: Mailroom's tracer arrives, or leaves.
wait = fn wait, done?, tries ->
  cond do
    done?.() -> :ok
    tries == 0 -> raise "gave up waiting"
    true -> Process.sleep(20); wait.(wait, done?, tries - 1)
  end
end
watched? = fn pid -> :erlang.trace_info(pid, :flags) != {:flags, []} end

wait.(wait, fn -> watched?.(busy) end, 3000)
Enum.each(1..50_000, fn _ -> GenServer.cast(Busy, :hit) end)
wait.(wait, fn -> not watched?.(busy) end, 3000)
IO.puts("busy flags: #{inspect(:erlang.trace_info(busy, :flags))}")
wait.(wait, fn -> watched?.(busy) end, 3000)
GenServer.cast(Busy, :hit)
IO.puts("busy watched again")
wait.(wait, fn -> not watched?.(busy) end, 3000)

wait.(wait, fn -> watched?.(quiet) end, 3000)
GenServer.cast(Quiet, {:set, :calm})
IO.puts("set")
wait.(wait, fn -> not watched?.(quiet) and not tracer_loaded?.() end, 3000)
IO.puts("after: #{inspect(:erlang.trace_info(quiet, :flags))} #{inspect(tracer_loaded?.())}")
