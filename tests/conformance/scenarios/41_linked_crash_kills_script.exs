# A linked server exits abnormally: the exit signal kills the script.
{:ok, pid} = GenServer.start_link(Receiver, [])
send(pid, :message)
Process.sleep(100)
IO.puts("killing the linked server")
Process.exit(pid, :boom)
Process.sleep(100)
IO.puts("never printed")
