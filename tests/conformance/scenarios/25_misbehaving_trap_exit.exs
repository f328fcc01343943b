# A trapping caller sees the call fail first, then the link's EXIT message.
Process.flag(:trap_exit, true)
{:ok, pid} = GenServer.start_link(MisbehavingGenServer, [])
try do
  GenServer.call(pid, :message)
catch
  :exit, {reason, {GenServer, :call, [_, request, timeout]}} ->
    IO.inspect({request, timeout}, label: "call failed")
    IO.inspect(reason, label: "reason")
end
receive do
  {:EXIT, ^pid, reason} -> IO.inspect(reason, label: "EXIT")
after
  1000 -> IO.puts("no EXIT message")
end
