# The lesson's self-scheduling counter in one's own words: init schedules a
# tick with Process.send_after(self(), ...), each tick reschedules, and a
# second counter steps down every 200 ms. Without use GenServer.
defmodule Ticker do
  def init(step) do
    schedule()
    {:ok, {0, step}}
  end

  def handle_info(:tick, {n, step}) do
    schedule()
    {:noreply, {n + step, step}}
  end

  defp schedule, do: Process.send_after(self(), :tick, 200)
end

{:ok, up} = GenServer.start_link(Ticker, 1)
{:ok, down} = GenServer.start_link(Ticker, -1)
Process.sleep(500)
IO.inspect(:sys.get_state(up))
IO.inspect(:sys.get_state(down))
Process.sleep(400)
IO.inspect(:sys.get_state(up))
IO.inspect(:sys.get_state(down))
