# A caught call timeout: the server keeps running, the late reply is dropped.
# The server sleeps far longer than the timeout, so a loaded machine cannot reorder the lines.
{:ok, pid} = GenServer.start_link(SlowServer, 0)
try do
  GenServer.call(pid, {:sleep, 2000}, 100)
catch
  :exit, reason -> IO.puts("caught: " <> inspect(reason))
end
IO.puts("after the timeout")
Process.sleep(2600)
IO.inspect(Process.alive?(pid))
IO.inspect(Process.info(self(), :message_queue_len), label: "late reply discarded")
IO.inspect(GenServer.call(pid, {:sleep, 10}, 1000))
