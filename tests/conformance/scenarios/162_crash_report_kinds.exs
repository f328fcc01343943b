# conformance: logger
# The Logger report of a server that dies outside a call: no "(from ...)" and no client
# for a cast, a plain message, a timeout or a continuation; exceptions shown by their
# banner (raise, a BIF error, a bad match, no clause, use GenServer's defaults); a bad
# return value; terminate/2 raising; GenServer.stop with a reason; a named server; a
# trapping server whose parent exits.
defmodule Napper do
  use GenServer
  def init(state), do: {:ok, state}

  def handle_call(:nap, _from, state) do
    Process.sleep(300)
    {:reply, :rested, state}
  end
end

defmodule Fragile do
  use GenServer
  def init(state), do: {:ok, state}
  def handle_cast({:ask, other}, state), do: {:noreply, [GenServer.call(other, :nap, 100) | state]}
  def handle_cast(:raise, _state), do: raise("cast went wrong")
  def handle_cast(:arith, state), do: {:noreply, state + 1}
  def handle_call(:badmatch, _from, state) do
    {:ok, value} = check(state)
    {:reply, value, state}
  end
  def handle_call(:bad_return, _from, _state), do: :what
  def handle_call(:later, _from, state), do: {:reply, :ok, state, {:continue, :then}}
  def handle_call(:wait, _from, state), do: {:reply, :ok, state, 50}
  def handle_call(:terminate_raises, _from, state), do: {:stop, :bye, state}
  def handle_info(:timeout, state), do: {:noreply, state <> "!"}
  def handle_info({:exit, reason}, _state), do: exit(reason)
  def handle_continue(:then, state), do: {:noreply, hd(state)}
  def terminate(:bye, _state), do: raise("terminate went wrong")
  def terminate(_reason, _state), do: :ok
  defp check(state), do: {:error, state}
end

defmodule Plain do
  use GenServer
  def init(state), do: {:ok, state}
  def handle_info(:only_this, state), do: {:noreply, state}
end

defmodule Trapper do
  use GenServer
  def init(state) do
    Process.flag(:trap_exit, true)
    {:ok, state}
  end
end

defmodule Try do
  def call(server, request) do
    try do
      {:ok, GenServer.call(server, request)}
    catch
      :exit, {{reason, [_ | _]}, {GenServer, :call, _}} -> {:exit_with_stack, reason}
      :exit, {reason, {GenServer, :call, _}} -> {:exit, reason}
    end
  end
end

{:ok, napper} = GenServer.start(Napper, nil)
{:ok, fragile} = GenServer.start(Fragile, [:cast])
GenServer.cast(fragile, {:ask, napper})
Process.sleep(400)
IO.inspect(Process.alive?(fragile))

for {message, state} <- [raise: "r", arith: :not_a_number] do
  {:ok, fragile} = GenServer.start(Fragile, state)
  GenServer.cast(fragile, message)
  Process.sleep(200)
end

for {request, state} <- [badmatch: 7, bad_return: {1, 2}, later: [], wait: 42, terminate_raises: %{t: 1}] do
  {:ok, fragile} = GenServer.start(Fragile, state)
  IO.inspect({request, Try.call(fragile, request)})
  Process.sleep(200)
end

for reason <- [:boom, {:nested, {:deep, [1]}}, :normal] do
  {:ok, fragile} = GenServer.start(Fragile, :info)
  send(fragile, {:exit, reason})
  Process.sleep(200)
end

{:ok, plain} = GenServer.start(Plain, 0, name: :plain)
IO.inspect(Try.call(:plain, :anything))
Process.sleep(200)
{:ok, plain} = GenServer.start(Plain, 0, name: :plain)
GenServer.cast(:plain, :anything)
Process.sleep(200)
{:ok, plain} = GenServer.start(Plain, 0)
send(plain, :something_else)
Process.sleep(200)

{:ok, fragile} = GenServer.start(Fragile, "stopped")
IO.inspect(GenServer.stop(fragile, :custom_reason))
{:ok, fragile} = GenServer.start(Fragile, "stopped quietly", name: :quiet)
IO.inspect(GenServer.stop(:quiet, {:shutdown, :bye}))
Process.sleep(200)

parent = spawn(fn ->
  {:ok, _} = GenServer.start_link(Trapper, :trapping, name: :trapper)
  receive do
    :go -> exit(:parent_gone)
  end
end)
Process.sleep(100)
send(parent, :go)
Process.sleep(200)
IO.inspect(Process.whereis(:trapper))
