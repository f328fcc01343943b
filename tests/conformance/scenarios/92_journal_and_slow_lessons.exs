# Two lesson servers in one's own words: a journal appending entries by cast
# (read back with :sys.get_state), and a slow call that blocks its caller.
defmodule Diary do
  use GenServer
  def init(_), do: {:ok, []}
  def handle_cast({:add, text}, entries), do: {:noreply, [text | entries]}
end

defmodule Sleepy do
  use GenServer
  def init(_), do: {:ok, 0}
  def handle_call({:nap, ms}, _from, naps) do
    IO.puts("napping #{ms}")
    Process.sleep(ms)
    IO.puts("awake")
    {:reply, :rested, naps + 1}
  end
end

{:ok, diary} = GenServer.start_link(Diary, [])
GenServer.cast(diary, {:add, "monday"})
GenServer.cast(diary, {:add, "tuesday"})
IO.inspect(:sys.get_state(diary))
{:ok, sleepy} = GenServer.start_link(Sleepy, [])
IO.puts("calling")
IO.inspect(GenServer.call(sleepy, {:nap, 200}))
IO.puts("call returned")
try do
  GenServer.call(sleepy, {:nap, 300}, 100)
catch
  :exit, {:timeout, _} -> IO.puts("timed out")
end
Process.sleep(400)
IO.inspect(:sys.get_state(sleepy))
