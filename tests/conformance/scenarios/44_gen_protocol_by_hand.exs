# A plain process answering GenServer.call/cast by hand, with GenServer.reply/2.
server =
  spawn(fn ->
    receive do
      {:"$gen_call", from, {:double, n}} -> GenServer.reply(from, n * 2)
    end
    receive do
      {:"$gen_cast", msg} -> IO.inspect(msg, label: "cast arrived")
    end
    receive do
      {:"$gen_call", from, :ping} ->
        IO.inspect(GenServer.reply(from, :pong), label: "reply returns")
    end
  end)
IO.inspect(GenServer.call(server, {:double, 21}))
IO.inspect(GenServer.cast(server, {:note, "hello"}))
Process.sleep(100)
IO.inspect(GenServer.call(server, :ping, 1000))
Process.sleep(100)
IO.inspect(Process.alive?(server))
