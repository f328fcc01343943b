IO.puts("half-run")
x = :"abc
