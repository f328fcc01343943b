Foo.bar(1)
IO.puts("after")
