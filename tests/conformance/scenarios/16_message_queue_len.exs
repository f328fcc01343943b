# Process.info(pid, :message_queue_len), including a suspended server.
IO.inspect(Process.info(self(), :message_queue_len))
send(self(), :a)
send(self(), :b)
IO.inspect(Process.info(self(), :message_queue_len))
receive do
  :a -> :ok
end
IO.inspect(Process.info(self(), :message_queue_len))
{:ok, pid} = GenServer.start_link(Journal, [])
:sys.suspend(pid)
GenServer.cast(pid, {:add_entry, "one"})
GenServer.cast(pid, {:add_entry, "two"})
send(pid, :stray)
IO.inspect(Process.info(pid, :message_queue_len))
IO.inspect(:sys.get_state(pid))
:sys.resume(pid)
IO.inspect(:sys.get_state(pid))
IO.inspect(Process.info(pid, :message_queue_len))
