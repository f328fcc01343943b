defmodule SlowServer do
  @moduledoc "A call that takes a second: the caller blocks until the reply"

  use GenServer

  @impl true
  def init(_opts) do
    {:ok, nil}
  end

  @impl true
  def handle_call(:sleep, _from, state) do
    {:reply, nap(1000), state}
  end

  # Try: GenServer.call(pid, {:sleep, 300})
  def handle_call({:sleep, ms}, _from, state) do
    {:reply, nap(ms), state}
  end

  # Blocks the server (not the clock) for ms milliseconds, saying so before and after.
  defp nap(ms) do
    IO.puts("Starting sleep")
    Process.sleep(ms)
    IO.puts("Ending sleep")
    "response!"
  end
end
