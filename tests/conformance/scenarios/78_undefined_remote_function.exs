# UndefinedFunctionError for a script module: a private function, a typo
# with "Did you mean", a wrong arity, and a module nobody defined.
defmodule Calc do
  def add(a, b), do: a + b
  def add(a, b, c), do: a + b + c
  def subtract(a, b), do: a - b
  defp secret, do: 42
  def reveal, do: secret()
end

IO.inspect(Calc.reveal())

for call <- [fn -> Calc.secret() end, fn -> Calc.ad(1, 2) end, fn -> Calc.add(1) end,
             fn -> Calc.substract(3, 1) end, fn -> Calcc.add(1, 2) end] do
  try do
    call.()
  rescue
    e in UndefinedFunctionError -> IO.puts(Exception.message(e))
  end
end

Calc.multiply(2, 3)
