# :sys.get_status of a traced, an untraced, a suspended and a traced-and-suspended server:
# the debug list (4th element) shows [trace: true] while tracing is on.
strip = fn {:status, pid, mod, [_pdict, status, parent, debug, misc]} ->
  {:status, pid, mod, [status, parent, debug, misc]}
end
{:ok, j} = GenServer.start(Journal, [])
:sys.trace(j, true)
IO.inspect(strip.(:sys.get_status(j)))
:sys.trace(j, false)
IO.inspect(strip.(:sys.get_status(j)))
:sys.suspend(j)
{:status, _, _, [_, status, _, debug, _]} = :sys.get_status(j)
IO.inspect({status, debug})
:sys.trace(j, true)
{:status, _, _, [_, status, _, debug, misc]} = :sys.get_status(j)
IO.inspect({status, debug})
IO.inspect(misc)
:sys.resume(j)
{:status, _, _, [_, status, _, debug, _]} = :sys.get_status(j)
IO.inspect({status, debug})
:sys.trace(j, false)
{:ok, c} = GenServer.start_link(Counter, 7, name: :traced_counter)
:sys.trace(c, true)
{:status, ^c, {:module, :gen_server}, [_, :running, parent, debug, misc]} = :sys.get_status(:traced_counter)
IO.inspect({parent == self(), debug})
IO.inspect(misc)
:sys.trace(c, false)
IO.inspect(elem(:sys.get_status(c), 3) |> Enum.at(3))
