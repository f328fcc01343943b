# A module defined twice: the second definition replaces the first (Elixir
# warns on stderr), and later calls run the new code.
defmodule Version do
  def number, do: 1
  def only_in_first, do: :first
end

IO.inspect(Version.number())
IO.inspect(Version.only_in_first())

defmodule Version do
  def number, do: 2
end

IO.inspect(Version.number())

try do
  Version.only_in_first()
rescue
  e in UndefinedFunctionError -> IO.puts(Exception.message(e))
end
