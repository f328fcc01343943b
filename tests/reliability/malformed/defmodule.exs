IO.puts("half-run")
defmodule Foo do
  def bar, do: 1
end
