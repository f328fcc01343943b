IO.puts("half-run")
^y = 1
