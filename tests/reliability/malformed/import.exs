IO.puts("half-run")
import Enum
