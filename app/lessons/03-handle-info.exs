# Title: handle_info, send and send_after
# Summary: Plain messages reach handle_info/2: sent at once with send/2, or later with Process.send_after/3, whose countdown shows on the target's card.

# A plain message, handled by Receiver's handle_info/2.
send(Receiver, :message)

# The same message delivered by a timer in two seconds: watch Receiver's card count down.
Process.send_after(Receiver, :message, 2000)

# A message Receiver has no clause for is logged as unexpected; the server carries on.
send(Receiver, :something_else)
