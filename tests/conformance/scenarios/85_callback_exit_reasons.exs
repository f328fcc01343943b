# #19 item 5: the exit reasons a failing callback leaves, as OTP gives them:
# {exception, stacktrace} for a raise, the raw reason for a BIF error,
# {:function_clause, _} for no clause, the value of exit/1 as is.
defmodule Fragile do
  use GenServer
  def init(_), do: {:ok, nil}
  def handle_call(:raise, _, s), do: raise("boom") && {:reply, :ok, s}
  def handle_call(:arith, _, s), do: {:reply, 1 + s, s}
  def handle_call(:exit, _, _s), do: exit(:custom_reason)
  def handle_call(:badmatch, _, s) do
    {:ok, x} = {:error, s}
    {:reply, x, s}
  end
  def handle_call(:throw, _, s), do: throw({:reply, :thrown, s})
  def handle_call(:bad_return, _, _s), do: :what
end

for request <- [:raise, :arith, :exit, :badmatch, :unknown, :throw, :bad_return] do
  {:ok, pid} = GenServer.start(Fragile, [])
  result =
    try do
      {:ok, GenServer.call(pid, request)}
    catch
      :exit, {{%RuntimeError{message: m}, [_ | _]}, _} -> {:runtime_error, m}
      :exit, {{:function_clause, [{Fragile, :handle_call, args, _} | _]}, _} -> {:function_clause, length(args)}
      :exit, {{reason, [_ | _]}, _} -> {:error_with_stack, reason}
      :exit, {reason, {GenServer, :call, _}} -> {:exit, reason}
    end
  IO.inspect({request, result})
end
