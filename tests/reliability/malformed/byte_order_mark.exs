IO.puts("half-run")
x = )
