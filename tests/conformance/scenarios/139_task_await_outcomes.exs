# Task.await outcomes beside a timeout: values of every type, a reply waiting before
# await, tasks awaited in reverse order, and a crashing task while trapping exits.
tasks = for v <- [1, :a, "s", {1, 2}, [3], %{k: 1}, nil], do: Task.async(fn -> v end)
IO.inspect(Enum.map(tasks, &Task.await/1))
slow = Task.async(fn -> Process.sleep(200); :slow end)
fast = Task.async(fn -> :fast end)
IO.inspect({Task.await(slow), Task.await(fast)})
IO.inspect(Process.info(self(), :message_queue_len))
Process.flag(:trap_exit, true)
bad = Task.async(fn -> exit(:boom) end)
r =
  try do
    Task.await(bad)
  catch
    :exit, {reason, _} -> reason
  end
IO.inspect(r)
receive do {:EXIT, pid, reason} -> IO.inspect({pid == bad.pid, reason}) end
IO.inspect(Process.info(self(), :message_queue_len))
t = Task.async(fn -> Process.sleep(300); :late end)
r =
  try do
    Task.await(t, 100)
  catch
    :exit, {reason, _} -> reason
  end
IO.inspect(r)
receive do {:EXIT, _, reason} -> IO.inspect(reason, label: "the late task ends") end
IO.inspect(Process.info(self(), :message_queue_len))
