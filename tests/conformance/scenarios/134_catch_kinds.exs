# catch kind, reason for each kind of failure, beside rescue: raw reasons for errors
# raised by the runtime, exception structs for raise, the value for throw and exit.
cases = [
  fn -> raise "boom" end,
  fn -> raise ArgumentError, "bad" end,
  fn -> throw(:ball) end,
  fn -> exit(:bye) end,
  fn -> exit({:shutdown, 1}) end,
  fn -> 1 = Enum.at([2], 0) end,
  fn -> case Enum.at([2], 0) do 1 -> :one end end,
  fn -> :a + Enum.at([1], 0) end,
  fn -> Enum.at([:not_fun], 0).() end,
  fn -> elem({}, Enum.at([0], 0)) end,
  fn -> Map.get(:x, :y) end,
  fn -> String.length(Enum.at([1], 0)) end
]
for f <- cases do
  r = try do f.() catch k, r -> {k, r} end
  IO.inspect(r)
end
for f <- cases do
  r = try do f.() rescue e -> {:rescued, e.__struct__, Exception.message(e)} catch k, _ -> {:not_rescued, k} end
  IO.inspect(r)
end
try do
  try do hd([]) rescue e -> raise e end
catch
  k, r -> IO.inspect({:raised_again, k, r})
end
