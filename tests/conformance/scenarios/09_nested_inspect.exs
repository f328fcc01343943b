# Printing nested terms with IO.inspect (Elixir syntax), labels, inspect/1,
# and pretty-printing of a term wider than 80 columns.
data = %{
  "string key" => ["héllo", "✓ ok", nil],
  user: %{name: "Moe", tags: [:admin, :ops], scores: {1.0, -2, 0.5}},
  opts: [verbose: true, depth: 3, path: 'tmp/dir']
}
IO.inspect(data)
IO.inspect(data, label: "data")
IO.inspect([a: [b: [c: 1]]], label: "deep keyword")
IO.inspect(%{b: 2, a: 1, c: 3})
IO.inspect(%{1 => :int, :atom => 2, "bin" => 3, {1} => 4, [1] => 5})
IO.inspect([{:ok, %{}}, {:error, []}, {'', ""}])
IO.inspect({1.0, 0.1, 1.0e20, -1.5, 100.0, 1.0e-10})
IO.inspect(Enum.map(1..30, fn n -> n * 1000 end))
numbers = for n <- 1..24, do: n
IO.inspect(numbers)
IO.inspect(numbers, label: "the label does not count")
IO.inspect(%{first: "a fairly long string value", second: "another long string value", third: [1, 2, 3]})
returned = IO.inspect(:returned, label: "label")
IO.inspect(returned)
IO.puts(inspect({:nested, [1, {2, [3, %{four: 4}]}]}))
IO.puts(inspect(self()) == inspect(self()))
IO.inspect([self()])
ref = Process.send_after(self(), :never, 10_000)
IO.inspect(ref)
IO.inspect({:timer, ref, self()}, label: "tuple")
IO.inspect(Process.cancel_timer(ref) > 0)
