# Title: Fire and forget vs a slow call
# Summary: Three casts to Counter return in microseconds although each increment takes a second; a call to SlowServer keeps the shell blocked for a whole second.

# Counter may have counted already (from the buttons or an earlier run): note where it starts.
before = GenServer.call(Counter, :get_count)

# Every cast returns :ok at once; Counter then works through them, one per second.
GenServer.cast(Counter, :increment)
GenServer.cast(Counter, :increment)
GenServer.cast(Counter, :increment)
IO.puts("three casts sent and returned; Counter's mailbox drains one a second")

# A call waits for the reply: the shell's card shows it blocked on SlowServer.
GenServer.call(SlowServer, :sleep)

# This call queues behind the increments still waiting, so it finds 3 more than before.
GenServer.call(Counter, :get_count) - before
