# spawn/1, send/2, replies to self(), Process.alive?/1.
pid =
  spawn(fn ->
    receive do
      :message -> IO.puts("I received a message")
    end
  end)
send(pid, :message)
Process.sleep(100)
IO.inspect(Process.alive?(pid))
parent = self()
echo =
  spawn(fn ->
    receive do
      {from, text} -> send(from, {:echo, String.upcase(text)})
    end
  end)
send(echo, {parent, "hello"})
receive do
  {:echo, text} -> IO.puts("echoed: #{text}")
end
workers =
  Enum.map(1..3, fn n ->
    spawn(fn -> send(parent, {:done, n, n * n}) end)
  end)
IO.inspect(length(workers))
results =
  Enum.map(1..3, fn n ->
    receive do
      {:done, ^n, sq} -> sq
    end
  end)
IO.inspect(results)
waiter = spawn(fn -> Process.sleep(300) end)
IO.inspect(Process.alive?(waiter))
Process.sleep(400)
IO.inspect(Process.alive?(waiter))
IO.inspect(is_pid(self()))
