# A GenServer that crashes in a cast, and a process linked to it that goes down with it (tst_beam).
# The crash report goes to standard error, so standard output holds only what the script prints.
Logger.configure_backend(:console, device: :standard_error)

defmodule Fragile do
  use GenServer

  @impl true
  def init(:ok) do
    buddy = spawn_link(fn -> Process.sleep(:infinity) end)
    {:ok, %{buddy: buddy}}
  end

  @impl true
  def handle_cast(:boom, _state), do: raise("boom")

  @impl true
  def handle_call(:buddy, _from, state), do: {:reply, state.buddy, state}
end

{:ok, pid} = GenServer.start(Fragile, :ok)
buddy = GenServer.call(pid, :buddy)
server_ref = Process.monitor(pid)
buddy_ref = Process.monitor(buddy)
GenServer.cast(pid, :boom)
await_down = fn ref ->
  receive do
    {:DOWN, ^ref, :process, _, _} -> :ok
  end
end
await_down.(server_ref)
IO.puts("server down")
GenServer.cast(pid, :after_death)
await_down.(buddy_ref)
IO.puts("buddy down")
