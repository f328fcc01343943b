IO.puts("half-run")
f = &(1 + 2)
