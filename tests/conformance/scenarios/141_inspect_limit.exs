# inspect/2 and IO.inspect/2 with limit: (collections cut with ...), :infinity, nested, with
# pretty: and label:.
list = Enum.to_list(1..100)
IO.puts(inspect(list))
IO.puts(inspect(list, limit: 3))
IO.puts(inspect(list, limit: 0))
IO.puts(inspect(list, limit: :infinity) |> String.length())
IO.puts(inspect({1, 2, 3, 4}, limit: 2))
IO.puts(inspect(%{a: 1, b: 2, c: 3}, limit: 1))
IO.puts(inspect([a: 1, b: 2, c: 3], limit: 2))
IO.puts(inspect([[1, 2, 3], [4, 5, 6], [7, 8, 9]], limit: 2))
IO.puts(inspect('abcdef', limit: 2))
IO.inspect(list, limit: 5)
IO.inspect(list, limit: 5, label: "cut")
IO.inspect(Enum.to_list(1..60), limit: :infinity)
IO.inspect(%{list: list, tuple: List.to_tuple(Enum.to_list(1..10))}, limit: 4)
IO.puts(inspect(list, limit: 4, pretty: true, width: 10))
try do inspect(list, limit: -1) rescue e -> IO.inspect(e.__struct__) end
