IO.puts("half-run")
alias Foo.Bar, as: 3
