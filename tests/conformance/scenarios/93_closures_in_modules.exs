# Functions as values inside modules: &local/1 (even private), &Mod.fun/2,
# closures that call private functions, Enum with module functions.
defmodule Pipeline do
  def run(list) do
    list
    |> Enum.map(&double/1)
    |> Enum.filter(fn x -> big?(x) end)
    |> Enum.reduce(0, &add/2)
  end

  def adder(n), do: fn x -> add(x, n) end
  def compose(f, g), do: fn x -> g.(f.(x)) end

  defp double(x), do: x * 2
  defp big?(x), do: x > 4
  defp add(a, b), do: a + b
end

IO.inspect(Pipeline.run([1, 2, 3, 4]))
add5 = Pipeline.adder(5)
IO.inspect(add5.(10))
inc_then_add5 = Pipeline.compose(&(&1 + 1), add5)
IO.inspect(Enum.map([1, 2], inc_then_add5))
IO.inspect(Enum.map([[1], [2, 3]], &Pipeline.run/1))
IO.inspect(is_function(&Pipeline.adder/1, 1))
