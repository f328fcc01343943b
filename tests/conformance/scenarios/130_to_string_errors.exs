IO.inspect(List.to_string([?a, "b"]))
for v <- [[1, {2}], {1}, %{}, [1 | 2], self()] do
  try do IO.inspect(to_string(v)) rescue e -> IO.inspect(e.__struct__); IO.puts(Exception.message(e)) end
end
IO.inspect(match?({:ok, n} when n > 3, {:ok, 5}))
IO.inspect(match?({:ok, n} when n > 3, {:ok, 2}))
IO.inspect(to_string([?h, [?i, "!"], []]))
IO.inspect("#{[?o, ?k]}")
IO.inspect(to_string(:atom))
IO.inspect(to_string(nil))
try do "#{[1, {2}]}" rescue e -> IO.inspect(e.__struct__) end
to_string([:a])
