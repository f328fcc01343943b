# Seed lesson: plain messages reach handle_info/2 via send, Process.send
# and Process.send_after; an unexpected message is only logged.
{:ok, pid} = GenServer.start_link(Receiver, [])
send(pid, :message)
Process.send(pid, :message, [])
Process.send_after(pid, :message, 100)
Process.sleep(200)
IO.puts("sending an unexpected message")
send(pid, {:unexpected, 1})
Process.sleep(100)
IO.inspect(Process.alive?(pid))
send(pid, :message)
IO.inspect(:sys.get_state(pid))
