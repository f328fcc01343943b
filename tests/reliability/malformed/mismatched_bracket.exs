IO.puts("half-run")
list = [1, 2)
