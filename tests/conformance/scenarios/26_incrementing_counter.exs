# Seed lesson: a counter that increments itself every second.
{:ok, counter_pid} = GenServer.start_link(IncrementingCounter, [])
IO.inspect(:sys.get_state(counter_pid))
Process.sleep(1500)
IO.inspect(:sys.get_state(counter_pid))
Process.sleep(1000)
IO.inspect(:sys.get_state(counter_pid))
