# Title: Tracing the pledge server
# Summary: :sys.trace/2 makes a server print a *DBG* line for every message it gets and every reply it sends; PledgeServer keeps only the three most recent pledges.

# Starts the server (or finds it running from an earlier run) and empties its cache.
PledgeServer.start()
PledgeServer.clear()
:sys.trace(:pledge_server, true)

PledgeServer.create_pledge("larry", 10)
PledgeServer.create_pledge("moe", 20)
PledgeServer.create_pledge("curly", 30)
PledgeServer.create_pledge("daisy", 40)

# Only the three most recent are kept in the state.
PledgeServer.recent_pledges()
PledgeServer.total_pledged()

:sys.trace(:pledge_server, false)
