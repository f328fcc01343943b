# Uncaught calling_self from an unlinked server: the nested exit report.
{:ok, pid} = GenServer.start(MisbehavingGenServer, [])
IO.puts("calling")
GenServer.call(pid, :message)
IO.puts("never printed")
