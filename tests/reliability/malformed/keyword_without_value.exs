IO.puts("half-run")
opts = [a: ]
