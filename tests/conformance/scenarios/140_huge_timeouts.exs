# Timeouts too large for the BEAM's timers are refused, never taken as "at once":
# receive/after, Process.sleep and GenServer.call past 2^32 - 1 ms raise :timeout_value;
# Process.send_after past the clock's range raises ArgumentError. The largest allowed
# timeout of a receive waits (a message comes first).
attempt = fn label, f ->
  result =
    try do
      f.()
    rescue
      e -> {:raised, e}
    catch
      kind, reason -> {kind, reason}
    end

  IO.inspect(result, label: label)
end

attempt.("receive after 10_000_000_000_000", fn ->
  receive do
    :never -> :got
  after
    10_000_000_000_000 -> :timed_out
  end
end)

attempt.("receive after 2^32", fn ->
  receive do
    :never -> :got
  after
    4_294_967_296 -> :timed_out
  end
end)

send(self(), :first)

attempt.("receive after 2^32 - 1", fn ->
  receive do
    :first -> :got
  after
    4_294_967_295 -> :timed_out
  end
end)

attempt.("Process.sleep(max)", fn -> Process.sleep(9_223_372_036_854_775_807) end)
attempt.("send_after(max)", fn -> Process.send_after(self(), :x, 9_223_372_036_854_775_807) end)
attempt.("send_after(10^13)", fn -> Process.send_after(self(), :x, 10_000_000_000_000) end)

timer = Process.send_after(self(), :later, 4_294_967_296)
IO.inspect(is_integer(Process.cancel_timer(timer)), label: "send_after(2^32) is pending")

{:ok, agent} = Agent.start(fn -> 1 end)
attempt.("GenServer.call(10^13)", fn -> GenServer.call(agent, {:get, & &1}, 10_000_000_000_000) end)
attempt.("GenServer.call(max)", fn -> GenServer.call(agent, {:get, & &1}, 9_223_372_036_854_775_807) end)
IO.inspect(GenServer.call(agent, {:get, & &1}, 4_294_967_295), label: "GenServer.call(2^32 - 1)")

# (A call refused for its timeout still sent its request on the BEAM, so its reply may come
# late; only the timers are looked for.)
receive do
  msg when msg in [:x, :later] -> IO.inspect(msg, label: "a timer fired")
after
  100 -> IO.puts("no timer fired")
end
