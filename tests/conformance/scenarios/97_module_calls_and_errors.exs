# Calls between modules, __MODULE__ in remote calls, a private function
# reached through __MODULE__ (undefined), apply/3 on a script module, and a
# module whose body runs code as it is defined.
defmodule Helper do
  def double(x), do: x * 2
  defp hidden, do: :secret
  def via_module, do: __MODULE__.double(21)
  def via_module_private do
    try do
      __MODULE__.hidden()
    rescue
      e in UndefinedFunctionError -> Exception.message(e)
    end
  end
  def touch_hidden, do: hidden()
end

defmodule User do
  IO.puts("defining User")
  @doubled Helper.double(4)
  def value, do: @doubled
  def all, do: Enum.map([1, 2], &Helper.double/1)
end

IO.inspect(Helper.via_module())
IO.puts(Helper.via_module_private())
IO.inspect(Helper.touch_hidden())
IO.inspect(User.value())
IO.inspect(User.all())
IO.inspect(apply(Helper, :double, [5]))
IO.inspect(Enum.map([User, Helper], &is_atom/1))
