%% SPDX-License-Identifier: MIT
%% mailroom_tracer: watches processes on a BEAM node and writes what they do as the events of
%% Mailroom's record (docs/events.md), one JSON object a line, each event with its terms in full
%% (a reader such as mailroom-run writes them out with the record's state markers).
%%
%% It runs on the node it watches (a tracer must be local: BEAM.md §1). The BEAM's own tracing
%% (erlang:trace/3 with send, 'receive', procs, call, set_on_spawn and a strict monotonic
%% timestamp) gives spawns, exits, links, names and messages; call tracing of
%% erlang:send_after/cancel_timer gives timers, and of the functions in which gen_server runs
%% its callbacks (try_handle_call, try_dispatch, init_it) a handler's begin with its message and
%% state and its end with the new state, in the server's own time, from its first message on
%% (a sys debug function, installed by a message, could come too late: docs/beam.md).
%%
%% This module is the API and the collector, the process the BEAM sends its trace messages to:
%% it counts them (mailroom_rate), lets Elixir's compiler go (mailroom_filter) and passes them
%% on in batches to the writer (mailroom_writer), which sorts them, turns them into events
%% (mailroom_events) and writes them (mailroom_json). The writer runs beside it, or, attached,
%% on Mailroom's hidden node, where the collectors of every node of a cluster write to it. Trace messages arrive out of order (a
%% receive before its send), so every 25 ms the collector asks erlang:trace_delivered/1 and
%% tells the writer the cut before which all have come. docs/beam.md says what is seen, what is
%% not and why.
%%
%% Protection of the watched node: above `rate_limit` events a second (or a backlog of as many)
%% the tracer switches every trace flag off by itself and says so in the stream; terms are cut
%% at `term_cap` bytes of JSON; on stop, or when the process that started it dies, every trace
%% flag and trace pattern it set is removed.
-module(mailroom_tracer).

-export([start/1, watch/2, stop/1, stop/2, script_boot/0, start_remote/2, node_modules/0]).

-define(TICK_MS, 25).
%% After a trip: the first trial watch after a second, then after twice as long as the last
%% (up to 16 s) while the flood goes on; a trial lasts PROBE_MS and fails above its share of the
%% rate limit.
-define(FIRST_BACKOFF_MS, 1000).
-define(MAX_BACKOFF_MS, 16000).
-define(PROBE_MS, 250).
-define(FLAGS, [send, 'receive', procs, call, set_on_spawn, strict_monotonic_timestamp]).
-define(TIMER_MFAS, [{erlang, send_after, '_'}, {erlang, cancel_timer, '_'}, {erlang, monitor, 3},
                     {erlang, alias, '_'}]).
%% Where a GenServer runs its callbacks: a call to these in a traced process is a handler's
%% begin, with the message and the state; its return, the result with the new state.
-define(GEN_MFAS, [{gen_server, try_handle_call, 4}, {gen_server, try_dispatch, 4}, {gen_server, init_it, 2}]).

-record(st, {
    owner,               % the process whose death detaches (linked), or undefined
    unload = false,      % on detach, delete and purge the tracer's modules (loaded by attach)
    rate,                % mailroom_rate's count
    systag,              % the tag of our own system requests, whose replies the writer drops
    buf = [],            % items {Ts, Item} not yet passed on
    nbuf = 0,            % items in buf
    prev_cut = undefined,% items before this monotonic ns are all here
    pending = undefined, % {Ref, T} of a trace_delivered in flight
    servers = #{},       % pid => module: a GenServer watched
    tripped = false,     % every flag off: a trip's pause
    paused = undefined,  % from a trip to the watch going on: #{since, tracees, dropped, probes,
                         % backoff, leader, probe => undefined | the trial's trace messages so
                         % far, probe_ts => the trial's start}
    handlers = true,     % call tracing of the gen_server functions (false: messages only)
    writer,              % the writer process
    own_writer = true,   % the writer is ours (one node); else a cluster's, on the hidden node
    premark = false      % tell that writer, remote, which pids are the BEAM's own (mark/2)
}).

%% ---------------------------------------------------------------------------------------------
%% API

%% The modules of the tracer that run on the watched node: what attach loads there, and removes.
node_modules() ->
    [mailroom_tracer, mailroom_writer, mailroom_events, mailroom_json, mailroom_rate, mailroom_filter,
     mailroom_pick].

%% Starts the tracer on this node. Options (a map): out => {file, Path} | {pid, Pid},
%% rate_limit => events/s (default 50000), term_cap => bytes (default 8192), owner => pid
%% (linked: its death detaches), only_watched => boolean, root_label => atom, messages_only =>
%% boolean (no handler events: sends, receives, processes and timers only, two trace messages a
%% cast where handlers take four); or, for a node of a cluster, writer => the cluster's writer
%% (mailroom_writer:start/1) and systag => its tag.
start(Opts) ->
    Parent = self(),
    Pid = spawn_opt(fun() -> init(Parent, Opts) end, [{message_queue_data, off_heap}]),
    receive
        {Pid, started} -> {ok, Pid};
        {Pid, {error, _} = E} -> E
    end.

%% Traces Pids (and what they spawn from now on), and asks the GenServers among them for their
%% state. Call it from a process that is not traced.
watch(Tracer, Pids) ->
    Self = self(),
    Servers = [{P, case P of Self -> undefined; _ -> server_module(P) end} || P <- Pids, is_pid(P)],
    call(Tracer, {watch, Servers}, 10000).

%% Switches every flag off, writes what is left and ends the stream. Synchronous.
stop(Tracer) -> stop(Tracer, 10000).
stop(Tracer, Timeout) -> call(Tracer, stop, Timeout).

call(Tracer, Req, Timeout) ->
    Ref = monitor(process, Tracer),
    Tracer ! {mailroom_req, self(), Ref, Req},
    receive
        {Ref, Reply} -> demonitor(Ref, [flush]), Reply;
        {'DOWN', Ref, process, _, Reason} -> {error, {tracer_down, Reason}}
    after Timeout -> demonitor(Ref, [flush]), {error, timeout}
    end.

%% `elixir -pa EBIN -r mailroom_boot.exs FILE.exs`: traces the script's process (this one) and
%% what it spawns, writing to the descriptor in MAILROOM_TRACE_FD; stops when the script ends.
script_boot() ->
    Fd = list_to_integer(os:getenv("MAILROOM_TRACE_FD", "3")),
    Limit = list_to_integer(os:getenv("MAILROOM_RATE_LIMIT", "50000")),
    Cap = list_to_integer(os:getenv("MAILROOM_TERM_CAP", "8192")),
    MessagesOnly = os:getenv("MAILROOM_MESSAGES_ONLY", "0") =:= "1",
    {ok, Tracer} = start(#{out => {file, "/dev/fd/" ++ integer_to_list(Fd)}, rate_limit => Limit,
                           term_cap => Cap, only_watched => true, messages_only => MessagesOnly,
                           root_label => iex}),
    Self = self(),
    %% The node halts after the script; there is nothing to clean, only the stream to end.
    'Elixir.System':at_exit(fun(_Status) -> _ = stop(Tracer, 5000) end),
    ok = watch(Tracer, [Self]),
    Tracer.

%% Attached (mailroom_attach, on Mailroom's hidden node): the tracer on this node, passing what
%% it sees to the writer there, owned by Owner there, and removing its modules when it ends.
start_remote(Owner, Opts) ->
    {ok, Tracer} = start(Opts#{owner => Owner, unload_on_detach => true}),
    Tracer.

stamp() -> {erlang:monotonic_time(nanosecond), erlang:unique_integer([monotonic])}.

%% ---------------------------------------------------------------------------------------------
%% The collector

%% Two processes share the work, so that the tracer proper keeps up: the collector takes every
%% trace message as it comes, counts it and passes it on in batches; the writer sorts,
%% interprets, encodes and writes.
init(Parent, Opts) ->
    process_flag(trap_exit, true),
    process_flag(priority, high),
    {Writer, SysTag, Own} =
        case maps:get(writer, Opts, undefined) of
            undefined ->
                Tag = make_ref(),
                case mailroom_writer:start_link(self(), Tag, Opts) of
                    {ok, W} -> {W, Tag, true};
                    {error, _} = E -> Parent ! {self(), E}, exit(normal)
                end;
            W ->
                link(W),
                W ! {collector, self(), erlang:time_offset(nanosecond)},
                {W, maps:get(systag, Opts), false}
        end,
    put(mailroom_writer, Writer),
    Owner = maps:get(owner, Opts, undefined),
    is_pid(Owner) andalso link(Owner),
    Handlers = not maps:get(messages_only, Opts, false),
    put(mailroom_handlers, Handlers),
    St = #st{owner = Owner, unload = maps:get(unload_on_detach, Opts, false), handlers = Handlers,
             rate = mailroom_rate:new(maps:get(rate_limit, Opts, 50000)),
             systag = SysTag, writer = Writer, own_writer = Own, premark = node(Writer) =/= node()},
    set_patterns(St),
    erlang:send_after(?TICK_MS, self(), tick),
    Parent ! {self(), started},
    loop(St).

loop(St) ->
    receive
        M when element(1, M) =:= trace_ts -> loop(raw(M, St));
        {mailroom_init, P, Ts, State} -> loop(add(Ts, {init, P, State}, St));
        tick -> erlang:send_after(?TICK_MS, self(), tick), loop(tick(St));
        {trace_delivered, all, Ref} -> loop(delivered(Ref, St));
        {mailroom_req, From, Ref, {watch, Servers}} ->
            St1 = do_watch(Servers, St),
            From ! {Ref, ok},
            loop(St1);
        {mailroom_req, From, Ref, stop} ->
            St1 = finish(St),
            Writer = St1#st.writer,
            Writer ! {done, self()},
            case St1#st.own_writer of
                true ->
                    %% However long the writer takes to write its backlog: the caller's timeout
                    %% is the bound, and the collector is the one it watches.
                    Writer ! {finish, From, Ref},
                    receive {'EXIT', Writer, _} -> ok end;
                false ->
                    %% The cluster's writer ends the stream once every node's collector is done.
                    unlink(Writer),
                    From ! {Ref, ok}
            end;
        mailroom_stop_tracing ->
            %% Another node's collector tripped: this one pauses too, until that one resumes.
            loop(pause(undefined, false, St));
        mailroom_resume_tracing -> loop(resume(St));
        probe -> loop(probe(St));
        probe_end -> loop(probe_end(St));
        {'EXIT', Owner, _} when Owner =:= St#st.owner ->
            detach(St); % whoever reads the stream is gone: leave the node as it was
        {'EXIT', Writer, _} when Writer =:= St#st.writer ->
            detach(St); % the stream cannot be written any more
        {Tag, _} when Tag =:= St#st.systag -> loop(St);
        _ -> loop(St)
    end.

%% A trace message as it arrives: counted for the rate limit, a name resolved while it still
%% names the same process, a process of Elixir's compiler let go; then passed on.
raw(M, #st{tripped = false, paused = undefined} = St) ->
    fast(M, St#st.rate, St#st.buf, St#st.nbuf, St);
raw(M, #st{paused = #{probe := N} = P} = St) when is_integer(N) ->
    %% A trial watch: kept back until it has passed, dropped if it fails.
    case N + 1 > mailroom_rate:limit(St#st.rate) * ?PROBE_MS div 1000 of
        true -> probe_failed(St);
        false -> raw1(M, St#st{paused = P#{probe := N + 1}})
    end;
raw(_M, #st{tripped = true, paused = #{} = P} = St) ->
    St#st{paused = P#{dropped := maps:get(dropped, P) + 1}}; % in flight at the trip
raw(_M, #st{tripped = true} = St) -> St;
raw(M, St) -> counted(M, St).

counted(M, St) ->
    case mailroom_rate:hit(St#st.rate) of
        {ok, Rate} -> raw1(M, St#st{rate = Rate});
        {trip, Why} -> trip(Why, St)
    end.

%% The bulk of a flood (sends to a pid, receives, calls and returns) is counted and buffered with
%% the count and the buffer carried along, not put back into the collector's state at each
%% (rebuilding it took a third of the collector's time under eprof), and the next trace
%% messages are taken from the queue while there are some, up to a batch. Anything else goes
%% the general way.
fast(M, Rate, Buf, N, St) ->
    case bulk(M) of
        none -> counted(M, St#st{rate = Rate, buf = Buf, nbuf = N});
        P ->
            case mailroom_rate:hit(Rate) of
                {trip, Why} -> trip(Why, St#st{rate = Rate, buf = Buf, nbuf = N});
                {ok, Rate1} ->
                    {Buf1, N1} = case get({mailroom_internal, P}) of
                                     true -> {Buf, N};
                                     _ ->
                                         St#st.premark andalso mark(M),
                                         {[{element(tuple_size(M), M), M} | Buf], N + 1}
                                 end,
                    case N1 > 500 of
                        true -> pass_on(St#st{rate = Rate1, buf = Buf1, nbuf = N1});
                        false ->
                            receive
                                M2 when element(1, M2) =:= trace_ts -> fast(M2, Rate1, Buf1, N1, St)
                            after 0 -> St#st{rate = Rate1, buf = Buf1, nbuf = N1}
                            end
                    end
            end
    end.

%% The process a bulk trace message is about, or none for one that needs more than buffering.
bulk({trace_ts, P, send, _, To, _}) when is_pid(To) -> P;
bulk({trace_ts, P, 'receive', _, _}) -> P;
bulk({trace_ts, _, call, {erlang, send_after, _}, _}) -> none;
bulk({trace_ts, P, call, _, _}) -> P;
bulk({trace_ts, P, return_from, _, _, _}) -> P;
bulk(_) -> none.

raw1({trace_ts, _Parent, spawn, Child, MFA, Ts} = M, St) ->
    case mailroom_filter:compiler_spawn(MFA) of
        true ->
            catch erlang:trace(Child, false, [all]),
            mailroom_filter:remember_internal(Child, true),
            St;
        false -> raw_spawn(Child, MFA, Ts, M, St)
    end;
raw1({trace_ts, P, _, _, _} = M, St) ->
    raw_internal(P, M, St);
raw1({trace_ts, P, _, _, _, _} = M, St) ->
    raw_internal(P, M, St).

raw_internal(P, M, St) ->
    case get({mailroom_internal, P}) of
        true -> St;
        _ ->
            St#st.premark andalso mark(M),
            raw2(M, St)
    end.

raw_spawn(Child, MFA, Ts, M, St) ->
    case mailroom_events:label(MFA) of
        {server, Mod} -> add(Ts, M, St#st{servers = maps:put(Child, Mod, St#st.servers)});
        _ -> add(Ts, M, St)
    end.

raw2({trace_ts, P, send, Msg, To, Ts}, St) when is_atom(To) ->
    add(Ts, {trace_ts, P, send, Msg, resolve(To), Ts}, St);
raw2({trace_ts, P, send, Msg, {Name, Node}, Ts}, St) when is_atom(Name), Node =:= node() ->
    add(Ts, {trace_ts, P, send, Msg, resolve(Name), Ts}, St);

raw2({trace_ts, P, call, {erlang, send_after, [T, Dest, Msg | _]}, Ts}, St) when is_atom(Dest) ->
    add(Ts, {trace_ts, P, call, {erlang, send_after, [T, resolve(Dest), Msg]}, Ts}, St);
raw2(M, St) ->
    add(element(tuple_size(M), M), M, St).

%% The writer, on another node, cannot ask what a pid of this node is: the collector tells it,
%% once a pid, before the batch that names it (mailroom_filter:remember_internal/2).
mark({trace_ts, _, send, _, To, _}) -> mark_pid(To);
mark({trace_ts, _, send_to_non_existing_process, _, To, _}) -> mark_pid(To);
mark({trace_ts, _, Link, O, _}) when Link =:= link; Link =:= unlink; Link =:= getting_linked -> mark_pid(O);
mark({trace_ts, _, 'receive', {'EXIT', S, _}, _}) -> mark_pid(S);
mark({trace_ts, _, 'receive', {ack, S, _}, _}) -> mark_pid(S);
mark({trace_ts, _, 'receive', {'DOWN', _, process, S, _}, _}) -> mark_pid(S);
mark(_) -> ok.

mark_pid(P) when is_pid(P), node(P) =:= node() -> _ = mailroom_filter:internal(P), ok;
mark_pid(_) -> ok.

resolve(Name) ->
    case whereis(Name) of
        undefined -> Name;
        Pid -> Pid
    end.

%% The collector passes items on in batches; the writer buffers them until the cut.
add(_Ts, _Item, #st{tripped = true} = St) -> St; % switched off: state reports too
add(Ts, Item, #st{nbuf = N} = St) when N >= 500 -> pass_on(St#st{buf = [{Ts, Item} | St#st.buf], nbuf = N + 1});
add(Ts, Item, #st{nbuf = N} = St) -> St#st{buf = [{Ts, Item} | St#st.buf], nbuf = N + 1}.

pass_on(#st{buf = []} = St) -> St;
pass_on(#st{paused = #{probe := N}} = St) when is_integer(N) -> St; % a trial's, kept back
pass_on(St) ->
    St#st.writer ! {items, self(), St#st.buf},
    St#st{buf = [], nbuf = 0}.

%% Too much: every flag off at once, what came before written, and the record says why (a
%% trace_flag event of the tracer's own, pid 0, and a status line). The processes watched are
%% remembered: when the flood is over (a trial watch finds the rate within the limit), they are
%% watched again.
trip(Why, St) ->
    St#st.writer ! {tripped, self()}, % a cluster's other nodes pause too
    pause(Why, true, St).

%% Why: {rate | backlog, Count, Limit}, or undefined when another node's collector tripped.
pause(_Why, _Leader, #st{paused = #{}} = St) -> St;
pause(Why, Leader, St) ->
    %% Stamped before the flags go off: switching them off walks every process of the node.
    Ts = stamp(),
    Tracees = our_tracees(),
    untrace_all(),
    St1 = pass_on(add(Ts, {paused, node(), Why}, St)),
    Leader andalso erlang:send_after(?FIRST_BACKOFF_MS, self(), probe),
    St1#st{tripped = true,
           paused = #{since => erlang:monotonic_time(millisecond), tracees => Tracees, dropped => 0,
                      probes => 0, backoff => ?FIRST_BACKOFF_MS, leader => Leader, probe => undefined,
                      probe_ts => undefined}}.

%% A trial watch: the processes of before (those still alive) traced again for PROBE_MS, what
%% they do kept back: written if the rate stays within the limit, dropped if not.
probe(#st{tripped = true, paused = #{probe := undefined} = P} = St) ->
    Ts = stamp(),
    retrace(maps:get(tracees, P), St),
    erlang:send_after(?PROBE_MS, self(), probe_end),
    St#st{tripped = false, paused = P#{probe := 0, probe_ts := Ts}};
probe(St) -> St.

%% Still too much: off again, what the trial saw dropped, the next trial after twice as long.
probe_failed(#st{paused = P} = St) ->
    untrace_all(),
    Backoff = min(2 * maps:get(backoff, P), ?MAX_BACKOFF_MS),
    erlang:send_after(Backoff, self(), probe),
    St#st{tripped = true, buf = [], nbuf = 0,
          paused = P#{probe := undefined, backoff := Backoff, probes := maps:get(probes, P) + 1,
                      dropped := maps:get(dropped, P) + maps:get(probe, P) + 1}}.

%% The trial passed: the watch goes on from the trial's start, and the record says what it
%% missed before it.
probe_end(#st{paused = #{probe := N}} = St) when is_integer(N) ->
    St#st.writer ! {resumed, self()},
    resumed(St);
probe_end(St) -> St.

%% Told by the cluster's writer: the node whose collector tripped watches again.
resume(#st{tripped = true, paused = #{leader := false} = P} = St) ->
    Ts = stamp(),
    retrace(maps:get(tracees, P), St),
    resumed(St#st{paused = P#{probe_ts := Ts}});
resume(St) -> St.

resumed(#st{paused = P} = St) ->
    Tracees = maps:get(tracees, P),
    Gone = length([T || T <- Tracees, not is_process_alive(T)]),
    Since = maps:get(since, P),
    {Mono, _} = Ts = maps:get(probe_ts, P),
    Missed = #{ms => Mono div 1000000 - Since, dropped => maps:get(dropped, P),
               exited => Gone, probes => maps:get(probes, P) + 1, leader => maps:get(leader, P)},
    St1 = St#st{tripped = false, paused = undefined,
                rate = mailroom_rate:new(mailroom_rate:limit(St#st.rate))},
    St2 = pass_on(add(Ts, {resumed, node(), Missed}, St1)),
    %% The states of the GenServers now, as an attach reports them.
    [report_state(S, St2) || S <- maps:keys(St2#st.servers), lists:member(S, Tracees), is_process_alive(S)],
    St2.

retrace(Tracees, St) ->
    [catch erlang:trace(T, true, [{tracer, self()} | ?FLAGS]) || T <- Tracees],
    set_patterns(St),
    ok.

set_patterns(_St) ->
    [erlang:trace_pattern(MFA, [{'_', [], [{return_trace}]}], [global]) || MFA <- ?TIMER_MFAS],
    [erlang:trace_pattern(MFA, [{'_', [], [{return_trace}]}], [local]) || MFA <- gen_mfas()],
    ok.

tick(#st{pending = undefined} = St) ->
    T = erlang:monotonic_time(nanosecond),
    pass_on(St#st{pending = {erlang:trace_delivered(all), T}});
tick(St) -> pass_on(St).

%% Everything traced before the previous round's start is here now (state reports, sent by the
%% servers themselves, get a round of slack: they are stamped before they are sent).
delivered(Ref, #st{pending = {Ref, T}} = St) ->
    St1 = pass_on(St),
    case St#st.prev_cut of
        undefined -> ok;
        Cut -> St1#st.writer ! {cut, self(), Cut}
    end,
    St1#st{pending = undefined, prev_cut = T};
delivered(_, St) -> St.

%% ---------------------------------------------------------------------------------------------
%% Watching and leaving

do_watch(Servers, St) ->
    lists:foldl(
      fun({P, Mod}, S) ->
              case erlang:trace(P, true, [{tracer, self()} | ?FLAGS]) of
                  1 ->
                      Name = case process_info(P, registered_name) of
                                 {registered_name, N} -> N;
                                 _ -> undefined
                             end,
                      S1 = add(stamp(), {watched, P, Mod, Name}, S),
                      case Mod of
                          undefined -> S1;
                          _ -> report_state(P, S1), S1#st{servers = maps:put(P, Mod, S1#st.servers)}
                      end;
                  _ -> S
              end
      end, St, Servers).

%% An attached GenServer's state, as it is between two handlers: the system request that
%% sys:replace_state/2 sends, without waiting, with a function that reports the state and
%% changes nothing.
report_state(P, St) ->
    Tracer = self(),
    P ! {system, {Tracer, St#st.systag}, {replace_state, fun(S) -> Tracer ! {mailroom_init, self(), stamp(), S}, S end}},
    ok.

server_module(P) ->
    case catch sys:get_status(P, 500) of
        {status, P, {module, gen_server}, _} ->
            case process_info(P, dictionary) of
                {dictionary, D} ->
                    case proplists:get_value('$initial_call', D) of
                        {Mod, init, 1} -> Mod;
                        {supervisor, _, 1} -> supervisor; % as a supervisor spawned while watched
                        _ -> gen_server
                    end;
                _ -> undefined
            end;
        _ -> undefined
    end.

our_tracees() ->
    Self = self(),
    [P || P <- processes(), erlang:trace_info(P, tracer) =:= {tracer, Self}].

untrace_all() ->
    [catch erlang:trace(P, false, [all]) || P <- our_tracees()],
    [erlang:trace_pattern(MFA, false, [global]) || MFA <- ?TIMER_MFAS],
    [erlang:trace_pattern(MFA, false, [local]) || MFA <- gen_mfas()],
    ok.

%% The gen_server functions this collector call-traces: none in messages-only mode, which leaves
%% a user's own patterns on them alone.
gen_mfas() ->
    case get(mailroom_handlers) of
        false -> [];
        _ -> ?GEN_MFAS
    end.

%% The end of a watch: flags off, the rest written in order.
finish(St0) ->
    %% A trial watch under way has passed: what it saw is written.
    St = probe_end(St0),
    %% A server in a handler ends it (traced) before it answers this.
    St#st.handlers andalso lists:foreach(fun(P) -> sync_server(P, 200) end, maps:keys(St#st.servers)),
    untrace_all(),
    Ref = erlang:trace_delivered(all),
    pass_on(drain(Ref, St)).

%% What sys:get_state/2 asks, with the reply to our pid (not an alias), so the writer knows it
%% for ours.
sync_server(P, Timeout) ->
    Ref = monitor(process, P),
    P ! {system, {self(), Ref}, get_state},
    receive
        {Ref, _} -> ok;
        {'DOWN', Ref, process, _, _} -> ok
    after Timeout -> ok
    end,
    demonitor(Ref, [flush]).

drain(Ref, St) ->
    receive
        {trace_delivered, all, Ref} -> drain_rest(St);
        M when element(1, M) =:= trace_ts -> drain(Ref, raw(M, St));
        {mailroom_init, P, Ts, State} -> drain(Ref, add(Ts, {init, P, State}, St))
    after 5000 -> St
    end.

drain_rest(St) ->
    receive
        M when element(1, M) =:= trace_ts -> drain_rest(raw(M, St));
        {mailroom_init, P, Ts, State} -> drain_rest(add(Ts, {init, P, State}, St))
    after 0 -> St
    end.

%% The reader died: nothing to write to; remove what we set and go. Loaded over distribution
%% (attach), the modules go too: this process runs one, so another purges them, which ends the
%% tracer's two processes if they have not ended yet, with nothing left to do.
detach(#st{unload = Unload} = St) ->
    untrace_all(),
    St#st.own_writer andalso (St#st.writer ! close),
    case Unload of
        true ->
            Modules = node_modules(),
            [code:delete(M) || M <- Modules],
            %% lists:foreach with an external fun: the purger runs none of the modules it purges.
            spawn(lists, foreach, [fun code:purge/1, Modules]);
        false -> ok
    end,
    exit(normal).
