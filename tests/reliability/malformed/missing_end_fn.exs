IO.puts("half-run")
f = fn x ->
  x + 1
