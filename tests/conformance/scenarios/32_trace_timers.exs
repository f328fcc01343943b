# Tracing servers that schedule their own messages with Process.send_after.
# Timeline (ms): decrement at 500, 1000, 1500; increment at 250 + 1000.
{:ok, dec} = GenServer.start_link(DecrementingCounter, [], name: :down)
:sys.trace(dec, true)
Process.sleep(250)
{:ok, inc} = GenServer.start_link(IncrementingCounter, [])
:sys.trace(inc, true)
Process.sleep(1125)
:sys.trace(inc, false)
:sys.trace(dec, false)
IO.puts("tracing off")
Process.sleep(300)
IO.inspect({:sys.get_state(inc), :sys.get_state(:down)})
