IO.puts("half-run")
@limit 3
