# The second node of tst_beam's attach test: an inbox that prints the first message it gets.
Process.register(self(), :inbox)
IO.puts("ready")

receive do
  message -> IO.inspect(message, label: "got")
end
