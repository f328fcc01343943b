# Uncaught: a pending call fails because the (unlinked) server was killed.
{:ok, pid} = GenServer.start(SlowServer, 0)
spawn(fn ->
  Process.sleep(100)
  Process.exit(pid, :boom)
end)
IO.puts("calling")
GenServer.call(pid, {:sleep, 500})
IO.puts("never printed")
