# Uncaught noproc for a server registered under a module name that is not
# running: the report shows the alias.
AsyncLogger.log("nobody is listening")
IO.puts("cast to a missing name returns :ok")
AsyncLogger.get_logs()
