# conformance: logger
# The Logger report of a server that dies while handling a call, compared line by line
# (without timestamps and stack lines): lesson 4's self-call, then calls from a handler
# that time out or find no process, {:stop, ...} results, exit/1, a named client and a
# client that died before the report.
defmodule SelfCaller do
  use GenServer

  @impl true
  def init(state), do: {:ok, state}

  @impl true
  def handle_call(:hello, _from, state), do: {:reply, :hello_back, state}

  def handle_call(:ask_myself, _from, state) do
    IO.puts("SelfCaller: asking myself for :hello")
    answer = GenServer.call(self(), :hello)
    {:reply, answer, state}
  end
end

defmodule Napper do
  use GenServer
  def init(state), do: {:ok, state}

  def handle_call(:nap, _from, state) do
    Process.sleep(300)
    {:reply, :rested, state}
  end
end

defmodule Asker do
  use GenServer
  def init(state), do: {:ok, state}
  def handle_call({:ask, other, timeout}, _from, state), do: {:reply, GenServer.call(other, :nap, timeout), state}
  def handle_call({:stop, reason}, _from, state), do: {:stop, reason, state}
  def handle_call({:stop, reason, reply}, _from, state), do: {:stop, reason, reply, state}
  def handle_call({:exit, reason}, _from, _state), do: exit(reason)
end

defmodule Try do
  def call(server, request, timeout \\ 5000) do
    try do
      {:ok, GenServer.call(server, request, timeout)}
    catch
      :exit, {reason, {GenServer, :call, _}} -> {:exit, reason}
    end
  end
end

{:ok, pid} = GenServer.start(SelfCaller, nil)
IO.inspect(GenServer.call(pid, :hello))
IO.inspect(Try.call(pid, :ask_myself))
Process.sleep(200)

{:ok, napper} = GenServer.start(Napper, nil)
{:ok, asker} = GenServer.start(Asker, [:waiting])
IO.inspect(Try.call(asker, {:ask, napper, 100}))
Process.sleep(400)

GenServer.stop(napper)
{:ok, asker} = GenServer.start(Asker, %{asked: 1})
IO.inspect(Try.call(asker, {:ask, napper, 100}))
Process.sleep(200)

{:ok, asker} = GenServer.start(Asker, {:named, :nobody})
IO.inspect(Try.call(asker, {:ask, :nobody, 100}))
Process.sleep(200)

for {request, state} <- [
      {{:stop, :custom}, "stop/3"},
      {{:stop, :custom, :bye}, "stop/4"},
      {{:stop, {:error, [1, 2]}}, 1.5},
      {{:stop, :normal}, :quiet},
      {{:stop, :shutdown, :ok}, :quiet},
      {{:stop, {:shutdown, :done}}, :quiet},
      {{:exit, :boom}, 'chars'},
      {{:exit, {:shutdown, 3}}, :quiet}
    ] do
  {:ok, asker} = GenServer.start(Asker, state)
  IO.inspect({request, Try.call(asker, request)})
  Process.sleep(200)
end

# A client with a registered name is named by it.
Process.register(self(), :shell)
{:ok, napper} = GenServer.start(Napper, nil)
{:ok, asker} = GenServer.start(Asker, :named_client)
IO.inspect(Try.call(asker, {:ask, napper, 100}))
Process.sleep(400)
Process.unregister(:shell)

# A client that gave up on its call and ended before the server died.
{:ok, napper} = GenServer.start(Napper, nil)
{:ok, asker} = GenServer.start(Asker, :dead_client)
client = spawn(fn -> IO.inspect(Try.call(asker, {:ask, napper, 200}, 50)) end)
Process.sleep(100)
IO.inspect(Process.alive?(client))
Process.sleep(400)
IO.inspect(Process.alive?(asker))
