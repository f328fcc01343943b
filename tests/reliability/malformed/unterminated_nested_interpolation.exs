IO.puts("half-run")
"outer #{"inner #{1 + 1}"
