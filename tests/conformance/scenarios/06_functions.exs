# Anonymous functions: several clauses, guards, captures, closures.
add = fn a, b -> a + b end
IO.inspect(add.(2, 3))
classify = fn
  0 -> :zero
  n when n < 0 -> :negative
  n when is_integer(n) -> :positive_integer
  _ -> :other
end
IO.inspect(Enum.map([0, -3, 7, 2.5], classify))
inc = &(&1 + 1)
IO.inspect(inc.(41))
second = &elem(&1, 1)
IO.inspect(second.({:a, :b, :c}))
IO.inspect(Enum.map([{"moe", 20}, {"curly", 30}], &elem(&1, 1)))
factor = 3
triple = fn n -> n * factor end
IO.inspect(triple.(14))
apply_twice = fn f, v -> f.(f.(v)) end
IO.inspect(apply_twice.(inc, 0))
describe = fn
  {:ok, v} -> "ok: #{v}"
  {:error, r} when is_atom(r) -> "error: #{r}"
  list when is_list(list) -> "list of #{length(list)}"
  m when is_map(m) -> "a map"
  s when is_binary(s) -> "string #{s}"
end
IO.puts(describe.({:ok, 1}))
IO.puts(describe.({:error, :enoent}))
IO.puts(describe.([1, 2, 3]))
IO.puts(describe.(%{a: 1}))
IO.puts(describe.("x"))
make_counter = fn start -> fn step -> start + step end end
IO.inspect(make_counter.(100).(5))
