IO.puts("half-run")
x = * 2
