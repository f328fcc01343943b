IO.puts("half-run")
IO.puts("hello
world)
