# Seed lesson: tracing the pledge server. The struct state is wider than
# 80 columns, so this is the scenario where *DBG* lines wrap.
{:ok, _pid} = PledgeServer.start_link()
PledgeServer.create_pledge("larry", 10)
IO.inspect(:sys.get_state(:pledge_server))
:sys.trace(:pledge_server, true)
PledgeServer.create_pledge("moe", 20)
PledgeServer.create_pledge("curly", 30)
IO.inspect(PledgeServer.recent_pledges())
PledgeServer.set_cache_size(2)
IO.inspect(PledgeServer.total_pledged())
PledgeServer.clear()
:sys.trace(:pledge_server, false)
IO.inspect(PledgeServer.recent_pledges())
