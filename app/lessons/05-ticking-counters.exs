# Title: Servers that tick by themselves
# Summary: A server schedules its own next message with Process.send_after/3 and handles it in handle_info/2: Metronome beats once a second, Countdown every half second, and each stops when done.
#
# Starts from a clean slate: a Metronome or a Countdown an earlier run left is stopped first.

defmodule Metronome do
  use GenServer

  # Beats once a second, `last` times, then stops by itself.
  @impl true
  def init(last) do
    schedule()
    {:ok, %{beat: 0, last: last}}
  end

  @impl true
  def handle_info(:beat, %{beat: beat, last: last} = state) do
    IO.puts("Metronome: beat #{beat + 1}")

    if beat + 1 < last do
      schedule()
      {:noreply, %{state | beat: beat + 1}}
    else
      {:stop, :normal, %{state | beat: beat + 1}}
    end
  end

  # A timer message, not a call: the server never waits on itself.
  defp schedule, do: Process.send_after(self(), :beat, 1000)
end

defmodule Countdown do
  use GenServer

  # Counts down from `from` every 500 ms and stops at zero.
  @impl true
  def init(from) do
    Process.send_after(self(), :tick, 500)
    {:ok, from}
  end

  @impl true
  def handle_info(:tick, 1) do
    IO.puts("Countdown: liftoff")
    {:stop, :normal, 0}
  end

  def handle_info(:tick, left) do
    Process.send_after(self(), :tick, 500)
    {:noreply, left - 1}
  end
end

for name <- [Metronome, Countdown] do
  case Process.whereis(name) do
    nil -> :ok
    earlier -> GenServer.stop(earlier)
  end
end

{:ok, _} = GenServer.start(Metronome, 5, name: Metronome)
{:ok, _} = GenServer.start(Countdown, 8, name: Countdown)

# Both tick on their own while the shell sleeps: two beats, four ticks.
Process.sleep(2200)
{:sys.get_state(Metronome), :sys.get_state(Countdown)}
