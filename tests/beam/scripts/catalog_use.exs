# Uses a catalog server without defining it, as scripts for Mailroom's runtime do (tst_beam).
{:ok, _} = GenServer.start(Counter, [], name: Counter)
IO.inspect(GenServer.call(Counter, :get_count))
