# The far node of tst_beam's cluster test: a named GenServer that a process on another node
# calls. Run as `elixir --sname NAME --cookie C node_far.exs`; it runs until it is stopped.
Logger.configure_backend(:console, device: :standard_error)

defmodule Far do
  use GenServer

  @impl true
  def init(n), do: {:ok, n}

  @impl true
  def handle_call(:ping, _from, n), do: {:reply, :pong, n + 1}
end

{:ok, _} = GenServer.start(Far, 0, name: Far)
IO.puts("ready")
Process.sleep(:infinity)
