IO.puts("half-run")
café = 1
