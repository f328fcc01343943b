IO.puts("half-run")
_ = 1
x = _ + 1
