IO.puts("half-run")
case 1 do
  1 -> :one
  _ -> :other
