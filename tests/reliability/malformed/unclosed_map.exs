IO.puts("half-run")
m = %{a: 1, b: 2
