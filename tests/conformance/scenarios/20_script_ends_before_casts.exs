# The script ends while casts are still queued: the program just ends.
{:ok, pid} = GenServer.start_link(Counter, 0)
GenServer.cast(pid, :increment)
GenServer.cast(pid, :increment)
GenServer.cast(pid, :increment)
IO.puts("not blocked!")
