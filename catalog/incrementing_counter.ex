defmodule IncrementingCounter do
  @moduledoc "Adds 1 every second with Process.send_after to itself"

  use GenServer

  @every 1000

  @impl true
  def init(_opts) do
    tick_later()
    {:ok, 0}
  end

  @impl true
  def handle_info(:increment, count) do
    tick_later()
    {:noreply, count + 1}
  end

  defp tick_later do
    Process.send_after(self(), :increment, @every)
  end
end
