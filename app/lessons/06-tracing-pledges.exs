# Title: Tracing a pledge server
# Summary: :sys.trace/2 makes a server print a *DBG* line for every message it gets and every reply it sends, with its new state; Pledges keeps only the three most recent pledges.
#
# Starts from a clean slate: a Pledges an earlier run left is stopped first.

defmodule Pledges do
  use GenServer

  defstruct recent: [], keep: 3

  def start_link(keep), do: GenServer.start_link(__MODULE__, keep, name: __MODULE__)
  def pledge(name, amount), do: GenServer.call(__MODULE__, {:pledge, name, amount})
  def recent, do: GenServer.call(__MODULE__, :recent)
  def total, do: GenServer.call(__MODULE__, :total)

  @impl true
  def init(keep), do: {:ok, %Pledges{keep: keep}}

  @impl true
  def handle_call({:pledge, name, amount}, _from, state) do
    recent = Enum.take([{name, amount} | state.recent], state.keep)
    {:reply, {:ok, name}, %{state | recent: recent}}
  end

  def handle_call(:recent, _from, state), do: {:reply, state.recent, state}

  def handle_call(:total, _from, state) do
    {:reply, Enum.sum(Enum.map(state.recent, fn {_name, amount} -> amount end)), state}
  end
end

case Process.whereis(Pledges) do
  nil -> :ok
  earlier -> GenServer.stop(earlier)
end

{:ok, _} = Pledges.start_link(3)

# From here on, Pledges prints what it receives, what it answers and its new state.
:sys.trace(Pledges, true)

Pledges.pledge("ada", 10)
Pledges.pledge("grace", 25)
Pledges.pledge("linus", 5)
Pledges.pledge("margaret", 40)

# Only the three most recent are kept: ada's pledge is gone.
Pledges.recent()
Pledges.total()

:sys.trace(Pledges, false)
