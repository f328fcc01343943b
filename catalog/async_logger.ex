defmodule AsyncLogger do
  @moduledoc "Fire-and-forget log writes (cast), read back with a call"

  use GenServer

  # Client: a registered server, so callers need no pid.

  def start_link do
    GenServer.start_link(__MODULE__, [], name: __MODULE__)
  end

  def log(message) do
    GenServer.cast(__MODULE__, {:log, message})
  end

  def get_logs do
    GenServer.call(__MODULE__, :get_logs)
  end

  # Server: the entries, newest first.

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  # Try: AsyncLogger.log("hello")
  @impl true
  def handle_cast({:log, message}, logs) do
    stamp =
      DateTime.utc_now()
      |> DateTime.truncate(:millisecond)
      |> DateTime.to_time()
      |> Time.to_string()

    entry = "[#{stamp}] #{message}"
    IO.puts(entry)
    {:noreply, [entry | logs]}
  end

  @impl true
  def handle_call(:get_logs, _from, logs) do
    {:reply, Enum.reverse(logs), logs}
  end
end
