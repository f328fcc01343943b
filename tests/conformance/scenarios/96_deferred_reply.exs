# A handle_call that answers later: {:noreply, state} keeps the caller
# waiting until GenServer.reply/2, here from a worker the server spawns.
defmodule Deferred do
  use GenServer

  def init(_), do: {:ok, 0}

  def handle_call({:slow_square, n}, from, count) do
    spawn(fn ->
      Process.sleep(100)
      GenServer.reply(from, n * n)
    end)
    {:noreply, count + 1}
  end

  def handle_call(:count, _from, count), do: {:reply, count, count}
end

{:ok, pid} = GenServer.start_link(Deferred, [])
task = Task.async(fn -> GenServer.call(pid, {:slow_square, 7}) end)
Process.sleep(20)
IO.inspect(GenServer.call(pid, :count))
IO.inspect(Task.await(task))
IO.inspect(GenServer.call(pid, {:slow_square, 3}))
IO.inspect(GenServer.call(pid, :count))
