# A caught call timeout: the server keeps running, the late reply is dropped.
{:ok, pid} = GenServer.start_link(SlowServer, 0)
try do
  GenServer.call(pid, {:sleep, 400}, 100)
catch
  :exit, reason -> IO.puts("caught: " <> inspect(reason))
end
IO.puts("after the timeout")
Process.sleep(500)
IO.inspect(Process.alive?(pid))
IO.inspect(Process.info(self(), :message_queue_len), label: "late reply discarded")
IO.inspect(GenServer.call(pid, {:sleep, 10}, 1000))
