Enum.frobnicate([1, 2])
IO.puts("after")
