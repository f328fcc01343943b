# Module attributes as constants: in bodies, in guards, built from other
# attributes; @moduledoc, @doc and @impl are accepted.
defmodule Limits do
  @moduledoc """
  Limits for the demo.
  """
  @max 10
  @min -@max
  @names [:low, :mid, :high]
  @greeting "hello"
  @table %{a: 1, b: 2}

  @doc "Clamps a number."
  def clamp(x) when x > @max, do: @max
  def clamp(x) when x < @min, do: @min
  def clamp(x), do: x

  @doc false
  def names, do: @names
  def greeting, do: @greeting <> " world"
  def lookup(key), do: Map.get(@table, key, :none)
  def range, do: {@min, @max}
end

IO.inspect(Enum.map([-50, 3, 99], &Limits.clamp/1))
IO.inspect(Limits.names())
IO.puts(Limits.greeting())
IO.inspect({Limits.lookup(:b), Limits.lookup(:z)})
IO.inspect(Limits.range())
