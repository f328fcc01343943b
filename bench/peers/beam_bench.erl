%% SPDX-License-Identifier: MIT
%% The workloads of docs/performance.md for the BEAM, printing figures in the line
%% protocol of bench/harness.h ("id<TAB>value" in per second, ns or bytes; "#..." lines
%% for versions and notes). The same work as bench/workloads.cpp, in OTP's idiom:
%% gen_server cast/call, plain processes for the ring, erlang:send_after, erlang:trace.
%%
%% bench/run compiles it with erlc and runs one round:
%%   erl -noshell -pa DIR -run beam_bench main casts=... calls=... [only=cast,call]
%% with the sizes that `mailroom-bench --sizes` prints, so both do the same work.
-module(beam_bench).
-behaviour(gen_server).

-export([main/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

%% The counter of figures 1, 2 and 6, and the idle server of figure 4 ------------------

init({counter, Target, Notify}) -> {ok, {0, Target, Notify}};
init(idle) -> {ok, []}.

handle_cast(inc, {N, Target, Notify}) ->
    N1 = N + 1,
    case N1 of
        Target -> Notify ! done;
        _ -> ok
    end,
    {noreply, {N1, Target, Notify}}.

handle_call(ping, _From, State) -> {reply, pong, State}.

handle_info(_Message, State) -> {noreply, State}.

%% Entry -------------------------------------------------------------------------------

main(Args) ->
    Sizes = maps:from_list([parse_arg(A) || A <- Args]),
    Only = maps:get(only, Sizes, all),
    version(),
    Wants = fun(W) -> Only =:= all orelse lists:member(W, Only) end,
    %% The memory figure first, before other workloads leave allocated carriers behind.
    [run(W, Sizes) || W <- [idle, cast, call, ring, spawn, timers, record, script, tracer], Wants(W)],
    erlang:halt(0).

parse_arg(Arg) ->
    [Key, Value] = string:split(Arg, "="),
    case Key of
        "only" -> {only, [list_to_atom(W) || W <- string:split(Value, ",", all)]};
        _ -> {list_to_atom(Key), list_to_integer(Value)}
    end.

version() ->
    io:format("#version\tErlang/OTP ~s (erts ~s, ~p, ~p schedulers)~n",
              [erlang:system_info(otp_release), erlang:system_info(version),
               erlang:system_info(emu_flavor), erlang:system_info(schedulers_online)]).

size(Key, Sizes) -> maps:get(Key, Sizes).

run(cast, S) ->
    figure(cast_1to1, cast_throughput(1, size(casts, S))),
    figure(cast_2to1, cast_throughput(2, size(casts, S)));
run(call, S) ->
    latency(call, call_latencies(size(calls, S))),
    Why = "the BEAM has no threads outside its schedulers that call into it "
          "(a NIF thread would be the analogue)",
    [note(Id, Why) || Id <- [ext_call_p50, ext_call_p99, ext_call_p999,
                             ext_call_rec_p50, ext_call_rec_p99, ext_call_rec_p999]];
run(ring, S) ->
    figure(ring_hops, ring(size(ring_size, S), size(ring_hops, S)));
run(spawn, S) ->
    figure(spawn_rate, spawn_rate(size(spawns, S), size(spawn_wave, S)));
run(idle, S) ->
    idle_memory(size(idle, S));
run(timers, S) ->
    Ms = size(timer_ms, S),
    One = timers_sequential(Ms, size(timer_reps, S)),
    figure(timer1_p50, percentile(One, 0.5)),
    figure(timer1_p99, percentile(One, 0.99)),
    figure(timer1_max, percentile(One, 1.0)),
    Many = timers_concurrent(Ms, size(timer_concurrent, S)),
    figure(timerN_p50, percentile(Many, 0.5)),
    figure(timerN_p99, percentile(Many, 0.99)),
    figure(timerN_max, percentile(Many, 1.0));
run(record, S) ->
    recording(size(rec_casts, S), size(rec_calls, S), size(ring_size, S), size(rec_hops, S),
              size(ev_casts, S));
run(script, S) ->
    %% Figure 9: bench/peers/bench_counter.ex, the module Mailroom interprets, compiled by
    %% elixirc (bench/run puts it and Elixir's ebin on the path).
    case code:ensure_loaded('Elixir.BenchCounter') of
        {module, _} ->
            {Rate, Calls} = elixir_counter(size(script_casts, S), size(script_calls, S)),
            figure(script_cast, Rate),
            figure(script_call_p50, percentile(Calls, 0.5)),
            figure(script_call_p99, percentile(Calls, 0.99));
        _ ->
            [note(Id, "elixirc did not compile bench/peers/bench_counter.ex (is elixir installed?)")
             || Id <- [script_cast, script_call_p50, script_call_p99]]
    end,
    Why = "Mailroom's own C++ server: the BEAM has no second kind of server",
    [note(Id, Why) || Id <- [script_cast_native, script_call_native_p50, script_call_native_p99]];
run(tracer, S) ->
    %% Figure 10: this BEAM watched by Mailroom's own tracer (beam/mailroom_*.erl, which
    %% bench/run compiles beside this module), everything it records encoded and written, and
    %% beside it by the BEAM's own :sys.trace and :dbg on the same work.
    Ids = [tracer_cast_on, tracer_cast_off, tracer_cast_slowdown, tracer_call_on_p50,
           tracer_call_off_p50, tracer_call_slowdown, tracer_msg_cast_on, tracer_msg_cast_slowdown,
           tracer_msg_call_on_p50, tracer_msg_call_slowdown],
    %% Fewer than figure 6: the writer encodes some 20 k events a second, and what it has not
    %% written by the end is written before the next measurement.
    Casts = min(50000, size(rec_casts, S)),
    Calls = min(10000, size(rec_calls, S)),
    case code:ensure_loaded(mailroom_tracer) of
        {module, _} -> watched_by_mailroom(Casts, Calls);
        _ -> [note(Id, "mailroom_tracer.beam is not on the code path") || Id <- Ids]
    end,
    watched_by_the_beam(Casts, Calls).

%% Figure 10 -----------------------------------------------------------------------------

%% Casts and calls as in figure 6, untraced and then with Mailroom's tracer watching the
%% process that runs them (and, through set_on_spawn, what it starts: the server, the
%% senders), in its two modes: in full (handler events with the states, four trace messages a
%% cast) and messages only (sends, receives and processes, two a cast, as :dbg below). The
%% tracer writes to /dev/null with its rate limit out of reach, so that the figure is its cost,
%% not its brake; its stop waits for the writer to finish, and the next measurement for the
%% tracer to be gone. The modes take turns, so that a change in the machine's load between
%% them shows in both.
watched_by_mailroom(Casts, Calls) ->
    Full = #{},
    Msg = #{messages_only => true},
    CastOff = cast_throughput(1, Casts),
    CallOff = percentile(call_latencies(Calls), 0.5),
    CastOn = under_mailroom_tracer(Full, fun() -> cast_throughput(1, Casts) end),
    CastMsg = under_mailroom_tracer(Msg, fun() -> cast_throughput(1, Casts) end),
    CallOn = percentile(under_mailroom_tracer(Full, fun() -> call_latencies(Calls) end), 0.5),
    CallMsg = percentile(under_mailroom_tracer(Msg, fun() -> call_latencies(Calls) end), 0.5),
    figure(tracer_cast_on, CastOn),
    figure(tracer_cast_off, CastOff),
    figure(tracer_cast_slowdown, CastOff / CastOn),
    figure(tracer_call_on_p50, CallOn),
    figure(tracer_call_off_p50, CallOff),
    figure(tracer_call_slowdown, CallOn / CallOff),
    figure(tracer_msg_cast_on, CastMsg),
    figure(tracer_msg_cast_slowdown, CastOff / CastMsg),
    figure(tracer_msg_call_on_p50, CallMsg),
    figure(tracer_msg_call_slowdown, CallMsg / CallOff).

%% The same casts and calls under the BEAM's own tools, as a user turns them on, their output
%% going to a process that takes it and throws it away (a console would cost more):
%% :sys.trace(server, true), which formats each of the server's events; and :dbg, its
%% default handler (dbg:dhandler, which :dbg.tracer() prints with) formatting each trace
%% message, on the process that runs the work with the flags Mailroom's tracer sets for
%% messages and processes (:m, :p, :sos: sends, receives, spawns and exits, and what it
%% starts). Like Mailroom's, dbg's tracer has printed all it got before the next measurement.
watched_by_the_beam(Casts, Calls) ->
    CastOff = cast_throughput(1, Casts),
    CallOff = percentile(call_latencies(Calls), 0.5),
    Sys = fun(Server) -> group_leader(sink(), Server), ok = sys:trace(Server, true) end,
    SysCast = cast_throughput(1, Casts, Sys),
    SysCall = percentile(call_latencies(Calls, Sys), 0.5),
    figure(systrace_cast_on, SysCast),
    figure(systrace_cast_slowdown, CastOff / SysCast),
    figure(systrace_call_on_p50, SysCall),
    figure(systrace_call_slowdown, SysCall / CallOff),
    DbgCast = under_dbg(fun() -> cast_throughput(1, Casts) end),
    DbgCall = percentile(under_dbg(fun() -> call_latencies(Calls) end), 0.5),
    figure(dbg_cast_on, DbgCast),
    figure(dbg_cast_slowdown, CastOff / DbgCast),
    figure(dbg_call_on_p50, DbgCall),
    figure(dbg_call_slowdown, DbgCall / CallOff).

under_dbg(Fun) ->
    {ok, _} = dbg:tracer(process, {fun dbg:dhandler/2, sink()}),
    {ok, Tracer} = dbg:get_tracer(),
    Self = self(),
    Driver = spawn(fun() -> receive go -> Self ! {watched, Fun()} end end),
    {ok, _} = dbg:p(Driver, [m, p, sos]),
    Driver ! go,
    Result = receive {watched, R} -> R end,
    drained(Tracer),
    dbg:stop(),
    Result.

drained(Pid) ->
    case process_info(Pid, message_queue_len) of
        {message_queue_len, N} when N > 0 -> timer:sleep(10), drained(Pid);
        _ -> ok
    end.

%% An I/O server that answers every request and keeps nothing.
sink() ->
    spawn(fun Loop() ->
                  receive
                      {io_request, From, ReplyAs, _} -> From ! {io_reply, ReplyAs, ok}, Loop();
                      _ -> Loop()
                  end
          end).

under_mailroom_tracer(Mode, Fun) ->
    {ok, Tracer} = mailroom_tracer:start(Mode#{out => {file, "/dev/null"}, rate_limit => 1 bsl 40}),
    Self = self(),
    Driver = spawn(fun() -> receive go -> Self ! {watched, Fun()} end end),
    ok = mailroom_tracer:watch(Tracer, [Driver]),
    Driver ! go,
    Result = receive {watched, R} -> R end,
    Gone = monitor(process, Tracer),
    ok = mailroom_tracer:stop(Tracer, 600000),
    receive {'DOWN', Gone, process, _, _} -> ok end,
    Result.

%% Figure 1 ------------------------------------------------------------------------------

cast_throughput(Senders, Casts) ->
    cast_throughput(Senders, Casts, fun(_Server) -> ok end).

%% Arm(Server) runs before the first cast (figure 10 turns tracing on there).
cast_throughput(Senders, Casts, Arm) ->
    {Rate, _Elapsed} = cast_timed(Senders, Casts, Arm),
    Rate.

cast_timed(Senders, Casts) ->
    cast_timed(Senders, Casts, fun(_Server) -> ok end).

cast_timed(Senders, Casts, Arm) ->
    Share = Casts div Senders,
    {ok, Server} = gen_server:start(?MODULE, {counter, Share * Senders, self()}, []),
    Arm(Server),
    Start = now_ns(),
    [spawn(fun() -> cast_loop(Server, Share) end) || _ <- lists:seq(1, Senders)],
    receive done -> ok end,
    Elapsed = now_ns() - Start,
    exit(Server, kill),
    {Share * Senders * 1.0e9 / Elapsed, Elapsed}.

cast_loop(_Server, 0) -> ok;
cast_loop(Server, N) ->
    gen_server:cast(Server, inc),
    cast_loop(Server, N - 1).

%% Figure 2 ------------------------------------------------------------------------------

%% Sequential gen_server:call round trips (default 5 s timeout), from a fresh process.
call_latencies(Calls) ->
    call_latencies(Calls, fun(_Server) -> ok end).

call_latencies(Calls, Arm) ->
    Parent = self(),
    spawn(fun() ->
                  {ok, Server} = gen_server:start(?MODULE, {counter, 0, self()}, []),
                  Arm(Server),
                  [pong = gen_server:call(Server, ping) || _ <- lists:seq(1, min(1000, Calls))],
                  Samples = call_loop(Server, Calls, []),
                  exit(Server, kill),
                  Parent ! {samples, Samples}
          end),
    receive {samples, Samples} -> Samples end.

call_loop(_Server, 0, Acc) -> Acc;
call_loop(Server, N, Acc) ->
    Start = now_ns(),
    pong = gen_server:call(Server, ping),
    call_loop(Server, N - 1, [now_ns() - Start | Acc]).

%% Figure 9 ------------------------------------------------------------------------------

%% The driver of bench/workloads.cpp's driveCounter: arm the counter, cast from this one
%% process until it says it has the last, then sequential calls.
elixir_counter(Casts, Calls) ->
    Parent = self(),
    spawn(fun() ->
                  {ok, Server} = gen_server:start('Elixir.BenchCounter', ok, []),
                  ok = gen_server:call(Server, {arm, Casts}),
                  Start = now_ns(),
                  cast_loop(Server, Casts),
                  receive done -> ok end,
                  Rate = Casts * 1.0e9 / (now_ns() - Start),
                  [pong = gen_server:call(Server, ping) || _ <- lists:seq(1, min(1000, Calls))],
                  Samples = call_loop(Server, Calls, []),
                  exit(Server, kill),
                  Parent ! {elixir_counter, Rate, Samples}
          end),
    receive {elixir_counter, Rate, Samples} -> {Rate, Samples} end.

%% Figure 3 ------------------------------------------------------------------------------

ring(Size, Hops) ->
    Driver = self(),
    Pids = [spawn(fun() -> receive {next, Next} -> ring_loop(Driver, Next) end end)
            || _ <- lists:seq(1, Size)],
    [P ! {next, N} || {P, N} <- lists:zip(Pids, tl(Pids) ++ [hd(Pids)])],
    Start = now_ns(),
    hd(Pids) ! Hops,
    receive done -> ok end,
    Rate = Hops * 1.0e9 / (now_ns() - Start),
    [exit(P, kill) || P <- Pids],
    Rate.

ring_loop(Driver, Next) ->
    receive
        0 -> Driver ! done;
        Left -> Next ! Left - 1
    end,
    ring_loop(Driver, Next).

%% Figure 4 ------------------------------------------------------------------------------

spawn_rate(Spawns, Wave) ->
    Start = now_ns(),
    spawn_waves(self(), Spawns, Wave),
    Spawns * 1.0e9 / (now_ns() - Start).

spawn_waves(_Parent, 0, _Wave) -> ok;
spawn_waves(Parent, Left, Wave) ->
    N = min(Wave, Left),
    [spawn(fun() -> Parent ! done end) || _ <- lists:seq(1, N)],
    wait_done(N),
    spawn_waves(Parent, Left - N, Wave).

wait_done(0) -> ok;
wait_done(N) -> receive done -> wait_done(N - 1) end.

idle_memory(Count) ->
    erlang:garbage_collect(),
    Before = resident_bytes(),
    Start = now_ns(),
    Pids = [begin {ok, P} = gen_server:start(?MODULE, idle, []), P end || _ <- lists:seq(1, Count)],
    Elapsed = now_ns() - Start,
    figure(rss_per_genserver, (resident_bytes() - Before) / Count),
    figure(genserver_start_rate, Count * 1.0e9 / Elapsed),
    [exit(P, kill) || P <- Pids],
    ok.

resident_bytes() ->
    {ok, Statm} = file:read_file("/proc/self/statm"),
    [_Size, Resident | _] = binary:split(Statm, <<" ">>, [global]),
    binary_to_integer(Resident) * 4096.

%% Figure 5 ------------------------------------------------------------------------------

timers_sequential(Ms, Reps) ->
    [begin
         Start = now_ns(),
         erlang:send_after(Ms, self(), tick),
         receive tick -> ok end,
         now_ns() - Start - Ms * 1000000
     end || _ <- lists:seq(1, Reps)].

timers_concurrent(Ms, Count) ->
    Driver = self(),
    [spawn(fun() ->
                   Start = now_ns(),
                   erlang:send_after(Ms, self(), tick),
                   receive tick -> Driver ! {late, now_ns() - Start - Ms * 1000000} end
           end) || _ <- lists:seq(1, Count)],
    [receive {late, L} -> L end || _ <- lists:seq(1, Count)].

%% Figure 6 ------------------------------------------------------------------------------

%% The BEAM's own record: erlang:trace with send and 'receive' (what :dbg.p(:new, [:m])
%% turns on) on every process the workload creates, to a tracer that counts.
recording(RecCasts, RecCalls, RingSize, RecHops, EvCasts) ->
    %% The watching rows of figures 1-3 (traced) and the price of tracing (traced / not),
    %% each untraced run beside its traced one.
    CastOff = cast_throughput(1, RecCasts),
    {{CastOn, _}, _, _} = traced(fun() -> cast_timed(1, RecCasts) end),
    Cast2Off = cast_throughput(2, RecCasts),
    {{Cast2On, _}, _, _} = traced(fun() -> cast_timed(2, RecCasts) end),
    CallOff = call_latencies(RecCalls),
    {CallOn, _, _} = traced(fun() -> call_latencies(RecCalls) end),
    RingOff = ring(RingSize, RecHops),
    {RingOn, _, _} = traced(fun() -> ring(RingSize, RecHops) end),
    figure(rec_cast_on, CastOn),
    figure(rec_cast_off, CastOff),
    figure(rec_cast_slowdown, CastOff / CastOn),
    figure(rec_cast2_on, Cast2On),
    figure(rec_cast2_off, Cast2Off),
    figure(rec_cast2_slowdown, Cast2Off / Cast2On),
    latency(rec_call_on, CallOn),
    latency(rec_call_off, CallOff),
    figure(rec_call_slowdown, percentile(CallOn, 0.5) / percentile(CallOff, 0.5)),
    figure(rec_ring_on, RingOn),
    figure(rec_ring_off, RingOff),
    figure(rec_ring_slowdown, RingOff / RingOn),
    {{_, Elapsed}, Events, _} = traced(fun() -> cast_timed(1, EvCasts) end),
    figure(events_per_s, Events * 1.0e9 / Elapsed).

traced(Fun) ->
    Tracer = spawn(fun() -> tracer(0) end),
    erlang:trace(new_processes, true, [send, 'receive', monotonic_timestamp, {tracer, Tracer}]),
    Result = Fun(),
    erlang:trace(all, false, [all]),
    Ref = erlang:trace_delivered(all),
    receive {trace_delivered, all, Ref} -> ok end,
    Tracer ! {count, self()},
    Events = receive {events, N} -> N end,
    {Result, Events, Tracer}.

tracer(N) ->
    receive
        {count, From} -> From ! {events, N};
        _ -> tracer(N + 1)
    end.

%% Output --------------------------------------------------------------------------------

now_ns() -> erlang:monotonic_time(nanosecond).

percentile(Samples, Q) ->
    Sorted = lists:sort(Samples),
    Rank = max(1, min(length(Sorted), ceil(Q * length(Sorted) - 0.000001))),
    lists:nth(Rank, Sorted).

latency(Id, Samples) ->
    figure(list_to_atom(atom_to_list(Id) ++ "_p50"), percentile(Samples, 0.5)),
    figure(list_to_atom(atom_to_list(Id) ++ "_p99"), percentile(Samples, 0.99)),
    figure(list_to_atom(atom_to_list(Id) ++ "_p999"), percentile(Samples, 0.999)).

figure(Id, Value) when is_integer(Value) -> io:format("~s\t~b~n", [Id, Value]);
figure(Id, Value) -> io:format("~s\t~s~n", [Id, float_to_list(float(Value), [{decimals, 3}])]).

note(Id, Text) -> io:format("#note\t~s\t~s~n", [Id, Text]).
