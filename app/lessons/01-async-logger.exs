# Title: An asynchronous logger
# Summary: A server that takes lines by cast, so the writer goes on at once, and hands them all back by call, so the reader waits for the list.
#
# Run it (Run, or Ctrl+Enter), then change it and run it again: it starts from a clean
# slate, stopping the EventLog an earlier run left.

defmodule EventLog do
  use GenServer

  # The client side: what the rest of the program calls.
  def start_link(_opts), do: GenServer.start_link(__MODULE__, [], name: __MODULE__)

  # A cast: the message goes into EventLog's mailbox and write/1 returns :ok at once.
  def write(line), do: GenServer.cast(__MODULE__, {:write, line})

  # A call: lines/0 waits for EventLog's answer.
  def lines, do: GenServer.call(__MODULE__, :lines)

  # The server side: its state is the list of lines, the newest first (prepending is cheap).
  @impl true
  def init([]), do: {:ok, []}

  @impl true
  def handle_cast({:write, line}, lines) do
    IO.puts("EventLog wrote: " <> line)
    {:noreply, [line | lines]}
  end

  @impl true
  def handle_call(:lines, _from, lines), do: {:reply, Enum.reverse(lines), lines}
end

case Process.whereis(EventLog) do
  nil -> :ok
  earlier -> GenServer.stop(earlier)
end

{:ok, _pid} = EventLog.start_link([])

# Three casts: each returns :ok before EventLog has written anything. Watch the tokens
# queue in its mailbox on the stage.
EventLog.write("door opened")
EventLog.write("parcel scanned")
EventLog.write("door closed")
IO.puts("three lines sent, and the sender never waited")

# The call's message queues behind the three casts, so the answer holds all of them:
# no sleep is needed to let the casts finish.
EventLog.lines()
