# Task.await's timeout: the caller exits with {:timeout, {Task, :await, [task, ms]}}; the
# task goes on running, but neither its late reply nor its :DOWN reaches the caller.
t = Task.async(fn -> Process.sleep(200); :late end)
try do
  Task.await(t, 50)
catch
  :exit, reason -> IO.inspect(reason, label: "caught")
end
IO.inspect(Process.alive?(t.pid), label: "task still running")
Process.sleep(300)
IO.inspect(Process.alive?(t.pid), label: "task done")
IO.inspect(Process.info(self(), :message_queue_len))
receive do
  m -> IO.inspect(m, label: "leftover")
after
  0 -> IO.puts("no leftover message")
end

# A reply that is already in the mailbox is simply taken.
quick = Task.async(fn -> :quick end)
Process.sleep(100)
IO.inspect(Process.info(self(), :message_queue_len), label: "before await")
IO.inspect(Task.await(quick, 0))
Process.sleep(50)
IO.inspect(Process.info(self(), :message_queue_len), label: "after await")

# Several tasks, one too slow: the others still answer, nothing stays behind.
tasks = for ms <- [10, 400, 20], do: Task.async(fn -> Process.sleep(ms); ms end)
results =
  for task <- tasks do
    try do
      {:ok, Task.await(task, 150)}
    catch
      :exit, {:timeout, {Task, :await, [_, 150]}} -> :timeout
    end
  end
IO.inspect(results)
Process.sleep(400)
IO.inspect(Process.info(self(), :message_queue_len), label: "after the slow one finished")
send(self(), :mine)
receive do
  m -> IO.inspect(m, label: "first message now")
end
