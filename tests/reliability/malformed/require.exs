IO.puts("half-run")
require 3
