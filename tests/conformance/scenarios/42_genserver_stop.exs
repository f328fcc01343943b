# GenServer.stop/1,2 and what remains afterwards.
{:ok, pid} = GenServer.start_link(Journal, [], name: :journal)
IO.inspect(GenServer.stop(pid))
IO.inspect(Process.alive?(pid))
IO.inspect(Process.whereis(:journal))
{:ok, pid2} = GenServer.start(Counter, 0)
IO.inspect(GenServer.stop(pid2, :normal))
{:ok, pid3} = GenServer.start(Receiver, [])
IO.inspect(GenServer.stop(pid3, :custom_reason))
IO.inspect(Process.alive?(pid3))
try do
  GenServer.call(pid3, :anything)
catch
  :exit, {reason, _} -> IO.inspect(reason, label: "call after stop")
end
{:ok, _} = GenServer.start_link(Journal, [], name: :journal)
IO.inspect(is_pid(Process.whereis(:journal)))
