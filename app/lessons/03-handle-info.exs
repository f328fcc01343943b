# Title: handle_info, send and send_after
# Summary: Plain messages reach handle_info/2: sent at once with send/2, or later by a timer set with Process.send_after/3, whose countdown shows on the target's card.
#
# Starts from a clean slate: a Doorbell an earlier run left is stopped first.

defmodule Doorbell do
  use GenServer

  @impl true
  def init(rings), do: {:ok, rings}

  # Messages that are neither calls nor casts arrive here: from send/2, or from a timer.
  @impl true
  def handle_info(:ring, rings) do
    IO.puts("Doorbell: ding dong (ring #{rings + 1})")
    {:noreply, rings + 1}
  end

  # Anything else is looked at and left alone. Without this clause an unknown message
  # would match no clause of handle_info/2 and take the server down.
  def handle_info(other, rings) do
    IO.puts("Doorbell: ignoring " <> inspect(other))
    {:noreply, rings}
  end
end

case Process.whereis(Doorbell) do
  nil -> :ok
  earlier -> GenServer.stop(earlier)
end

{:ok, _} = GenServer.start_link(Doorbell, 0, name: Doorbell)

# A plain message, handled at once.
send(Doorbell, :ring)

# The same message from a timer in two seconds: watch Doorbell's card count down.
Process.send_after(Doorbell, :ring, 2000)

# A message Doorbell has no special clause for.
send(Doorbell, {:knock, 3})

# Wait for the timer, then ask for the state: two rings.
Process.sleep(2500)
:sys.get_state(Doorbell)
