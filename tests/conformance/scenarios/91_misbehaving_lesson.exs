# The lesson's server that calls itself, in one's own words: a call from
# inside a callback to its own pid exits with :calling_self; caught here.
defmodule SelfCaller do
  use GenServer
  def init(_), do: {:ok, []}
  def handle_call(:hello, _from, s), do: {:reply, :hi, s}
  def handle_call(:loop, _from, s) do
    answer = GenServer.call(self(), :hello)
    {:reply, answer, s}
  end
end

{:ok, pid} = GenServer.start(SelfCaller, [])
IO.inspect(GenServer.call(pid, :hello))
try do
  GenServer.call(pid, :loop)
catch
  :exit, reason -> IO.inspect(elem(reason, 0) |> elem(0))
end
Process.sleep(50)
IO.inspect(Process.alive?(pid))
