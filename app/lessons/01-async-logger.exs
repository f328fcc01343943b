# Title: An asynchronous logger
# Summary: log/1 is a cast, so the caller has :ok back before the entry is written; get_logs/0 is a call and waits for the list.

# Each log/1 call casts {:log, message} to AsyncLogger and returns :ok straight away.
# Watch the tokens land in the logger's mailbox and the Logger panel fill up.
AsyncLogger.log("user signed in")
AsyncLogger.log("cart updated")
AsyncLogger.log("order placed")

# get_logs/0 is a call: this line waits until the logger answers with its entries.
AsyncLogger.get_logs()
