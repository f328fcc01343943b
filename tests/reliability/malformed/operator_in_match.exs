IO.puts("half-run")
a + 1 = 3
