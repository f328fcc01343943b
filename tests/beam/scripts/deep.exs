# A message nested deeper than the record's reader takes (tst_beam): it is cut, and the record goes on.
deep = Enum.reduce(1..2000, :bottom, fn _, acc -> [acc] end)
echo =
  spawn(fn ->
    receive do
      _deep -> :ok
    end

    receive do
      m -> IO.inspect(m)
    end
  end)

ref = Process.monitor(echo)
send(echo, deep)
send(echo, :after_the_deep_one)

receive do
  {:DOWN, ^ref, :process, _, _} -> :ok
end
