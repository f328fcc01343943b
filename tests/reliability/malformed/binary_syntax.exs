IO.puts("half-run")
b = <<1, 2
