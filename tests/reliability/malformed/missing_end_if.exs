IO.puts("half-run")
if true do
  1
