IO.puts("half-run")
case "a" do
  s when String.length(s) > 0 -> s
end
