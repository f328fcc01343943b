# spawn_link/1, Process.flag(:trap_exit), Process.exit/2, :EXIT messages.
IO.inspect(Process.flag(:trap_exit, true))
normal = spawn_link(fn -> :ok end)
receive do
  {:EXIT, ^normal, reason} -> IO.inspect(reason, label: "normal child")
end
sleeper = spawn_link(fn -> Process.sleep(5000) end)
IO.inspect(Process.exit(sleeper, :kill))
receive do
  {:EXIT, ^sleeper, reason} -> IO.inspect(reason, label: "killed child")
end
custom = spawn_link(fn -> Process.sleep(5000) end)
Process.exit(custom, :shutdown_now)
receive do
  {:EXIT, ^custom, reason} -> IO.inspect(reason, label: "custom reason")
end
self_exit = spawn_link(fn -> Process.exit(self(), :bye) end)
receive do
  {:EXIT, ^self_exit, reason} -> IO.inspect(reason, label: "exited itself")
end
survivor = spawn(fn -> Process.sleep(300) end)
Process.exit(survivor, :normal)
Process.sleep(50)
IO.inspect(Process.alive?(survivor), label: "normal exit signal ignored")
{:ok, server} = GenServer.start_link(Journal, [])
GenServer.stop(server)
receive do
  {:EXIT, ^server, reason} -> IO.inspect(reason, label: "stopped server")
end
IO.inspect(Process.flag(:trap_exit, false))
