IO.puts("half-run")
if true do
  case 1 do
    1 -> :one
  end
