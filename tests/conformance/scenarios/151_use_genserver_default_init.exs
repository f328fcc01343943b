# `use GenServer` in a module without init/1 injects init(arg) -> {:ok, arg} (Elixir warns
# when the module compiles); a module with an init of another arity gets it too.
defmodule NoInit do
  use GenServer
  def handle_call(:get, _from, state), do: {:reply, state, state}
end

defmodule OtherArity do
  use GenServer
  def init(a, b), do: {a, b}
  def handle_call(:get, _from, state), do: {:reply, state, state}
end

IO.inspect(NoInit.init(5))
{:ok, pid} = GenServer.start(NoInit, 42)
IO.inspect(GenServer.call(pid, :get))
{:ok, linked} = GenServer.start_link(NoInit, %{count: 0})
IO.inspect(GenServer.call(linked, :get))
{:ok, other} = GenServer.start(OtherArity, [:x])
IO.inspect(GenServer.call(other, :get))
IO.inspect(OtherArity.init(1, 2))
