for x <- [1.0e6, 1.0e-5, 1.0e21, 1.0e20, 123456789.0, 1.0e15, 1.0e16, 0.1, -1.0e6, -0.0, 1.5e-7, 100.0, 1.0e-4, 0.001, 2.5e22, -3.0e-10] do
  IO.puts(x)
  IO.puts(to_string(x))
  IO.puts("#{x} #{inspect(x)} #{Float.to_string(x)}")
  IO.puts([to_charlist(x)])
end
IO.puts(Enum.join([1.0e6, 2.5], ","))
IO.inspect(Float.to_string(1.0e100))
IO.inspect("#{1.0e-300}")
IO.inspect(to_string(5.0e-324))
IO.inspect(String.length(to_string(1.7976931348623157e308)))
IO.inspect([1.0e6, 1.0e-5], label: "inspect keeps its own form")
