# The asynchronous logger lesson as a whole program: a named server,
# fire-and-forget casts with a timestamp, a call for the ordered entries.
defmodule StampLog do
  use GenServer

  def start_link, do: GenServer.start_link(__MODULE__, [], name: __MODULE__)
  def write(text), do: GenServer.cast(__MODULE__, {:write, text})
  def entries, do: GenServer.call(__MODULE__, :entries)

  @impl true
  def init(_), do: {:ok, []}

  @impl true
  def handle_cast({:write, text}, entries) do
    now =
      DateTime.utc_now()
      |> DateTime.truncate(:millisecond)
      |> DateTime.to_time()
      |> Time.to_string()

    line = "[#{now}] #{text}"
    IO.puts(line)
    {:noreply, [line | entries]}
  end

  @impl true
  def handle_call(:entries, _from, entries), do: {:reply, Enum.reverse(entries), entries}
end

{:ok, _pid} = StampLog.start_link()
StampLog.write("first")
StampLog.write("second")
StampLog.write("third")
Process.sleep(100)
Enum.each(StampLog.entries(), &IO.puts/1)
IO.inspect(length(StampLog.entries()))
IO.inspect(GenServer.whereis(StampLog) == Process.whereis(StampLog))
