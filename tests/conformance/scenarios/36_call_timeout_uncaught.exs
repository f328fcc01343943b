# A call that times out ends the script with an uncaught exit.
{:ok, pid} = GenServer.start_link(SlowServer, 0)
IO.puts("calling with a 100 ms timeout")
GenServer.call(pid, {:sleep, 500}, 100)
IO.puts("never printed")
