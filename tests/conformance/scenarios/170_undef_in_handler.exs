# #19 item 5: a call to an undefined function inside a GenServer's handler leaves
# the server with OTP's raw {:undef, stacktrace} reason (as any error an :erlang
# BIF or the code server raises), not an %UndefinedFunctionError{} struct; the
# caller's exit carries it, and rescue in the handler still sees the exception.
defmodule Caller do
  use GenServer
  def init(_), do: {:ok, nil}
  def handle_call(:remote, _, s), do: {:reply, :nope.foo(), s}
  def handle_call(:elixir_module, _, s), do: {:reply, NoSuchModule.bar(1), s}
  def handle_call(:known_module, _, s), do: {:reply, Enum.nope(), s}
  def handle_call(:own_module, _, s), do: {:reply, Caller.missing(1, 2), s}
  def handle_call(:rescued, _, s) do
    try do
      :nope.foo()
    rescue
      e in UndefinedFunctionError -> {:reply, {:rescued, e.module, e.function, e.arity}, s}
    end
  end
  def handle_call(:caught, _, s) do
    try do
      :nope.foo()
    catch
      kind, reason -> {:reply, {kind, reason}, s}
    end
  end
  def handle_cast(:remote, s) do
    :nope.foo()
    {:noreply, s}
  end
end

for request <- [:remote, :elixir_module, :known_module, :own_module, :rescued, :caught] do
  {:ok, pid} = GenServer.start(Caller, [])
  result =
    try do
      {:ok, GenServer.call(pid, request)}
    catch
      :exit, {{:undef, [{m, f, args, _} | _]}, {GenServer, :call, _}} -> {:undef, m, f, args}
      :exit, {{%UndefinedFunctionError{} = e, _}, _} -> {:struct, e.module, e.function}
      :exit, reason -> {:other, reason}
    end
  IO.inspect({request, result})
end

{:ok, pid} = GenServer.start(Caller, [])
ref = Process.monitor(pid)
GenServer.cast(pid, :remote)
receive do
  {:DOWN, ^ref, :process, _, reason} ->
    case reason do
      {:undef, [{m, f, args, _} | _]} -> IO.inspect({:cast_down, m, f, args})
      other -> IO.inspect({:cast_down_other, other})
    end
end
