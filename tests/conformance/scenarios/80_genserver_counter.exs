# The counter of the GenServer lesson, in one's own words: casts to
# increment (after a pause), a call to read, the caller blocks on the call.
defmodule Tally do
  use GenServer

  @impl true
  def init(start), do: {:ok, start}

  @impl true
  def handle_cast(:bump, n) do
    Process.sleep(100)
    {:noreply, n + 1}
  end

  @impl true
  def handle_call(:read, _from, n), do: {:reply, n, n}
end

{:ok, pid} = GenServer.start_link(Tally, 5)
IO.inspect(GenServer.cast(pid, :bump))
IO.inspect(GenServer.cast(pid, :bump))
IO.puts("casts returned at once")
IO.inspect(GenServer.call(pid, :read))
IO.inspect(:sys.get_state(pid))
IO.inspect(Process.alive?(pid))
