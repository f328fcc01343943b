IO.puts("half-run")
alias Foo.Bar
