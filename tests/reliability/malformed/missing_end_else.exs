IO.puts("half-run")
if true do
else
