# defmodule with def/defp, several clauses, pattern heads, guards, the
# one-line form, local and remote calls.
defmodule Shapes do
  def area({:square, side}), do: side * side
  def area({:rect, w, h}), do: w * h
  def area({:circle, r}) when is_number(r) and r >= 0 do
    round_to(3.14159 * r * r, 2)
  end

  def describe(shape) do
    kind = elem(shape, 0)
    "#{kind} of area #{area(shape)}"
  end

  def sign(n) when n > 0, do: :positive
  def sign(n) when n < 0, do: :negative
  def sign(0), do: :zero

  def first([head | _]), do: {:ok, head}
  def first([]), do: :empty

  def keys(%{name: name, age: age}), do: "#{name} is #{age}"

  defp round_to(x, digits), do: Float.round(x, digits)
end

IO.puts(Shapes.area({:square, 4}))
IO.puts(Shapes.area({:rect, 2, 5}))
IO.inspect(Shapes.area({:circle, 2}))
IO.puts(Shapes.describe({:rect, 3, 3}))
IO.inspect(Enum.map([5, -2, 0], &Shapes.sign/1))
IO.inspect(Shapes.first([:a, :b]))
IO.inspect(Shapes.first([]))
IO.puts(Shapes.keys(%{name: "Ada", age: 36, extra: true}))
IO.inspect(Shapes.area({:square, 3}) |> Shapes.sign())
