# Calling a name nobody registered: caught, then uncaught.
try do
  GenServer.call(:pledge_server, :recent_pledges)
catch
  :exit, reason -> IO.inspect(reason, label: "caught")
end
try do
  PledgeServer.total_pledged()
catch
  :exit, {:noproc, _} -> IO.puts("noproc again")
end
IO.inspect(GenServer.cast(:pledge_server, :clear), label: "cast to nobody")
IO.puts("now uncaught")
GenServer.call(:pledge_server, :recent_pledges)
