# Seed lesson: a counter that decrements itself every 500 ms.
{:ok, counter_pid} = GenServer.start_link(DecrementingCounter, [])
IO.inspect(:sys.get_state(counter_pid))
Process.sleep(750)
IO.inspect(:sys.get_state(counter_pid))
Process.sleep(500)
IO.inspect(:sys.get_state(counter_pid))
Process.sleep(500)
IO.inspect(:sys.get_state(counter_pid))
