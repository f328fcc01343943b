IO.puts("half-run")
case 1 do
  x
end
