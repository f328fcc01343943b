# A node to attach to (tst_beam): a named GenServer that Mailroom watches from outside, which
# then tells a process on a second node its balance. Run as
# `elixir --sname NAME --cookie C node_bank.exs PEER_NODE`.
Logger.configure_backend(:console, device: :standard_error)

defmodule Bank do
  use GenServer

  @impl true
  def init(total), do: {:ok, total}

  @impl true
  def handle_cast({:deposit, n}, total), do: {:noreply, total + n}

  def handle_cast({:tell, pid}, total) do
    send(pid, {:balance, total})
    {:noreply, total}
  end

  @impl true
  def handle_call(:balance, _from, total), do: {:reply, total, total}
end

[peer] = System.argv()
{:ok, bank} = GenServer.start(Bank, 0, name: Bank)
IO.puts("ready")

# Whether any of the tracer's modules (mailroom_*) is loaded here.
tracer_loaded? = fn ->
  Enum.any?(:code.all_loaded(), fn {m, _} -> String.starts_with?(Atom.to_string(m), "mailroom_") end)
end

# Waits (boundedly, 60 s) until `done?` holds: Mailroom's tracer arrives, or leaves.
wait = fn wait, done?, tries ->
  cond do
    done?.() -> :ok
    tries == 0 -> raise "gave up waiting"
    true -> Process.sleep(20); wait.(wait, done?, tries - 1)
  end
end
debug = fn ->
  {:status, _, _, [_, _, _, dbg, _]} = :sys.get_status(bank)
  dbg
end
wait.(wait, fn -> :erlang.trace_info(bank, :flags) != {:flags, []} end, 3000)
IO.puts("watched")

GenServer.cast(Bank, {:deposit, 5})
5 = GenServer.call(Bank, :balance)
inbox = :rpc.call(String.to_atom(peer), Process, :whereis, [:inbox])
GenServer.cast(Bank, {:tell, inbox})
5 = GenServer.call(Bank, :balance)
IO.puts("told")

wait.(wait, fn -> :erlang.trace_info(bank, :flags) == {:flags, []} end, 3000)
wait.(wait, fn -> not tracer_loaded?.() end, 3000)
IO.puts("after: #{inspect(:erlang.trace_info(bank, :flags))} #{inspect(debug.())} #{inspect(tracer_loaded?.())}")
