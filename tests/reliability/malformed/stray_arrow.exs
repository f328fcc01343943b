IO.puts("half-run")
-> 1
