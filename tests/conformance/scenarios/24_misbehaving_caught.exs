# calling_self: the inner call fails, the server dies, the outer call fails.
{:ok, pid} = GenServer.start(MisbehavingGenServer, [])
IO.inspect(GenServer.call(pid, :talking_to_myself))
try do
  GenServer.call(pid, :message)
catch
  :exit, reason ->
    IO.puts("caught: " <> inspect(reason))
    {{inner, _}, {GenServer, :call, [^pid, :message, 5000]}} = reason
    IO.inspect(inner)
end
Process.sleep(100)
IO.inspect(Process.alive?(pid))
