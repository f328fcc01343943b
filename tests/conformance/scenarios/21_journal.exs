# Seed lesson: a Journal that adds entries by cast, checked with :sys.get_state.
{:ok, journal_pid} = GenServer.start_link(Journal, [])
GenServer.cast(journal_pid, {:add_entry, "first entry"})
["first entry"] = :sys.get_state(journal_pid)
GenServer.cast(journal_pid, {:add_entry, "second entry"})
GenServer.cast(journal_pid, {:add_entry, "third entry"})
IO.inspect(:sys.get_state(journal_pid))
[latest | _] = :sys.get_state(journal_pid)
IO.puts("latest: #{latest}")
