# Title: The misbehaving self-call
# Summary: A server that calls itself from inside handle_call waits for its own answer; OTP stops that at once with a calling_self exit, which crashes the server and the caller.

{:ok, pid} = GenServer.start(MisbehavingGenServer, nil)

# A request the server answers normally.
GenServer.call(pid, :talking_to_myself)

# This one makes the handler call its own process: the server exits with calling_self,
# and so does our call. Catching the exit keeps the shell alive.
try do
  GenServer.call(pid, :message)
catch
  :exit, reason -> {:caught_exit, reason}
end
