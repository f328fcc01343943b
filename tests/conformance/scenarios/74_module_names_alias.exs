# Nested module names, __MODULE__, alias (plain, as:, __MODULE__) and
# modules as values.
defmodule Zoo.Animals.Cat do
  def sound, do: "meow"
  def me, do: __MODULE__
end

defmodule Zoo do
  alias Zoo.Animals.Cat
  alias Zoo.Animals.Cat, as: Kitty
  alias __MODULE__

  defmodule Keeper do
    def name, do: "Sam"
    def whoami, do: inspect(__MODULE__)
  end

  def tour do
    [Cat.sound(), Kitty.sound(), Keeper.name(), Zoo.Keeper.whoami()]
  end

  def module_name, do: __MODULE__
  def via_alias, do: Zoo.module_name()
end

IO.inspect(Zoo.tour())
IO.inspect(Zoo.Animals.Cat.me())
IO.inspect(Zoo.module_name())
IO.inspect(Zoo.via_alias())
mod = Zoo.Animals.Cat
IO.puts(mod.sound())
IO.inspect(is_atom(Zoo.Keeper))
IO.inspect(Zoo.Keeper == :"Elixir.Zoo.Keeper")
IO.puts(Zoo.Keeper)
