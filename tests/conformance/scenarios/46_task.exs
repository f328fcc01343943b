# Task.async/1 and Task.await/1,2, including an await that times out.
task = Task.async(fn -> 6 * 7 end)
IO.inspect(Task.await(task))
tasks =
  Enum.map(1..3, fn n ->
    Task.async(fn ->
      Process.sleep(100 * (4 - n))
      n * 10
    end)
  end)
IO.inspect(Enum.map(tasks, fn t -> Task.await(t) end))
slow =
  Task.async(fn ->
    Process.sleep(200)
    :slow_result
  end)
IO.inspect(Task.await(slow, 1000))
late =
  Task.async(fn ->
    Process.sleep(500)
    :too_late
  end)
try do
  Task.await(late, 100)
catch
  :exit, {reason, {Task, :await, [_, timeout]}} -> IO.inspect({reason, timeout})
end
IO.puts("done")
