# The near node of tst_beam's cluster test: connected to the far node (node_far.exs) and to
# any number of others (NAME@HOST=COOKIE, connected with that cookie), it has a named
# GenServer that calls Far on the far node once both are watched, then reports what is left
# on both nodes once Mailroom has gone. Run as
# `elixir --sname NAME --cookie C node_near.exs FAR_NODE [NODE=COOKIE ...]`.
Logger.configure_backend(:console, device: :standard_error)

defmodule Near do
  use GenServer

  @impl true
  def init(far), do: {:ok, {far, nil}}

  @impl true
  def handle_cast(:go, {far, _}), do: {:noreply, {far, GenServer.call({Far, far}, :ping)}}

  @impl true
  def handle_call(:result, _from, {_, result} = state), do: {:reply, result, state}
end

[far | others] = System.argv() |> Enum.map(&String.split(&1, "="))
far = String.to_atom(hd(far))
true = Node.connect(far)
for [name, cookie] <- others do
  node = String.to_atom(name)
  Node.set_cookie(node, String.to_atom(cookie))
  true = Node.connect(node)
end
{:ok, near} = GenServer.start(Near, far, name: Near)
IO.puts("ready")

# Waits (boundedly, 60 s) until `done?` holds: Mailroom's tracer arrives, or leaves.
wait = fn wait, done?, tries ->
  cond do
    done?.() -> :ok
    tries == 0 -> raise "gave up waiting"
    true -> Process.sleep(20); wait.(wait, done?, tries - 1)
  end
end
far_pid = :rpc.call(far, Process, :whereis, [Far])
flags = fn node, pid -> :rpc.call(node, :erlang, :trace_info, [pid, :flags]) end
# Whether any of the tracer's modules (mailroom_*) is loaded on a node.
loaded? = fn node ->
  :rpc.call(node, :code, :all_loaded, [])
  |> Enum.any?(fn {m, _} -> String.starts_with?(Atom.to_string(m), "mailroom_") end)
end
wait.(wait, fn -> flags.(node(), near) != {:flags, []} and flags.(far, far_pid) != {:flags, []} end, 3000)
IO.puts("watched")

GenServer.cast(Near, :go)
:pong = GenServer.call(Near, :result)
IO.puts("called")

wait.(wait, fn -> flags.(node(), near) == {:flags, []} and flags.(far, far_pid) == {:flags, []} end, 3000)
wait.(wait, fn -> not loaded?.(node()) and not loaded?.(far) end, 3000)
IO.puts("after: #{inspect(flags.(node(), near))} #{inspect(flags.(far, far_pid))} #{loaded?.(node())} #{loaded?.(far)}")
