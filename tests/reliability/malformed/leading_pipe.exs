|> IO.puts()
IO.puts("after")
