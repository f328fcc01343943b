# Integer functions at the edges that still fit 64 bits, and their errors.
max = 9_223_372_036_854_775_807
min = -max - 1
IO.inspect({Integer.mod(min, -1), rem(min, -1), Integer.mod(min, 7), Integer.mod(-7, 3), Integer.mod(7, -3)})
IO.inspect({Integer.floor_div(min, 1), Integer.floor_div(-7, 2), Integer.floor_div(7, -2), div(-7, 2)})
IO.inspect({Integer.gcd(min, 6), Integer.gcd(0, 0), Integer.gcd(-12, -18), Integer.gcd(max, min + 1)})
IO.inspect({Integer.pow(1, max), Integer.pow(-1, max), Integer.pow(0, max), Integer.pow(-2, 63), Integer.pow(3, 0)})
IO.inspect({String.to_integer("-9223372036854775808"), String.to_integer("9223372036854775807")})
IO.inspect({Integer.parse("-9223372036854775808rest"), Integer.parse("+42"), Integer.parse("-"), Integer.parse("x1")})
IO.inspect({String.to_integer("7fffffffffffffff", 16), String.to_integer("-8000000000000000", 16)})
IO.inspect({Integer.to_string(min), Integer.to_string(min, 2) |> String.length(), Integer.digits(min) |> length()})
IO.inspect({abs(min + 1), -(min + 1), min + max, max - max})
for f <- [fn -> Integer.mod(1, 0) end, fn -> Integer.floor_div(1, 0) end, fn -> div(1, 0) end,
          fn -> rem(1, 0) end, fn -> Integer.pow(2, -1) end, fn -> String.to_integer("12x") end] do
  try do f.() rescue e -> IO.inspect({e.__struct__, Exception.message(e)}) end
end
