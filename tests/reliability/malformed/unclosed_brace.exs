IO.puts("half-run")
tuple = {1, 2
