# Pattern matching with =, ending in an uncaught MatchError.
x = 1
IO.inspect(x)
{a, b} = {:left, "right"}
IO.inspect(a)
IO.inspect(b)
[first, second | rest] = [1, 2, 3, 4]
IO.inspect({first, second, rest})
[h | t] = ["only"]
IO.inspect({h, t})
%{name: who} = %{name: "Larry", amount: 10}
IO.inspect(who)
%{"k" => v} = %{"k" => [1, 2]}
IO.inspect(v)
{_, _, third} = {1, 2, 3}
IO.inspect(third)
{:ok, 5} = {:ok, 5}
^x = 1
y = 2
{^y, z} = {2, :matched}
IO.inspect(z)
x = 10
IO.inspect(x)
{:ok, [_ | tail]} = {:ok, [:a, :b, :c]}
IO.inspect(tail)
IO.puts("before the bad match")
{:ok, value} = {:error, :nope}
IO.puts("never printed #{value}")
