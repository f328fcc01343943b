IO.puts("half-run")
y = x + 1
