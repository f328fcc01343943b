# Seed lesson: a synchronous call blocks the caller until the reply.
{:ok, pid} = GenServer.start_link(SlowServer, 0)
IO.puts("Caller starting")
response = GenServer.call(pid, :sleep)
IO.puts("Caller received: #{response}")
response = GenServer.call(pid, {:sleep, 200})
IO.puts("Caller received: #{response}")
