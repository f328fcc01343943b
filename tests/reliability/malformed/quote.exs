IO.puts("half-run")
quote do: 1 + 2
