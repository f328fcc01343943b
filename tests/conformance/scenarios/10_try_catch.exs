# try/catch/rescue around errors and exits.
bad = {:error, :nope}
r =
  try do
    {:ok, v} = bad
    v
  catch
    kind, reason -> {:caught, kind, reason}
  end
IO.inspect(r)
try do
  [only] = [1, 2]
  IO.inspect(only)
rescue
  e -> IO.inspect(e, label: "rescued")
end
zero = length([])
try do
  IO.inspect(div(10, zero))
catch
  kind, reason -> IO.inspect({kind, reason})
end
try do
  GenServer.call(:nobody_here, :hello)
catch
  :exit, reason -> IO.puts("caught exit: " <> inspect(reason))
end
value =
  try do
    :fine
  catch
    _, _ -> :not_reached
  end
IO.inspect(value)
IO.puts("still running")
