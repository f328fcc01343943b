# A short tour, run for the README's screenshot:
#   xvfb-run -a -s '-screen 0 1440x900x24' build/bin/mailroom app/tour.exs \
#     --screenshot docs/screenshot.png --quit-after 2600
AsyncLogger.log("user signed in")
AsyncLogger.log("cart updated")
AsyncLogger.log("order placed")
AsyncLogger.get_logs()
:sys.trace(Counter, true)
GenServer.cast(Counter, :increment)
GenServer.cast(Counter, :increment)
GenServer.cast(Counter, :increment)
Process.send_after(Receiver, :message, 5000)
spawn(fn -> GenServer.call(SlowServer, :sleep) end)
spawn(fn -> GenServer.call(SlowServer, {:sleep, 300}) end)
# The shell waits here behind the three increments: its card shows it blocked.
GenServer.call(Counter, :get_count)
