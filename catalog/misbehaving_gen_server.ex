defmodule MisbehavingGenServer do
  @moduledoc "Calls itself from a handler and dies of calling_self"

  use GenServer

  @impl true
  def init(_opts) do
    {:ok, []}
  end

  # A server cannot wait for its own reply: GenServer.call exits with :calling_self,
  # so the second line is never printed and the server dies.
  @impl true
  def handle_call(:message, _from, state) do
    GenServer.call(self(), :talking_to_myself)
    IO.puts("Received a message!")
    {:reply, state, state}
  end

  def handle_call(:talking_to_myself, _from, state) do
    IO.puts("Sent a message to myself")
    {:reply, state, state}
  end
end
