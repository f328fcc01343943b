IO.puts("half-run")
x = 2
x when x > 1
