IO.puts("half-run")
receive do
  msg -> msg
after
  10 -> :none
