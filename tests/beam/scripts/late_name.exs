# A send by registered name that the tracer reads only after the named process has taken the
# message, answered and exited (its collector held back, as a busy node holds it back): the
# record still names the receiver (tst_beam runs this with `elixir -pa EBIN late_name.exs OUT`).
[out] = System.argv()
{:ok, tracer} = :mailroom_tracer.start(%{out: {:file, String.to_charlist(out)}})
greeter =
  spawn(fn ->
    receive do
      {:greet, from} -> send(from, :hi)
    end
  end)
Process.register(greeter, :greeter)
main = self()
driver =
  spawn(fn ->
    receive do
      :go ->
        send(:greeter, {:greet, self()})
        receive do
          :hi -> send(main, :greeted)
        end
    end
  end)
:ok = :mailroom_tracer.watch(tracer, [driver, greeter])
down = Process.monitor(greeter)
true = :erlang.suspend_process(tracer)
send(driver, :go)
receive do
  :greeted -> :ok
end
receive do
  {:DOWN, ^down, :process, _, _} -> :ok
end
nil = Process.whereis(:greeter)
true = :erlang.resume_process(tracer)
:ok = :mailroom_tracer.stop(tracer)
[_, n, _] = greeter |> :erlang.pid_to_list() |> to_string() |> String.split(["<", ".", ">"], trim: true)
IO.puts("greeter: #{n}")
