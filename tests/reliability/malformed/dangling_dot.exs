IO.puts("half-run")
Enum.
