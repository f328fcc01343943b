# A server whose state is its own struct: IO.inspect and :sys.get_state show
# %Name.State{}, :sys.trace prints the struct in its *DBG* lines.
defmodule Thermo do
  use GenServer

  defmodule State do
    defstruct celsius: 20, readings: 0
  end

  alias Thermo.State

  def init(c), do: {:ok, %State{celsius: c}}
  def handle_cast({:set, c}, %State{readings: r} = s), do: {:noreply, %State{s | celsius: c, readings: r + 1}}
  def handle_call(:read, _from, %State{celsius: c} = s), do: {:reply, c, s}
end

{:ok, pid} = GenServer.start_link(Thermo, 18)
IO.inspect(:sys.get_state(pid))
:sys.trace(pid, true)
GenServer.cast(pid, {:set, 22})
IO.inspect(GenServer.call(pid, :read))
:sys.trace(pid, false)
state = :sys.get_state(pid)
IO.inspect(state)
IO.puts("#{state.celsius} after #{state.readings} reading")
