IO.puts("half-run")
x = 0xZZ
