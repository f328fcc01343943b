# case, if/else, cond, guards in case clauses.
check = fn value ->
  case value do
    {:ok, n} when n > 100 -> "big ok"
    {:ok, n} -> "ok #{n}"
    [] -> "empty list"
    [_ | _] -> "non-empty list"
    :error -> "error atom"
    _ -> "something else"
  end
end
Enum.each([{:ok, 500}, {:ok, 5}, [], [1], :error, 3.5], fn v -> IO.puts(check.(v)) end)
if 1 + 1 == 2 do
  IO.puts("math works")
else
  IO.puts("math is broken")
end
result = if nil, do: :yes, else: :no
IO.inspect(result)
IO.inspect(if false do :never end)
grade = fn score ->
  cond do
    score >= 90 -> "A"
    score >= 80 -> "B"
    true -> "F"
  end
end
IO.inspect(Enum.map([95, 85, 10], grade))
kind = fn
  x when is_atom(x) -> :atom
  x when is_binary(x) -> :binary
  x when is_float(x) -> :float
  x when is_integer(x) -> :integer
  x when is_tuple(x) -> :tuple
  x when is_list(x) -> :list
  x when is_map(x) -> :map
  x when is_pid(x) -> :pid
  x when is_function(x) -> :function
end
IO.inspect(Enum.map([:a, "b", 1.5, 2, {}, [], %{}, self(), kind], kind))
x = 7
message =
  case rem(x, 2) do
    0 -> "even"
    1 -> "odd"
  end
IO.puts("#{x} is #{message}")
