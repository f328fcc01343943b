IO.puts("half-run")
require Logger
