# The shape of :sys.get_status/1, taken apart and printed.
# (The process-dictionary part lists "$initial_call" and "$ancestors" in
# hash order, which real OTP does not keep stable between runs, so the
# scenario puts them in their usual order before printing the whole.)
{:ok, pid} = GenServer.start_link(Counter, 0)
{:status, ^pid, {:module, module}, [pdict, status, parent, debug, misc]} =
  :sys.get_status(pid)
pdict_in_order =
  (for {k, v} <- pdict, k == :"$initial_call", do: {k, v}) ++
    (for {k, v} <- pdict, k == :"$ancestors", do: {k, v})
IO.inspect({:status, pid, {:module, module}, [pdict_in_order, status, parent, debug, misc]})
IO.inspect(length(pdict))
IO.inspect(module)
IO.inspect(status)
IO.inspect(parent == self())
IO.inspect(debug)
IO.inspect(pdict_in_order)
[header: header, data: sys_data, data: [{'State', state}]] = misc
IO.inspect(header)
IO.inspect(sys_data)
IO.inspect(state)
:sys.suspend(pid)
{:status, _, _, [_, suspended, _, _, _]} = :sys.get_status(pid)
IO.inspect(suspended)
:sys.resume(pid)
{:ok, pledge} = PledgeServer.start()
{:status, _, _, [_, _, pledge_parent, _, pledge_misc]} = :sys.get_status(:pledge_server)
IO.inspect(pledge_parent == pledge, label: "an unlinked server is its own parent")
IO.inspect(pledge_misc)
