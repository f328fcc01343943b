IO.puts("half-run")
xÿ = 1
