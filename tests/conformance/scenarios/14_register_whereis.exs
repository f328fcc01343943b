# Process.register/2, Process.whereis/1, sending by registered name.
IO.inspect(Process.whereis(:greeter))
pid =
  spawn(fn ->
    receive do
      {:greet, from, name} -> send(from, "Hello, #{name}")
    end
  end)
IO.inspect(Process.register(pid, :greeter))
IO.inspect(Process.whereis(:greeter) == pid)
send(:greeter, {:greet, self(), "Curly"})
receive do
  reply -> IO.puts(reply)
end
Process.sleep(100)
IO.inspect(Process.whereis(:greeter))
Process.register(self(), :main_script)
send(:main_script, :to_myself)
receive do
  m -> IO.inspect(m)
end
IO.inspect(Process.whereis(:main_script) == self())
