defmodule Journal do
  @moduledoc "Entries added by cast, checked with :sys.get_state"

  use GenServer

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  # Newest entry first; nothing reads them back but :sys.get_state.
  # Try: GenServer.cast(pid, {:add_entry, "entry"})
  @impl true
  def handle_cast({:add_entry, entry}, entries) do
    {:noreply, [entry | entries]}
  end
end
