# Title: The misbehaving self-call
# Summary: A server that calls itself from inside a callback would wait for an answer only it can give; OTP stops that at once with a calling_self exit, which ends the server and the call.
#
# Each run starts a new SelfCaller, with GenServer.start (not start_link): when it dies,
# the shell, which is not linked to it, lives on.

defmodule SelfCaller do
  use GenServer

  @impl true
  def init(state), do: {:ok, state}

  @impl true
  def handle_call(:hello, _from, state), do: {:reply, :hello_back, state}

  # The mistake: while a callback runs the server is busy, so it cannot answer its own
  # call. A server that needs to tell itself something sends a message instead
  # (send/2 or Process.send_after/3, handled by handle_info/2).
  def handle_call(:ask_myself, _from, state) do
    IO.puts("SelfCaller: asking myself for :hello")
    answer = GenServer.call(self(), :hello)
    {:reply, answer, state}
  end
end

{:ok, pid} = GenServer.start(SelfCaller, nil)

# A request the server answers normally.
GenServer.call(pid, :hello)

# This one makes the handler call its own process: the server exits with calling_self,
# and so does our call. Catching the exit keeps the shell alive to show it.
try do
  GenServer.call(pid, :ask_myself)
catch
  :exit, reason -> {:caught_exit, reason}
end
