IO.puts("half-run")
length(x) = 3
