# Recursion: tail calls loop in constant stack (a million steps), body
# recursion, accumulators, and mutual recursion between private functions.
defmodule Loop do
  def count_down(0), do: :liftoff
  def count_down(n), do: count_down(n - 1)

  def sum(list), do: sum(list, 0)
  defp sum([], acc), do: acc
  defp sum([h | t], acc), do: sum(t, acc + h)

  def length_of([]), do: 0
  def length_of([_ | t]), do: 1 + length_of(t)

  def even?(0), do: true
  def even?(n), do: odd?(n - 1)
  defp odd?(0), do: false
  defp odd?(n), do: even?(n - 1)

  def collatz(1, steps), do: steps
  def collatz(n, steps) when rem(n, 2) == 0, do: collatz(div(n, 2), steps + 1)
  def collatz(n, steps), do: collatz(3 * n + 1, steps + 1)

  def remote_loop(0, acc), do: acc
  def remote_loop(n, acc), do: Loop.remote_loop(n - 1, acc + 1)

  def with_case(n) do
    case n do
      0 -> :done
      _ -> with_case(n - 1)
    end
  end
end

IO.inspect(Loop.count_down(1_000_000))
IO.inspect(Loop.sum(Enum.to_list(1..100_000)))
IO.inspect(Loop.length_of(Enum.to_list(1..1000)))
IO.inspect(Loop.even?(100_001))
IO.inspect(Loop.collatz(27, 0))
IO.inspect(Loop.remote_loop(300_000, 0))
IO.inspect(Loop.with_case(500_000))
