# defstruct with defaults and without, %Name{} literals, updates, struct
# patterns, nested %Outer.Inner{} names, and inspecting structs.
defmodule Account do
  defstruct owner: nil, balance: 0, history: []

  def open(owner), do: %Account{owner: owner}

  def deposit(%Account{balance: b, history: h} = acc, amount) when amount > 0 do
    %{acc | balance: b + amount, history: [{:deposit, amount} | h]}
  end

  def owner_of(%Account{owner: o}), do: o
  def is_account?(%Account{}), do: true
  def is_account?(_), do: false
end

defmodule Library do
  defmodule Book do
    defstruct [:title, :author, year: 2000]
  end

  def book(title), do: %Book{title: title, author: "anon"}
  def full(title), do: %Library.Book{title: title, author: "x", year: 1999}
  def retitle(%Book{} = b, t), do: %Book{b | title: t}
end

acc = Account.open("Kim") |> Account.deposit(10) |> Account.deposit(5)
IO.inspect(acc)
IO.inspect(acc.balance)
IO.inspect(Account.owner_of(acc))
IO.inspect({Account.is_account?(acc), Account.is_account?(%{owner: "Kim"})})
IO.inspect(Map.keys(acc))
b = Library.book("Dune")
IO.inspect(b)
IO.inspect(Library.full("Emma"))
IO.inspect(Library.retitle(b, "Dune II"))
IO.puts(inspect(b, pretty: true))
IO.inspect(is_map(b))
try do
  Account.deposit(acc, -1)
rescue
  e in FunctionClauseError -> IO.puts(Exception.message(e))
end
