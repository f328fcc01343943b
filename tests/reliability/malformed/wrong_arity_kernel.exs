IO.puts("half-run")
elem({1, 2}, 0, 1)
