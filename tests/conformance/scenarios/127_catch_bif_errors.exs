# catch kind, reason around BIF errors sees the raw Erlang reason (:badarg, :badarith, {:badmap, _}, {:badkey, _}); rescue sees the exception with its message.
l = []
t = {1}
for f <- [fn -> hd(l) end, fn -> tl(l) end, fn -> elem(t, 5) end,
          fn -> String.to_atom(l) end, fn -> 1 + :a end, fn -> div(1, 0) end, fn -> length([1 | 2]) end,
          fn -> tuple_size(l) end, fn -> map_size(l) end, fn -> Map.fetch!(%{}, :x) end,
          fn -> Integer.to_string(l) end, fn -> String.to_integer("x") end,
          fn -> apply(l, []) end, fn -> abs(:a) end, fn -> send(:nobody, :hi) end, fn -> Atom.to_string("x") end,
          fn -> List.to_tuple(:a) end, fn -> Tuple.to_list(l) end, fn -> binary_part("abc", 5, 1) end, fn -> binary_part("abc", 1, 5) end,
          fn -> binary_part("abc", 1, -2) end, fn -> binary_part("abc", :a, 1) end,
          fn -> byte_size(l) end, fn -> l ++ 1 ++ 2 end, fn -> [1] -- :a end, fn -> not 1 end,
          fn -> round(:a) end, fn -> trunc("x") end] do
  try do
    f.()
  catch
    k, r -> IO.inspect({k, r})
  end
  try do
    f.()
  rescue
    e -> IO.puts("#{inspect(e.__struct__)}: #{Exception.message(e)}")
  end
end
IO.inspect(binary_part("abcdef", 4, -2))
hd(l)
