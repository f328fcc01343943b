# The pledge server lesson as a whole program: a registered name from an
# attribute, a %Module.State{} struct as state, client functions, a cache.
defmodule Donations do
  use GenServer

  @name :donations

  defmodule State do
    defstruct cache_size: 3, pledges: []
  end

  def start(size \\ 3), do: GenServer.start(__MODULE__, %State{cache_size: size}, name: @name)
  def pledge(who, amount), do: GenServer.call(@name, {:pledge, who, amount})
  def recent, do: GenServer.call(@name, :recent)
  def total, do: GenServer.call(@name, :total)
  def resize(n), do: GenServer.cast(@name, {:resize, n})
  def clear, do: GenServer.cast(@name, :clear)

  @impl true
  def init(%State{} = state), do: {:ok, state}

  @impl true
  def handle_call({:pledge, who, amount}, _from, state) do
    kept = Enum.take([{who, amount} | state.pledges], state.cache_size)
    {:reply, "pledge-#{length(kept)}", %State{state | pledges: kept}}
  end

  def handle_call(:recent, _from, state), do: {:reply, state.pledges, state}

  def handle_call(:total, _from, %State{pledges: p} = state) do
    {:reply, p |> Enum.map(&elem(&1, 1)) |> Enum.sum(), state}
  end

  @impl true
  def handle_cast({:resize, n}, state), do: {:noreply, %{state | cache_size: n}}
  def handle_cast(:clear, state), do: {:noreply, %{state | pledges: []}}
end

{:ok, pid} = Donations.start()
IO.inspect(Process.whereis(:donations) == pid)
IO.puts(Donations.pledge("ann", 10))
IO.puts(Donations.pledge("bob", 20))
IO.puts(Donations.pledge("cid", 30))
IO.puts(Donations.pledge("dee", 40))
IO.inspect(Donations.recent())
IO.inspect(Donations.total())
Donations.resize(1)
IO.puts(Donations.pledge("eve", 5))
IO.inspect(Donations.recent())
IO.inspect(:sys.get_state(pid))
Donations.clear()
IO.inspect(Donations.total())
IO.inspect(Donations.start())
