# Title: Counters that tick by themselves
# Summary: IncrementingCounter and DecrementingCounter schedule their own next tick with Process.send_after/3 inside handle_info/2: one every second, the other every half second.

:sys.get_state(IncrementingCounter)
:sys.get_state(DecrementingCounter)

# Let three seconds pass: three ticks up, six ticks down.
Process.sleep(3000)

:sys.get_state(IncrementingCounter)
:sys.get_state(DecrementingCounter)
