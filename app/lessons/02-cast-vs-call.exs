# Title: Fire and forget vs a slow call
# Summary: Three casts to a busy server return in microseconds although each takes a second of work; a slow call keeps the caller blocked until its answer comes.
#
# Starts from a clean slate: a Tally or a Snail an earlier run left is stopped first, so
# the count starts at 0 every time.

defmodule Tally do
  use GenServer

  @impl true
  def init(count), do: {:ok, count}

  # Each :bump takes a second of work: the mailbox fills faster than it drains.
  @impl true
  def handle_cast(:bump, count) do
    Process.sleep(1000)
    IO.puts("Tally is at #{count + 1}")
    {:noreply, count + 1}
  end

  @impl true
  def handle_call(:count, _from, count), do: {:reply, count, count}
end

defmodule Snail do
  use GenServer

  @impl true
  def init(state), do: {:ok, state}

  # A call that takes a second to answer: whoever calls is blocked all that time.
  @impl true
  def handle_call(:crawl, _from, state) do
    Process.sleep(1000)
    {:reply, :arrived, state}
  end
end

for name <- [Tally, Snail] do
  case Process.whereis(name) do
    nil -> :ok
    earlier -> GenServer.stop(earlier)
  end
end

{:ok, _} = GenServer.start_link(Tally, 0, name: Tally)
{:ok, _} = GenServer.start_link(Snail, nil, name: Snail)

# Every cast returns :ok at once; Tally then works through them, one a second.
GenServer.cast(Tally, :bump)
GenServer.cast(Tally, :bump)
GenServer.cast(Tally, :bump)
IO.puts("three casts sent and returned")

# A call waits for its reply: the shell's card shows it blocked on Snail for a second.
GenServer.call(Snail, :crawl)

# This call queues behind the bumps still waiting in Tally's mailbox, so it answers 3.
GenServer.call(Tally, :count)
