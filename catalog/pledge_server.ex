defmodule PledgeServer do
  @moduledoc "Keeps the most recent pledges in a struct, registered as :pledge_server"

  use GenServer

  @name :pledge_server

  defmodule State do
    defstruct cache_size: 3, pledges: []
  end

  # Client: every function talks to the server registered as @name.

  def start do
    GenServer.start(__MODULE__, %State{}, name: @name)
  end

  def start_link do
    GenServer.start_link(__MODULE__, %State{}, name: @name)
  end

  def create_pledge(name, amount) do
    GenServer.call(@name, {:create_pledge, name, amount})
  end

  def recent_pledges do
    GenServer.call(@name, :recent_pledges)
  end

  def total_pledged do
    GenServer.call(@name, :total_pledged)
  end

  def set_cache_size(size) do
    GenServer.cast(@name, {:set_cache_size, size})
  end

  def clear do
    GenServer.cast(@name, :clear)
  end

  # Server: the newest pledges first, at most cache_size of them.

  @impl true
  def init(state) do
    {:ok, state}
  end

  # Try: PledgeServer.create_pledge("larry", 10)
  @impl true
  def handle_call({:create_pledge, name, amount}, _from, state) do
    pledges = Enum.take([{name, amount} | state.pledges], state.cache_size)
    {:reply, :ok, %{state | pledges: pledges}}
  end

  def handle_call(:recent_pledges, _from, state) do
    {:reply, state.pledges, state}
  end

  def handle_call(:total_pledged, _from, state) do
    total = state.pledges |> Enum.map(&elem(&1, 1)) |> Enum.sum()
    {:reply, total, state}
  end

  # Try: PledgeServer.set_cache_size(2)
  @impl true
  def handle_cast({:set_cache_size, size}, state) do
    {:noreply, %{state | cache_size: size, pledges: Enum.take(state.pledges, size)}}
  end

  def handle_cast(:clear, state) do
    {:noreply, %{state | pledges: []}}
  end
end
