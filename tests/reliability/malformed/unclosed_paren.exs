IO.puts("half-run")
IO.inspect(1, 2
