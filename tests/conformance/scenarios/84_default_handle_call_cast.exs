# #19 item 4: use GenServer's default handle_call and handle_cast raise a
# RuntimeError naming the server (its pid, or its registered name).
defmodule CastOnly do
  use GenServer
  def init(x), do: {:ok, x}
  def handle_cast(:noop, s), do: {:noreply, s}
end

defmodule CallOnly do
  use GenServer
  def init(x), do: {:ok, x}
  def handle_call(:get, _from, s), do: {:reply, s, s}
end

{:ok, a} = GenServer.start(CastOnly, 1)
try do
  GenServer.call(a, :get)
catch
  :exit, {{%RuntimeError{message: message}, _stack}, {GenServer, :call, _}} ->
    IO.puts(String.replace(message, inspect(a), "PID"))
end
IO.inspect(Process.alive?(a))

{:ok, b} = GenServer.start(CastOnly, 1, name: :cast_only)
try do
  GenServer.call(:cast_only, :get)
catch
  :exit, {{%RuntimeError{message: message}, _}, _} -> IO.puts(message)
end

{:ok, c} = GenServer.start(CallOnly, 2, name: CallOnly)
_ref = Process.monitor(c)
GenServer.cast(CallOnly, :bump)
receive do
  {:DOWN, _ref, :process, _, {%RuntimeError{message: message}, _}} -> IO.puts(message)
after
  1000 -> IO.puts("no crash")
end
IO.inspect({Process.alive?(b), Process.alive?(c)})
