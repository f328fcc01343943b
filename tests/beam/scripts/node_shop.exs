# A node to attach to from the window (tst_beamwindow): a supervisor with two GenServers under
# it, and one GenServer outside it that must not be watched when the supervisor is picked.
# Run as `elixir --sname NAME --cookie C node_shop.exs`.
Logger.configure_backend(:console, device: :standard_error)

defmodule Cart do
  use GenServer

  @impl true
  def init(items), do: {:ok, items}

  @impl true
  def handle_cast({:add, item}, items), do: {:noreply, [item | items]}

  @impl true
  def handle_call(:items, _from, items), do: {:reply, items, items}
end

defmodule Stock do
  use GenServer

  @impl true
  def init(n), do: {:ok, n}

  @impl true
  def handle_call(:take, _from, n), do: {:reply, :ok, n - 1}
end

defmodule Clock do
  use GenServer

  @impl true
  def init(t), do: {:ok, t}

  @impl true
  def handle_cast(:tick, t), do: {:noreply, t + 1}
end

children = [
  %{id: Cart, start: {GenServer, :start_link, [Cart, [], [name: Cart]]}},
  %{id: Stock, start: {GenServer, :start_link, [Stock, 3, [name: Stock]]}}
]
{:ok, _} = Supervisor.start_link(children, strategy: :one_for_one, name: Shop.Sup)
{:ok, _} = GenServer.start(Clock, 0, name: Clock)
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
watched? = fn name -> :erlang.trace_info(Process.whereis(name), :flags) != {:flags, []} end
wait.(wait, fn -> watched?.(Cart) and watched?.(Stock) end, 3000)
IO.puts("watched clock: #{watched?.(Clock)}")

GenServer.cast(Cart, {:add, :apple})
[:apple] = GenServer.call(Cart, :items)
:ok = GenServer.call(Stock, :take)
GenServer.cast(Clock, :tick)
IO.puts("shopped")

wait.(wait, fn -> not watched?.(Cart) and not tracer_loaded?.() end, 3000)
IO.puts("after: #{inspect(:erlang.trace_info(Process.whereis(Cart), :flags))} #{inspect(tracer_loaded?.())}")
