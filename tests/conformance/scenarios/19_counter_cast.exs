# Seed lesson: casts return at once while the server works.
{:ok, pid} = GenServer.start_link(Counter, 0)
IO.inspect(GenServer.cast(pid, :increment))
GenServer.cast(pid, :increment)
IO.puts("not blocked!")
IO.inspect(:sys.get_state(pid), label: "state once both casts are handled")
IO.inspect(GenServer.call(pid, :get_count))
