IO.puts("half-run")
words = ~w(a b c)
