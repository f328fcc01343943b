# No clause of a module function matches: caught as FunctionClauseError
# (rescue) or the raw :function_clause (catch), then uncaught.
defmodule Picky do
  def only_ints(x) when is_integer(x), do: x * 2
  def pair({a, b}), do: a + b
end

IO.inspect(Picky.only_ints(4))

try do
  Picky.only_ints("4")
rescue
  e -> IO.inspect({e.__struct__, e.module, e.function, e.arity})
end

try do
  Picky.pair({1, 2, 3})
catch
  kind, reason -> IO.inspect({kind, reason})
end

Picky.pair(:nope)
