try do update_in([1, 2], [0], & &1) rescue e -> IO.inspect(e) end
try do put_in([1, 2], [0], 3) rescue e -> IO.inspect(e) end
try do get_in([1, 2], [0]) rescue e -> IO.inspect(e) end
IO.inspect(get_in([a: 1], [:a]))
IO.inspect(update_in([a: [b: 1]], [:a, :b], &(&1 + 1)))
IO.inspect(update_in(%{a: %{b: 1}}, [:a, :b], &(&1 + 1)))
try do update_in(%{a: 1}, [:a, :b], & &1) rescue e -> IO.inspect(e) end
for f <- [fn -> get_in(1, [:a]) end, fn -> update_in(1, [:a], & &1) end, fn -> get_in({1}, [:a]) end, fn -> put_in(nil, [:a], 1) end, fn -> get_in(nil, [:a, :b]) end, fn -> update_in([a: 1, a: 2], [:a], &(&1 * 10)) end, fn -> put_in([b: 1], [:a], 2) end] do
  try do IO.inspect(f.()) rescue e -> IO.inspect(e) end
end
IO.inspect(get_in(%{a: [b: %{c: 3}]}, [:a, :b, :c]))
IO.inspect(put_in(%{a: %{}}, [:a, :b], 1))
IO.inspect(put_in([a: [x: 1], b: 2], [:a, :y], 5))
IO.inspect(update_in([b: 1, a: 1, a: 2], [:a], &(&1 + 1)))
try do put_in(%{a: 1}, [:a, :b], 2) rescue e -> IO.inspect(e.__struct__) end
