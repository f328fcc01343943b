Enum.map([1, 2])
IO.puts("after")
