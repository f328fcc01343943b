defmodule Receiver do
  @moduledoc "Plain messages handled by handle_info"

  use GenServer
  require Logger

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  # Try: Process.send_after(pid, :message, 2000)
  @impl true
  def handle_info(:message, state) do
    IO.puts("Received a message!")
    {:noreply, state}
  end

  # Any other message is logged and the server goes on, as use GenServer's own handle_info/2
  # does; without this clause an unknown message would end the server with function_clause.
  def handle_info(other, state) do
    Logger.error(
      "#{inspect(__MODULE__)} #{inspect(me())} received unexpected message in handle_info/2: #{inspect(other)}"
    )

    {:noreply, state}
  end

  # The registered name, or the pid when there is none.
  defp me do
    case Process.info(self(), :registered_name) do
      {:registered_name, []} -> self()
      {:registered_name, name} -> name
    end
  end
end
