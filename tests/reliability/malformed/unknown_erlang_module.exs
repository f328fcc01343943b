:no_such_module.go()
IO.puts("after")
