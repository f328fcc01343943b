# What use GenServer defines besides the callbacks: child_spec/1; a server
# registered under __MODULE__ through start_link/3, reached by its name.
defmodule Registry1 do
  use GenServer

  def start_link(initial), do: GenServer.start_link(__MODULE__, initial, name: __MODULE__)
  def put(k, v), do: GenServer.cast(__MODULE__, {:put, k, v})
  def get(k), do: GenServer.call(__MODULE__, {:get, k})

  @impl true
  def init(map), do: {:ok, map}
  @impl true
  def handle_cast({:put, k, v}, map), do: {:noreply, Map.put(map, k, v)}
  @impl true
  def handle_call({:get, k}, _from, map), do: {:reply, Map.get(map, k), map}
end

IO.inspect(Registry1.child_spec(%{}))
IO.inspect(Registry1.child_spec(:arg))
{:ok, pid} = Registry1.start_link(%{a: 1})
IO.inspect(Process.whereis(Registry1) == pid)
Registry1.put(:b, 2)
IO.inspect({Registry1.get(:a), Registry1.get(:b), Registry1.get(:c)})
IO.inspect(Process.info(pid, :registered_name))
IO.inspect(Registry1.start_link(%{}))
IO.inspect(GenServer.stop(Registry1))
IO.inspect(Process.whereis(Registry1))
