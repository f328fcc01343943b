IO.puts("half-run")
x = 1
"value: #{x"
