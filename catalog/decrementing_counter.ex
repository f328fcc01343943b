defmodule DecrementingCounter do
  @moduledoc "Subtracts 1 every 500 ms with Process.send_after to itself"

  use GenServer

  @every 500

  @impl true
  def init(_opts) do
    tick_later()
    {:ok, 0}
  end

  @impl true
  def handle_info(:decrement, count) do
    tick_later()
    {:noreply, count - 1}
  end

  defp tick_later do
    Process.send_after(self(), :decrement, @every)
  end
end
