IO.puts("half-run")
f = fn
  x -> x
  x, y -> y
end
