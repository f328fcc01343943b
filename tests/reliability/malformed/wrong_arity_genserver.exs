GenServer.call()
IO.puts("after")
