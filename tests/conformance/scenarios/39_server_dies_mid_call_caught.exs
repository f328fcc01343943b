# The server dies while a call is pending: the caller exits with its reason.
{:ok, pid} = GenServer.start(SlowServer, 0)
spawn(fn ->
  Process.sleep(100)
  Process.exit(pid, :boom)
end)
try do
  GenServer.call(pid, {:sleep, 500})
catch
  :exit, reason -> IO.puts("caught: " <> inspect(reason))
end
{:ok, pid2} = GenServer.start(SlowServer, 0)
spawn(fn ->
  Process.sleep(100)
  Process.exit(pid2, :kill)
end)
try do
  GenServer.call(pid2, :sleep)
catch
  :exit, {reason, _} -> IO.inspect(reason, label: "killed")
end
IO.inspect({Process.alive?(pid), Process.alive?(pid2)})
