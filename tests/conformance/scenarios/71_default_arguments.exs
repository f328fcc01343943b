# Default arguments with \\, several defaults, a head declaring them for
# several clauses, and defaults that are expressions.
defmodule Greeter do
  def hello(name, greeting \\ "Hello", punctuation \\ "!") do
    greeting <> ", " <> name <> punctuation
  end

  def join(items, separator \\ ", ")
  def join([], _separator), do: ""
  def join(items, separator), do: Enum.join(items, separator)

  def wrap(value, opts \\ []) do
    left = Keyword.get(opts, :left, "[")
    right = Keyword.get(opts, :right, "]")
    left <> to_string(value) <> right
  end

  def stamp(x, list \\ Enum.to_list(1..3)), do: {x, list}
end

IO.puts(Greeter.hello("Ann"))
IO.puts(Greeter.hello("Ann", "Hi"))
IO.puts(Greeter.hello("Ann", "Hi", "?"))
IO.inspect(Greeter.join([]))
IO.puts(Greeter.join(["a", "b", "c"]))
IO.puts(Greeter.join(["a", "b"], " | "))
IO.puts(Greeter.wrap(42))
IO.puts(Greeter.wrap(42, left: "<", right: ">"))
IO.inspect(Greeter.stamp(:x))
IO.inspect(Greeter.stamp(:x, []))
f = &Greeter.hello/1
IO.puts(f.("Bo"))
