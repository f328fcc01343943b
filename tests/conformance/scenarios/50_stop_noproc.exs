# GenServer.stop/1 of a dead pid (caught) and of a missing name (uncaught).
{:ok, pid} = GenServer.start(Journal, [])
IO.inspect(GenServer.stop(pid))
try do
  GenServer.stop(pid)
catch
  :exit, reason -> IO.inspect(reason, label: "stop again")
end
IO.inspect(is_reference(Process.send_after(:nobody, :x, 10)), label: "send_after to a missing name")
IO.puts("stopping a name nobody has")
GenServer.stop(:nobody_there)
