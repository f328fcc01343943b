IO.puts("half-run")
Code.eval_string("1 + 1")
