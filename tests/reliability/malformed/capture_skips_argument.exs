IO.puts("half-run")
f = &(&3 + &1)
