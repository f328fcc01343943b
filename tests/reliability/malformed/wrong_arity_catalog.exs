AsyncLogger.log(1, 2, 3)
IO.puts("after")
