# KeyError: Map.fetch!/update!/replace! raise :maps' raw {:badkey, key}; Keyword.fetch! raises the struct; only term.field on a non-map adds the dot-syntax hint.
for f <- [fn -> Map.fetch!(%{a: 1}, :x) end, fn -> Map.update!(%{a: 1}, :x, & &1) end, fn -> Map.replace!(%{a: 1}, :x, 2) end,
          fn -> Keyword.fetch!([a: 1], :x) end, fn -> %{a: 1}.x end, fn -> %{%{a: 1} | x: 2} end, fn -> map_size([]) end] do
  try do f.() catch k, r -> IO.inspect({k, r}) end
  try do f.() rescue e -> IO.inspect(e); IO.puts(Exception.message(e)) end
end
kw = [a: 1]
try do kw.x rescue e -> IO.inspect(e) end
try do Keyword.fetch!([a: 1], "x") rescue e -> IO.inspect(e.__struct__) end
Keyword.fetch!([a: 1], :x)
