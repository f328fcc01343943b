# Where Elixir writes a float with inspect (1000000.0) and where with to_string (1.0e6),
# for 1.0e-5 ... 1.0e21 and negatives.
for e <- -6..22 do
  x = String.to_float("1.0e#{e}")
  IO.puts("#{e}: #{inspect(x)} #{x} #{inspect(-x * 1.5)} #{-x * 1.5}")
end
IO.inspect(%{big: 1.0e16, small: 1.0e-10, mid: 12345.678})
IO.puts("#{[1.0e6] |> inspect()} #{{2.0e-6} |> inspect()}")
IO.puts(Enum.map_join([0.1, 1.0e22, 123.0], " ", &to_string/1))
