# Process.send/3, Process.send_after/3, Process.cancel_timer/1.
IO.inspect(Process.send(self(), :message, []))
receive do
  :message -> IO.puts("I received a message")
end
ref = Process.send_after(self(), :later, 200)
IO.inspect(is_reference(ref))
receive do
  :later -> IO.puts("I received a message after 200 ms")
end
t1 = Process.send_after(self(), :first, 300)
t2 = Process.send_after(self(), :second, 100)
receive do
  m -> IO.inspect(m, label: "earliest")
end
receive do
  m -> IO.inspect(m, label: "then")
end
IO.inspect(Process.cancel_timer(t2))
IO.inspect(Process.cancel_timer(t1))
cancel_me = Process.send_after(self(), :cancelled, 1000)
left = Process.cancel_timer(cancel_me)
IO.inspect(is_integer(left) and left > 500 and left <= 1000)
IO.inspect(Process.cancel_timer(cancel_me))
receive do
  :cancelled -> IO.puts("should not arrive")
after
  200 -> IO.puts("cancelled timer never fired")
end
IO.inspect(send(self(), :send_returns_message))
