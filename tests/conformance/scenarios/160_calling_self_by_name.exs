# calling_self through a registered name: a call to a name that resolves to the caller
# exits with {:calling_self, {GenServer, :call, [name, request, timeout]}} (the name, not
# the pid), from the script and from a server calling its own name; then uncaught.
defmodule SelfByName do
  use GenServer

  def init(state), do: {:ok, state}

  def handle_call(:ask_myself, _from, state) do
    reply =
      try do
        GenServer.call(:self_by_name, :ping, 1000)
      catch
        :exit, reason -> {:caught, reason}
      end

    {:reply, reply, state}
  end

  def handle_call(:ping, _from, state), do: {:reply, :pong, state}
end

Process.register(self(), :me)

try do
  GenServer.call(:me, :hello)
catch
  :exit, reason -> IO.inspect(reason, label: "script")
end

try do
  GenServer.call(:me, :hello, 250)
catch
  :exit, reason -> IO.inspect(reason, label: "with a timeout")
end

IO.inspect(Process.info(self(), :message_queue_len), label: "left in the mailbox")

{:ok, pid} = GenServer.start(SelfByName, 0, name: :self_by_name)
IO.inspect(GenServer.call(pid, :ask_myself), label: "server")
IO.inspect(Process.alive?(pid), label: "server alive")
IO.inspect(GenServer.call(:self_by_name, :ping), label: "ping")

IO.puts("calling :me uncaught")
GenServer.call(:me, :again)
IO.puts("never printed")
