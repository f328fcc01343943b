IO.puts("half-run")
f = fn x end
