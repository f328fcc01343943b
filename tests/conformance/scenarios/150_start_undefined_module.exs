# GenServer.start and start_link of a module that does not exist: the new server's init/1 is
# undefined, so the server ends; the caller gets {:error, {:undef, stacktrace}} and, when
# linked, the exit signal, which takes it down unless it traps exits.
{:error, reason} = GenServer.start(NoSuchModule, 0)
IO.inspect(reason)
{:undef, [{mod, fun, args, location} | _]} = reason
IO.inspect({mod, fun, args, location})
IO.puts(Exception.format_exit(reason))
IO.inspect(GenServer.start(NoSuchModule, [1, 2], name: :no_such))
IO.inspect(Process.whereis(:no_such))

Process.flag(:trap_exit, true)
{:error, linked} = GenServer.start_link(NoSuchModule, :arg)
receive do
  {:EXIT, _pid, ^linked} -> IO.puts("EXIT with the reason start_link returned")
after
  1000 -> IO.puts("no EXIT")
end
{:undef, [{_, _, [:arg], _} | _]} = linked

Process.flag(:trap_exit, false)
IO.puts("linked, not trapping exits")
GenServer.start_link(NoSuchModule, 0)
receive do
  message -> IO.inspect(message, label: "not reached")
after
  2000 -> IO.puts("not reached either")
end
