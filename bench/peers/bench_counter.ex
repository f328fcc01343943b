# Figure 9's counter (docs/performance.md), written as a learner writes a GenServer. The same
# file runs in both systems: Mailroom's interpreter reads it (bench/workloads.cpp), and
# bench/run compiles it with elixirc for the BEAM peer (bench/peers/beam_bench.erl).
defmodule BenchCounter do
  use GenServer

  @impl true
  def init(:ok), do: {:ok, {0, 0, nil}}

  # Resets the count; the caller is told :done once `target` casts have been handled.
  @impl true
  def handle_call({:arm, target}, {from, _tag}, _state), do: {:reply, :ok, {0, target, from}}
  def handle_call(:ping, _from, state), do: {:reply, :pong, state}

  @impl true
  def handle_cast(:inc, {n, target, notify}) do
    n = n + 1
    if n == target, do: send(notify, :done)
    {:noreply, {n, target, notify}}
  end
end
