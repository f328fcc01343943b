# Several client processes calling one named server; mailbox order per sender.
{:ok, _} = PledgeServer.start_link()
parent = self()
Enum.each([{"ann", 1}, {"bob", 2}], fn {name, amount} ->
  spawn_link(fn ->
    PledgeServer.create_pledge(name, amount)
    send(parent, {:done, name})
  end)
  receive do
    {:done, ^name} -> IO.puts("#{name} pledged")
  end
end)
IO.inspect(PledgeServer.recent_pledges())
me = self()
pid = spawn(fn -> Enum.each(1..5, fn n -> send(me, n) end) end)
IO.inspect(is_pid(pid))
received = Enum.map(1..5, fn _ -> receive do n -> n end end)
IO.inspect(received)
