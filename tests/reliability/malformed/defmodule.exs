IO.puts("half-run")
defmodule Foo do
  defmacro bar, do: 1
end
