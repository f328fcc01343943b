defmodule Counter do
  @moduledoc "Casts that take a second each queue up; get_count answers at once"

  use GenServer

  @impl true
  def init(_opts) do
    {:ok, 0}
  end

  @impl true
  def handle_call(:get_count, _from, count) do
    {:reply, count, count}
  end

  # A second of work per increment, so quick casts queue in the mailbox.
  @impl true
  def handle_cast(:increment, count) do
    Process.sleep(1000)
    IO.puts("count: #{count + 1}")
    {:noreply, count + 1}
  end
end
