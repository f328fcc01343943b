# A GenServer's casts and a call, seen through mailroom-run --beam (tst_beam).
defmodule Stack do
  use GenServer

  @impl true
  def init(items), do: {:ok, items}

  @impl true
  def handle_cast({:push, item}, items), do: {:noreply, [item | items]}

  @impl true
  def handle_call(:pop, _from, [top | rest]), do: {:reply, top, rest}
end

{:ok, pid} = GenServer.start_link(Stack, [:a])
GenServer.cast(pid, {:push, :b})
GenServer.cast(pid, {:push, :c})
IO.inspect(GenServer.call(pid, :pop))
