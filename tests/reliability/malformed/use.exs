IO.puts("half-run")
use GenServer
