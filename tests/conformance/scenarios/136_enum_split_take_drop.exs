# Enum.split/take/drop with positive, negative, zero and oversized counts, on lists and ranges.
list = [1, 2, 3, 4, 5]
for n <- [0, 2, 5, 9, -1, -2, -5, -9] do
  IO.inspect({n, Enum.split(list, n), Enum.take(list, n), Enum.drop(list, n)})
end
for n <- [3, -3, 0, 20, -20] do
  IO.inspect({n, Enum.split(1..10, n), Enum.take(10..1//-1, n), Enum.drop(1..10//3, n)})
end
IO.inspect(Enum.split(%{a: 1, b: 2}, -1))
IO.inspect(Enum.split_while(list, &(&1 < 3)))
IO.inspect(Enum.take_every(list, 2))
