# Registered names: send by name, whereis, unregister, re-registering a freed name, a name
# freed when its process ends, and the errors around them.
parent = self()
p = spawn(fn -> receive do {:ping, from} -> send(from, :pong) end end)
true = Process.register(p, :pinger)
send(:pinger, {:ping, parent})
receive do :pong -> IO.puts("pong by name") end
Process.sleep(50)
IO.inspect(Process.whereis(:pinger))
q = spawn(fn -> receive do :stop -> :ok end end)
IO.inspect(Process.register(q, :pinger))
IO.inspect(Process.whereis(:pinger) == q)
IO.inspect(Process.unregister(:pinger))
IO.inspect(Process.whereis(:pinger))
IO.inspect(Process.register(q, :second_name))
try do Process.register(q, :third_name) rescue e -> IO.puts(Exception.message(e) |> String.replace(inspect(q), "PID")) end
try do send(:pinger, :hello) rescue e -> IO.inspect(e) end
try do send(:pinger, :hello) catch k, r -> IO.inspect({k, r}) end
send(q, :stop)
Process.sleep(50)
IO.inspect(Process.whereis(:second_name))
Process.register(self(), :me)
send(:me, :to_myself)
receive do m -> IO.inspect(m) end
Process.register(self(), :me_again)
