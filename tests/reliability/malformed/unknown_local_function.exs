IO.puts("half-run")
frobnicate(1)
