# Seed lesson: a linked GenServer that calls itself crashes and takes the
# script down with it (the link's exit signal wins over the call's failure).
{:ok, pid} = GenServer.start_link(MisbehavingGenServer, [])
IO.puts("calling")
GenServer.call(pid, :message)
IO.puts("never printed")
