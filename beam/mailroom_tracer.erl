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
%% Trace messages arrive out of order (a receive before its send), so events wait in a buffer
%% until erlang:trace_delivered/1 says that all before a cut have come, and leave it sorted by
%% their timestamps. docs/beam.md says what is seen, what is not and why.
%%
%% Protection of the watched node: above `rate_limit` events a second (or a backlog of as many)
%% the tracer switches every trace flag off by itself and says so in the stream; terms are cut
%% at `term_cap` bytes of JSON; on stop, or when the process that started it dies, every trace
%% flag and trace pattern it set is removed.
-module(mailroom_tracer).

-export([start/1, watch/2, stop/1, stop/2, script_boot/0, attach_cli/1, list_cli/1,
         start_remote/2, encode_term/2]).

-define(TICK_MS, 25).
-define(CUT_ATOM, 'mailroom:cut').
-define(QUEUE_CAP, 10000).
-define(FLAGS, [send, 'receive', procs, call, set_on_spawn, strict_monotonic_timestamp]).
-define(TIMER_MFAS, [{erlang, send_after, '_'}, {erlang, cancel_timer, '_'}, {erlang, monitor, 3},
                     {erlang, alias, '_'}]).
%% Where a GenServer runs its callbacks: a call to these in a traced process is a handler's
%% begin, with the message and the state; its return, the result with the new state.
-define(GEN_MFAS, [{gen_server, try_handle_call, 4}, {gen_server, try_dispatch, 4}, {gen_server, init_it, 2}]).

%% Processes of OTP and Elixir whose traffic is the BEAM's own (docs/beam.md, "filtered").
-define(INTERNAL_NAMES,
        [code_server, erl_prim_loader, init, user, standard_error, standard_error_sup,
         application_controller, kernel_sup, logger, logger_sup, logger_handler_watcher,
         logger_proxy, logger_std_h_default, error_logger, file_server_2, global_name_server,
         inet_db, erts_code_purger, rex, global_group, net_kernel, auth, erl_epmd,
         'Elixir.Logger', 'Elixir.Logger.Supervisor', 'Elixir.Logger.Watcher',
         'Elixir.Logger.BackendSupervisor', elixir_config, elixir_code_server, elixir_sup]).

-record(st, {
    out,                 % {file, Fd} | {pid, Collector}
    owner,               % the process whose death detaches (linked), or undefined
    unload = false,      % on detach, delete and purge this module (it was loaded by attach)
    t0,                  % monotonic ns at start: time 0 of the record
    limit,               % events per second before the tracer stops itself
    cap,                 % bytes of JSON per term
    only_watched = false,% keep only what happens between watched processes (script mode)
    root_label,          % label of the processes watched by watch/2 that are no GenServer
    systag,              % the tag of our own system requests, whose replies we drop
    buf = [],            % raw items {Ts, Item} not yet written
    prev_cut = undefined,% items before this monotonic ns are all here
    pending = undefined, % {Ref, T} of a trace_delivered in flight
    seq = 0,
    watched = #{},       % pid => true: traced by us
    servers = #{},       % pid => module: a GenServer watched
    queues = #{},        % receiver => queue of {Msg, Seq, Kind, Sender}
    calls = #{},         % call tag => {Caller, Server, Kind, timed_out | waiting}
    blocked = #{},       % caller => {Server, Tag, Kind}
    current = #{},       % server => {Kind, Sender, Seq}: the handler running
    states = #{},        % server => its last state seen
    timers = #{},        % timer ref => {Id, Setter, Dest, Msg}
    timer_calls = #{},   % pid => {send_after, T, Dest, Msg, Ts} | {cancel, TRef}
    timer_seq = 0,
    internal = #{},      % pid => boolean, cache of internal/1
    names = #{},         % atom => pid, names seen registered
    aliases = #{},       % alias reference => the process it names (from erlang:alias, monitor/3)
    window = 0,          % rate limit: the start of the current second (ms) ...
    count = 0,           % ... and the trace messages in it
    tripped = false,
    writer,              % the writer process (the collector's field)
    nbuf = 0,            % items in buf (the collector's)
    lines = []           % encoded lines waiting to be written (reversed)
}).

%% ---------------------------------------------------------------------------------------------
%% API

%% Starts the tracer on this node. Options (a map): out => {file, Path} | {pid, Pid},
%% rate_limit => events/s (default 50000), term_cap => bytes (default 8192), owner => pid
%% (linked: its death detaches), only_watched => boolean, root_label => atom.
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
    {ok, Tracer} = start(#{out => {file, "/dev/fd/" ++ integer_to_list(Fd)}, rate_limit => Limit,
                           term_cap => Cap, only_watched => true,
                           root_label => iex}),
    Self = self(),
    %% The node halts after the script; there is nothing to clean, only the stream to end.
    'Elixir.System':at_exit(fun(_Status) -> _ = stop(Tracer, 5000) end),
    ok = watch(Tracer, [Self]),
    Tracer.

stamp() -> {erlang:monotonic_time(nanosecond), erlang:unique_integer([monotonic])}.

%% ---------------------------------------------------------------------------------------------
%% The tracer process

%% Two processes share the work, so that the tracer proper keeps up: the collector takes every
%% trace message as it comes, counts it and passes it on in batches; the writer sorts,
%% interprets, encodes and writes.
init(Parent, Opts) ->
    process_flag(trap_exit, true),
    process_flag(priority, high),
    Collector = self(),
    SysTag = make_ref(),
    Writer = spawn_opt(fun() -> writer_init(Collector, SysTag, Opts) end, [link, {message_queue_data, off_heap}]),
    receive
        {Writer, opened} -> ok;
        {Writer, {error, _} = E} -> Parent ! {self(), E}, exit(normal)
    end,
    put(mailroom_writer, Writer),
    Out = {pid, Writer},
    Owner = maps:get(owner, Opts, undefined),
    is_pid(Owner) andalso link(Owner),
    St = #st{out = Out, owner = Owner, unload = maps:get(unload_on_detach, Opts, false),
             t0 = erlang:monotonic_time(nanosecond),
             limit = maps:get(rate_limit, Opts, 50000), cap = maps:get(term_cap, Opts, 8192),
             only_watched = maps:get(only_watched, Opts, false),
             root_label = maps:get(root_label, Opts, []),
             systag = SysTag, window = erlang:monotonic_time(millisecond), writer = Writer},
    [erlang:trace_pattern(MFA, [{'_', [], [{return_trace}]}], [global]) || MFA <- ?TIMER_MFAS],
    [erlang:trace_pattern(MFA, [{'_', [], [{return_trace}]}], [local]) || MFA <- ?GEN_MFAS],
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
            Writer ! {finish, From, Ref},
            receive {'EXIT', Writer, _} -> ok after 30000 -> ok end;
        {'EXIT', Owner, _} when Owner =:= St#st.owner ->
            detach(St); % whoever reads the stream is gone: leave the node as it was
        {'EXIT', Writer, _} when Writer =:= St#st.writer ->
            detach(St); % the stream cannot be written any more
        {Tag, _} when Tag =:= St#st.systag -> loop(St);
        _ -> loop(St)
    end.

%% A trace message as it arrives: counted for the rate limit, a name resolved while it still
%% names the same process, a process of Elixir's compiler let go; then passed on.
raw(_M, #st{tripped = true} = St) -> St;
raw(M, St0) ->
    St = rate(St0),
    case St#st.tripped of
        true -> St;
        false -> raw1(M, St)
    end.

raw1({trace_ts, _Parent, spawn, Child, MFA, Ts} = M, St) ->
    case compiler_spawn(MFA) of
        true ->
            catch erlang:trace(Child, false, [all]),
            remember_internal(Child, true),
            St;
        false -> raw_spawn(Child, MFA, Ts, M, St)
    end;
raw1({trace_ts, P, _, _, _} = M, St) ->
    raw_internal(P, M, St);
raw1({trace_ts, P, _, _, _, _} = M, St) ->
    raw_internal(P, M, St).

%% What Elixir's compiler runs for the script is no part of it.
compiler_spawn({erlang, apply, [F, _]}) when is_function(F) ->
    compiler_module(element(2, erlang:fun_info(F, module)));
compiler_spawn({proc_lib, init_p, [_, _, gen, init_it, [gen_server, _, _, Mod, _, _]]}) ->
    compiler_module(Mod);
compiler_spawn({proc_lib, init_p, [_, _, gen, init_it, [gen_server, _, _, _, Mod, _, _]]}) ->
    compiler_module(Mod);
compiler_spawn({M, _, _}) -> compiler_module(M);
compiler_spawn(_) -> false.

raw_internal(P, M, St) ->
    case get({mailroom_internal, P}) of
        true -> St;
        _ -> raw2(M, St)
    end.

raw_spawn(Child, MFA, Ts, M, St) ->
    case label(MFA) of
        {server, Mod} -> add(Ts, M, St#st{servers = maps:put(Child, Mod, St#st.servers)});
        _ -> add(Ts, M, St)
    end.

raw2({trace_ts, P, send, Msg, To, Ts}, St) when is_atom(To) ->
    raw_send(P, Msg, resolve(To, St), Ts, St);
raw2({trace_ts, P, send, Msg, {Name, Node}, Ts}, St) when is_atom(Name), Node =:= node() ->
    raw_send(P, Msg, resolve(Name, St), Ts, St);
raw2({trace_ts, P, send, Msg, To, Ts}, St) ->
    raw_send(P, Msg, To, Ts, St);
raw2({trace_ts, P, call, {erlang, send_after, [T, Dest, Msg | _]}, Ts}, St) when is_atom(Dest) ->
    add(Ts, {trace_ts, P, call, {erlang, send_after, [T, resolve(Dest, St), Msg]}, Ts}, St);
raw2(M, St) ->
    add(element(tuple_size(M), M), M, St).

raw_send(P, Msg, To, Ts, St) ->
    add(Ts, {trace_ts, P, send, Msg, To, Ts}, St).

resolve(Name, _St) ->
    case whereis(Name) of
        undefined -> Name;
        Pid -> Pid
    end.

%% The collector passes items on in batches; the writer buffers them until the cut.
add(_Ts, _Item, #st{tripped = true} = St) -> St; % switched off: state reports too
add(Ts, Item, #st{writer = undefined} = St) -> St#st{buf = [{Ts, Item} | St#st.buf]};
add(Ts, Item, #st{nbuf = N} = St) when N >= 500 -> pass_on(St#st{buf = [{Ts, Item} | St#st.buf], nbuf = N + 1});
add(Ts, Item, #st{nbuf = N} = St) -> St#st{buf = [{Ts, Item} | St#st.buf], nbuf = N + 1}.

pass_on(#st{buf = []} = St) -> St;
pass_on(St) ->
    St#st.writer ! {items, St#st.buf},
    St#st{buf = [], nbuf = 0}.

rate(#st{count = C, limit = Limit, window = W} = St) ->
    C1 = C + 1,
    case C1 band 1023 of
        0 ->
            Now = erlang:monotonic_time(millisecond),
            {message_queue_len, Q} = process_info(self(), message_queue_len),
            if
                Q > Limit -> trip(backlog, Q, St);
                Now - W >= 1000 -> St#st{count = 0, window = Now};
                C1 > Limit -> trip(rate, C1, St);
                true -> St#st{count = C1}
            end;
        _ when C1 > Limit ->
            Now = erlang:monotonic_time(millisecond),
            if
                Now - W >= 1000 -> St#st{count = 0, window = Now};
                true -> trip(rate, C1, St)
            end;
        _ -> St#st{count = C1}
    end.

%% Too much: every flag off at once, what came before written, and the stream says why.
trip(Why, N, St) ->
    untrace_all(St),
    St1 = pass_on(St#st{tripped = true}),
    Fields = case Why of
                 rate -> [{<<"reason">>, <<"\"rate\"">>}, {<<"events">>, N}, {<<"limit">>, St#st.limit}];
                 backlog -> [{<<"reason">>, <<"\"backlog\"">>}, {<<"queued">>, N}, {<<"limit">>, St#st.limit}]
             end,
    St1#st.writer ! {tripped, status_line(<<"stopped">>, Fields)},
    St1.

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
        Cut -> St1#st.writer ! {cut, Cut}
    end,
    St1#st{pending = undefined, prev_cut = T};
delivered(_, St) -> St.

%% ---------------------------------------------------------------------------------------------
%% The writer process

writer_init(Collector, SysTag, Opts) ->
    Out = case maps:get(out, Opts) of
              {file, Path} ->
                  case file:open(Path, [write, raw, binary, {delayed_write, 65536, 20}]) of
                      {ok, Fd} -> {file, Fd};
                      {error, Why} -> Collector ! {self(), {error, {cannot_open, Path, Why}}}, exit(normal)
                  end;
              {pid, P} -> {pid, P}
          end,
    Collector ! {self(), opened},
    %% In the writer, `owner` is the collector: traffic to it, or under its tag, is ours.
    writer_loop(#st{out = Out, owner = Collector, systag = SysTag,
                    t0 = erlang:monotonic_time(nanosecond), cap = maps:get(term_cap, Opts, 8192),
                    only_watched = maps:get(only_watched, Opts, false),
                    root_label = maps:get(root_label, Opts, [])}).

writer_loop(St) ->
    receive
        {items, Items} -> writer_loop(St#st{buf = Items ++ St#st.buf});
        {mark, P, B} -> put({mailroom_internal, P}, B), writer_loop(St);
        {cut, Cut} -> writer_loop(flush(Cut, St));
        {tripped, Line} ->
            St1 = flush(infinity, St),
            write_line(Line, St1),
            writer_loop(St1);
        {finish, From, Ref} ->
            St1 = flush(infinity, St),
            write_line(status_line(<<"end">>, [{<<"events">>, St1#st.seq}]), St1),
            close(St1),
            From ! {Ref, ok};
        close -> close(St)
    end.

flush(Cut, St) ->
    {Ready, Rest} = case Cut of
                        infinity -> {St#st.buf, []};
                        _ -> lists:partition(fun({{Mono, _}, _}) -> Mono < Cut end, St#st.buf)
                    end,
    St1 = lists:foldl(fun({Ts, Item}, S) -> interpret(Item, Ts, S) end,
                      St#st{buf = Rest}, lists:keysort(1, Ready)),
    write_lines(St1).

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

untrace_all(_St) ->
    [catch erlang:trace(P, false, [all]) || P <- our_tracees()],
    [erlang:trace_pattern(MFA, false, [global]) || MFA <- ?TIMER_MFAS],
    [erlang:trace_pattern(MFA, false, [local]) || MFA <- ?GEN_MFAS],
    ok.

%% The end of a watch: flags off, the rest written in order.
finish(St) ->
    %% A server in a handler ends it (traced) before it answers this.
    [sync_server(P, 200) || P <- maps:keys(St#st.servers)],
    untrace_all(St),
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
%% (attach), the module goes too: this process runs it, so another purges it, which ends the
%% tracer's two processes if they have not ended yet, with nothing left to do.
detach(#st{unload = Unload} = St) ->
    untrace_all(St),
    St#st.writer ! close,
    case Unload of
        true ->
            code:delete(?MODULE),
            spawn(code, purge, [?MODULE]);
        false -> ok
    end,
    exit(normal).

close(#st{out = {file, Fd}}) -> file:close(Fd);
close(#st{out = {pid, P}}) -> P ! {mailroom_closed, self()}, ok.

%% ---------------------------------------------------------------------------------------------
%% From trace messages to events, in timestamp order

interpret({trace_ts, Parent, spawn, Child, MFA, _}, Ts, St) ->
    {Label, Servers} = case label(MFA) of
                           {server, Mod} -> {elixir_label(Mod), maps:put(Child, Mod, St#st.servers)};
                           {plain, Mod} -> {elixir_label(Mod), St#st.servers}
                       end,
    St1 = St#st{watched = maps:put(Child, true, St#st.watched), servers = Servers},
    emit(spawn, info, 0, Child, Parent, 0, Label, [], time(Ts, St), St1);
interpret({watched, P, Mod, Name}, Ts, St) ->
    T = time(Ts, St),
    {Label, Servers} = case Mod of
                           undefined -> {St#st.root_label, St#st.servers};
                           _ -> {elixir_label(Mod), maps:put(P, Mod, St#st.servers)}
                       end,
    St1 = emit(spawn, info, 0, P, 0, 0, Label, [], T, St#st{watched = maps:put(P, true, St#st.watched),
                                                            servers = Servers}),
    case Name of
        undefined -> St1;
        _ -> emit(register, info, 0, P, 0, 0, Name, [], T, St1#st{names = maps:put(Name, P, St1#st.names)})
    end;
interpret({trace_ts, P, exit, Reason, _}, Ts, St) ->
    T = time(Ts, St),
    St1 = case maps:take(P, St#st.current) of
              {{Kind, Sender, Seq}, Cur} ->
                  Shape = case crash_reason(Reason) of true -> crash; false -> stop end,
                  Flags = case Shape of crash -> 8; stop -> 0 end,
                  emit(handler_end, Kind, Flags, P, Sender, Seq, maps:get(P, St#st.states, []), Shape, T,
                       St#st{current = Cur});
              error -> St
          end,
    St2 = emit(exit, info, case Reason of normal -> 0; _ -> 8 end, P, 0, 0, Reason, [], T, St1),
    forget(P, St2);
interpret({trace_ts, P, link, O, _}, Ts, St) ->
    case internal(O, St) orelse unwatched(O, St) of
        true -> St;
        false -> emit(link, info, 0, P, O, 0, [], [], time(Ts, St), St)
    end;
interpret({trace_ts, P, getting_linked, O, _}, Ts, St) ->
    case maps:is_key(O, St#st.watched) orelse internal(O, St) orelse unwatched(O, St) of
        true -> St; % its own link event says it
        false -> emit(link, info, 0, O, P, 0, [], [], time(Ts, St), St)
    end;
interpret({trace_ts, P, unlink, O, _}, Ts, St) ->
    case internal(O, St) orelse unwatched(O, St) of
        true -> St;
        false -> emit(unlink, info, 0, P, O, 0, [], [], time(Ts, St), St)
    end;
interpret({trace_ts, P, register, Name, _}, Ts, St) ->
    emit(register, info, 0, P, 0, 0, Name, [], time(Ts, St), St#st{names = maps:put(Name, P, St#st.names)});
interpret({trace_ts, P, unregister, Name, _}, Ts, St) ->
    emit(unregister, info, 0, P, 0, 0, Name, [], time(Ts, St), St);
interpret({trace_ts, P, send, Msg, To, _}, Ts, St) ->
    send_event(P, Msg, To, 0, time(Ts, St), St);
interpret({trace_ts, P, send_to_non_existing_process, Msg, To, _}, Ts, St) ->
    send_event(P, Msg, To, 1, time(Ts, St), St);
interpret({trace_ts, P, 'receive', Msg, _}, Ts, St) ->
    receive_event(P, Msg, time(Ts, St), St);
interpret({trace_ts, P, call, {erlang, send_after, [T, Dest, Msg | _]}, _}, Ts, St) ->
    St#st{timer_calls = maps:put(P, {send_after, T, Dest, Msg, time(Ts, St)}, St#st.timer_calls)};
interpret({trace_ts, P, call, {erlang, cancel_timer, [TRef | _]}, _}, _Ts, St) ->
    St#st{timer_calls = maps:put(P, {cancel, TRef}, St#st.timer_calls)};
interpret({trace_ts, P, return_from, {erlang, send_after, _}, TRef, _}, _Ts, St) ->
    case maps:take(P, St#st.timer_calls) of
        {{send_after, Ms, Dest, Msg, T}, Calls} ->
            Id = St#st.timer_seq + 1,
            DestPid = case Dest of
                          _ when is_pid(Dest) -> Dest;
                          _ -> maps:get(Dest, St#st.names, Dest)
                      end,
            St1 = St#st{timer_calls = Calls, timer_seq = Id,
                        timers = maps:put(TRef, {Id, P, DestPid, Msg}, St#st.timers)},
            emit(timer_set, info, 0, P, DestPid, Id, Msg, T + Ms * 1000000, T, St1);
        _ -> St
    end;
interpret({trace_ts, P, return_from, {erlang, F, _}, Ref, _}, _Ts, St)
  when (F =:= monitor orelse F =:= alias), is_reference(Ref) ->
    Aliases = case map_size(St#st.aliases) >= 100000 of
                  true -> #{};
                  false -> St#st.aliases
              end,
    St#st{aliases = maps:put(Ref, P, Aliases)};
interpret({trace_ts, P, return_from, {erlang, cancel_timer, _}, Ret, _}, Ts, St) ->
    case maps:take(P, St#st.timer_calls) of
        {{cancel, TRef}, Calls} ->
            St1 = St#st{timer_calls = Calls},
            case maps:take(TRef, St1#st.timers) of
                {{Id, Setter, _, _}, Timers} when is_integer(Ret) ->
                    emit(timer_cancel, info, 0, Setter, 0, Id, [], [], time(Ts, St), St1#st{timers = Timers});
                _ -> St1
            end;
        _ -> St
    end;
interpret({trace_ts, P, call, {gen_server, try_handle_call, [_Mod, Req, From, State]}, _}, Ts, St) ->
    handler_begin(P, {'$gen_call', From, Req}, State, time(Ts, St), St);
interpret({trace_ts, P, call, {gen_server, try_dispatch, [_Mod, handle_cast, Msg, State]}, _}, Ts, St) ->
    handler_begin(P, {'$gen_cast', Msg}, State, time(Ts, St), St);
interpret({trace_ts, P, call, {gen_server, try_dispatch, [_Mod, _, Msg, State]}, _}, Ts, St) ->
    handler_begin(P, Msg, State, time(Ts, St), St);
interpret({trace_ts, P, return_from, {gen_server, F, 4}, Ret, _}, Ts, St)
  when F =:= try_handle_call; F =:= try_dispatch ->
    handler_result(P, Ret, time(Ts, St), St);
interpret({trace_ts, P, return_from, {gen_server, init_it, 2}, {ok, Ok}, _}, Ts, St)
  when element(1, Ok) =:= ok, tuple_size(Ok) >= 2 ->
    interpret({init, P, element(2, Ok)}, Ts, St);
interpret({init, P, State}, Ts, St) ->
    Mod = elixir_label(maps:get(P, St#st.servers, [])),
    emit(state_init, info, 0, P, 0, 0, State, Mod, time(Ts, St), St#st{states = maps:put(P, State, St#st.states)});
interpret(_, _, St) ->
    St.

time({Mono, _}, St) -> Mono - St#st.t0.

forget(P, St) ->
    Calls = maps:filter(fun(_, {Caller, _, _, _}) -> Caller =/= P end, St#st.calls),
    %% It stays among the watched: a message sent to it after its exit is still the script's.
    St#st{servers = maps:remove(P, St#st.servers),
          queues = maps:remove(P, St#st.queues), blocked = maps:remove(P, St#st.blocked),
          states = maps:remove(P, St#st.states), timer_calls = maps:remove(P, St#st.timer_calls),
          internal = maps:remove(P, St#st.internal), calls = Calls}.

%% The BEAM tells a handler's {:stop, reason, state} from a crash by nothing but the reason:
%% normal, shutdown and {shutdown, _} are taken as a stop, anything else as a crash.
crash_reason(normal) -> false;
crash_reason(shutdown) -> false;
crash_reason({shutdown, _}) -> false;
crash_reason(_) -> true.

send_event(P, Msg, To0, Flags, T, St) ->
    To = case To0 of
             _ when is_reference(To0) -> % a reply to an alias: the caller it names
                 case maps:get(To0, St#st.calls, undefined) of
                     {Caller, _, _, _} -> Caller;
                     undefined -> maps:get(To0, St#st.aliases, To0)
                 end;
             _ -> To0
         end,
    case ours(To, St) orelse (unwatched(To, St) andalso not is_output(Msg)) orelse drop_send(Msg, To, St) of
        true -> St;
        {output, Text} -> emit(output, info, 0, P, 0, 0, Text, [], T, St);
        false ->
            case classify(Msg, P, St) of
                {call, Kind, Tag} ->
                    Blocked = maps:put(P, {To, Tag, Kind}, St#st.blocked),
                    Calls = maps:put(Tag, {P, To, Kind, waiting}, St#st.calls),
                    St1 = emit(block_begin, Kind, 0, P, To, 0, call, -1, T, St#st{blocked = Blocked, calls = Calls}),
                    enqueue(P, To, Msg, Kind, Flags, 0, T, St1);
                info when is_reference(To0), is_tuple(Msg), tuple_size(Msg) =:= 2,
                          is_reference(element(1, Msg)) ->
                    %% {Ref, Value} to an alias: a reply (Task's, or a hand-made call's)
                    enqueue(P, To, Msg, reply, Flags, 0, T, St);
                Kind ->
                    enqueue(P, To, Msg, Kind, Flags, 0, T, forget_unseen(Msg, Kind, St))
            end
    end.

%% The reply to a caller we do not watch ends what we kept of its call.
forget_unseen({Tag0, _}, Kind, St) when Kind =:= reply; Kind =:= system ->
    Tag = tagref(Tag0),
    case maps:get(Tag, St#st.calls, undefined) of
        {_, _, _, unseen} -> St#st{calls = maps:remove(Tag, St#st.calls)};
        _ -> St
    end;
forget_unseen(_, _, St) -> St.

enqueue(P, To, Msg, Kind, Flags, TimerId, T, St) ->
    St1 = emit(send, Kind, Flags, P, To, TimerId, Msg, [], T, St),
    Seq = St1#st.seq,
    case Flags of
        0 when is_pid(To) ->
            Q0 = maps:get(To, St1#st.queues, queue:new()),
            Q1 = case queue:len(Q0) >= ?QUEUE_CAP of
                     true -> queue:drop(Q0);
                     false -> Q0
                 end,
            St1#st{queues = maps:put(To, queue:in({Msg, Seq, Kind, P}, Q1), St1#st.queues)};
        _ -> St1
    end.

classify({'$gen_call', {_, Tag}, _}, _P, _St) -> {call, call, tagref(Tag)};
classify({'$gen_cast', _}, _P, _St) -> cast;
classify({system, {_, Tag}, _}, _P, _St) -> {call, system, tagref(Tag)};
classify({ack, P, _}, P, _St) -> system; % proc_lib's start acknowledgement
classify({P, R, R, Ancestors, {_, _, _}}, P, _St) when is_reference(R), is_list(Ancestors) ->
    system; % Elixir's Task handing its process the work to do
classify({Tag, _}, _P, St) when is_reference(Tag); is_list(Tag) ->
    case maps:get(tagref(Tag), St#st.calls, undefined) of
        {_, _, call, _} -> reply;
        {_, _, system, _} -> system;
        undefined -> info
    end;
classify(_, _P, _St) -> info.

tagref([alias | Ref]) -> Ref;
tagref(Ref) -> Ref.

receive_event(P, Msg, T, St) ->
    case drop_receive(Msg, St) of
        true -> St;
        false -> receive_event1(P, Msg, T, St)
    end.

receive_event1(P, timeout, T, St) ->
    case maps:take(P, St#st.blocked) of
        {{Server, Tag, Kind}, Blocked} ->
            Calls = case maps:get(Tag, St#st.calls, undefined) of
                        {C, S, K, _} -> maps:put(Tag, {C, S, K, timed_out}, St#st.calls);
                        undefined -> St#st.calls
                    end,
            emit(block_end, Kind, 4, P, Server, 0, timeout, [], T, St#st{blocked = Blocked, calls = Calls});
        error -> St
    end;
receive_event1(P, {Tag0, Reply} = Msg, T, St) when is_reference(Tag0); is_list(Tag0) ->
    Tag = tagref(Tag0),
    case maps:get(Tag, St#st.calls, undefined) of
        {P, Server, Kind, Waiting} ->
            ReplyKind = case Kind of call -> reply; system -> system end,
            {Seq, Sender, _, St1} = take_sent(P, Msg, ReplyKind, Server, T, St),
            St2 = St1#st{calls = maps:remove(Tag, St1#st.calls)},
            case Waiting of
                waiting ->
                    St3 = emit(dequeue, ReplyKind, 0, P, Sender, Seq, [], [], T, St2),
                    emit(block_end, Kind, 0, P, Server, 0, ok, Reply, T, St3#st{blocked = maps:remove(P, St3#st.blocked)});
                timed_out ->
                    emit(dequeue, ReplyKind, 2, P, Sender, Seq, Msg, [], T, St2);
                unseen ->
                    emit(dequeue, ReplyKind, 0, P, Sender, Seq, [], [], T, St2)
            end;
        undefined when is_reference(Tag) ->
            case take_queued(P, Msg, St) of
                {ok, _, _} -> receive_plain(P, Msg, T, St);
                error -> St % the reply to a request not seen (a file's, the code server's): the BEAM's own
            end;
        _ -> receive_plain(P, Msg, T, St)
    end;
receive_event1(P, Msg, T, St) ->
    receive_plain(P, Msg, T, St).

%% A message taken into P's queue. A GenServer's calls, casts and infos are dequeued when its
%% handler begins (its call of try_handle_call or try_dispatch); anything else now.
receive_plain(P, Msg, T, St) ->
    Kind0 = case classify(Msg, P, St) of {call, K, _} -> K; K -> K end,
    case maps:is_key(P, St#st.servers) andalso Kind0 =/= system of
        true -> ensure_sent(P, Msg, Kind0, T, St);
        false ->
            case St#st.only_watched andalso not known(P, Msg, St) of
                true -> St; % sent by a process outside the record
                false ->
                    {Seq, Sender, Kind, St1} = take_sent(P, Msg, Kind0, 0, T, St),
                    emit(dequeue, Kind, 0, P, Sender, Seq, [], [], T, St1)
            end
    end.

%% Whether the send of a message P takes is in the record, or can be (a timer's, a signal's).
known(P, Msg, St) ->
    case take_queued(P, Msg, St) of
        {ok, _, _} -> true;
        error ->
            find_timer(P, Msg, St) =/= none orelse
                case Msg of
                    {'EXIT', S, _} -> maps:is_key(S, St#st.watched);
                    {'DOWN', _, process, S, _} -> maps:is_key(S, St#st.watched);
                    _ -> false
                end
    end.

%% The send of Msg to P, taken out of P's queue: {SendSeq, Sender, St}. A message with no send
%% seen (a timer's, a signal's, one from a process not watched) gets its send now.
take_sent(P, Msg, Kind, From, T, St) ->
    case take_queued(P, Msg, St) of
        {ok, {_, Seq, SentKind, Sender}, St1} -> {Seq, Sender, SentKind, St1};
        error ->
            St1 = synth_send(P, Msg, Kind, From, T, St),
            {ok, {_, Seq, SentKind, Sender}, St2} = take_queued(P, Msg, St1),
            {Seq, Sender, SentKind, St2}
    end.

ensure_sent(P, Msg, Kind, T, St) ->
    Q = maps:get(P, St#st.queues, queue:new()),
    case lists:keymember(Msg, 1, queue:to_list(Q)) of
        true -> St;
        false -> synth_send(P, Msg, Kind, 0, T, St)
    end.

synth_send(P, Msg, Kind, From, T, St) ->
    case find_timer(P, Msg, St) of
        {TRef, {Id, Setter, _, _}} ->
            St1 = emit(timer_fire, info, 16, Setter, 0, Id, Msg, [], T,
                       St#st{timers = maps:remove(TRef, St#st.timers)}),
            enqueue(Setter, P, Msg, info, 0, Id, T, St1);
        none ->
            Sender = case Msg of
                         {'EXIT', S, _} when is_pid(S) -> S;
                         {'DOWN', _, process, S, _} when is_pid(S) -> S;
                         {'$gen_call', {S, _}, _} when is_pid(S) -> S; % the caller names itself
                         {system, {S, _}, _} when is_pid(S) -> S;
                         _ -> From
                     end,
            %% A call from a process not watched: its reply is known by the tag all the same.
            St1 = case classify(Msg, P, St) of
                      {call, CallKind, Tag} -> St#st{calls = maps:put(Tag, {Sender, P, CallKind, unseen}, St#st.calls)};
                      _ -> St
                  end,
            enqueue(Sender, P, Msg, Kind, 0, 0, T, St1)
    end.

find_timer(P, Msg, St) ->
    maps:fold(fun(TRef, {_, _, Dest, M} = V, none) when Dest =:= P, M =:= Msg -> {TRef, V};
                 (_, _, Acc) -> Acc
              end, none, St#st.timers).

take_queued(P, Msg, St) ->
    Q = maps:get(P, St#st.queues, queue:new()),
    case queue:out(Q) of
        {{value, {Msg, _, _, _} = E}, Q1} -> {ok, E, St#st{queues = maps:put(P, Q1, St#st.queues)}};
        _ ->
            L = queue:to_list(Q),
            case lists:keytake(Msg, 1, L) of
                {value, E, L1} -> {ok, E, St#st{queues = maps:put(P, queue:from_list(L1), St#st.queues)}};
                false -> error
            end
    end.

%% The server took Msg out of its queue and runs its callback on it, in State.
handler_begin(P, Msg, State, T, St) ->
    Kind0 = case classify(Msg, P, St) of {call, K, _} -> K; K -> K end,
    {Seq, Sender, Kind, St1} = take_sent(P, Msg, Kind0, 0, T, St),
    St2 = emit(dequeue, Kind, 0, P, Sender, Seq, [], [], T, St1),
    St3 = emit(handler_begin, Kind, 0, P, Sender, Seq, Msg, [], T, St2),
    St3#st{current = maps:put(P, {Kind, Sender, Seq}, St3#st.current), states = maps:put(P, State, St3#st.states)}.

%% What the callback returned (gen_server's try_* wrap it in {ok, _}, or catch it as 'EXIT').
handler_result(P, {ok, Result}, T, St) when is_tuple(Result), tuple_size(Result) >= 2 ->
    case Result of
        {reply, Reply, State} -> handler_end(P, State, {reply, Reply}, T, St);
        {reply, Reply, State, _} -> handler_end(P, State, {reply, Reply}, T, St);
        {noreply, State} -> handler_end(P, State, noreply, T, St);
        {noreply, State, _} -> handler_end(P, State, noreply, T, St);
        {stop, _Reason, _Reply, State} -> handler_end(P, State, stop, T, St);
        {stop, _Reason, State} -> handler_end(P, State, stop, T, St);
        _ -> handler_end(P, maps:get(P, St#st.states, []), crash, T, St) % a bad return: it will exit
    end;
handler_result(P, {'EXIT', _, _, _}, T, St) ->
    handler_end(P, maps:get(P, St#st.states, []), crash, T, St);
handler_result(P, _, T, St) ->
    handler_end(P, maps:get(P, St#st.states, []), crash, T, St).

handler_end(P, State, Shape, T, St) ->
    case maps:take(P, St#st.current) of
        {{Kind, Sender, Seq}, Cur} ->
            emit(handler_end, Kind, case Shape of crash -> 8; _ -> 0 end, P, Sender, Seq, State, Shape, T,
                 St#st{current = Cur, states = maps:put(P, State, St#st.states)});
        error ->
            St#st{states = maps:put(P, State, St#st.states)}
    end.

%% In script mode only the script's processes are in the record: a local process it did not
%% start (Elixir's compiler, the code server) is outside it.
unwatched(P, #st{only_watched = true} = St) when is_pid(P) ->
    node(P) =:= node() andalso not maps:is_key(P, St#st.watched);
unwatched(_, _) -> false.

is_output({io_request, _, _, _}) -> true;
is_output(_) -> false.

%% Traffic that is the tracer's own, or the BEAM's (docs/beam.md, "What is filtered").
ours(To, St) -> To =:= self() orelse To =:= St#st.owner.

drop_send({io_request, _, _, Req}, _To, _St) ->
    case output_text(Req) of
        none -> true;
        Text -> {output, Text}
    end;
drop_send({system, {From, _}, _}, _To, St) when From =:= St#st.owner -> true;
drop_send({code_call, _, _}, _To, _St) -> true;
drop_send(_Msg, To, St) -> internal(To, St).

drop_receive({io_reply, _, _}, _St) -> true;
drop_receive({code_server, _}, _St) -> true;
drop_receive({system, {From, _}, _}, St) when From =:= St#st.owner -> true;
drop_receive({Tag, _}, St) when Tag =:= St#st.systag -> true;
drop_receive({'EXIT', S, _}, St) -> internal(S, St);
drop_receive({ack, S, _}, St) -> internal(S, St);
drop_receive({'DOWN', _, process, S, _}, St) -> internal(S, St);
drop_receive(_, _) -> false.

internal(P, _St) when is_pid(P), node(P) =:= node() ->
    case get({mailroom_internal, P}) of
        undefined ->
            B = internal_process(P),
            remember_internal(P, B),
            B;
        B -> B
    end;
internal(Name, _St) when is_atom(Name) -> lists:member(Name, ?INTERNAL_NAMES);
internal(_, _) -> false.

%% The collector, which asks first (while the process lives), tells the writer.
remember_internal(P, B) ->
    put({mailroom_internal, P}, B),
    case get(mailroom_writer) of
        undefined -> ok;
        Writer -> Writer ! {mark, P, B}
    end.

%% A process of OTP's or Elixir's own: registered under one of their names, or Elixir's compiler
%% (its lexical tracker, its module checker, the process that runs the command line).
internal_process(P) ->
    case process_info(P, [registered_name, dictionary, current_function]) of
        undefined -> false;
        Info ->
            Name = proplists:get_value(registered_name, Info),
            Initial = case proplists:get_value('$initial_call', proplists:get_value(dictionary, Info, [])) of
                          {IM, _, _} -> IM;
                          _ -> none
                      end,
            Current = case proplists:get_value(current_function, Info) of
                          {CM, _, _} -> CM;
                          _ -> none
                      end,
            lists:member(Name, ?INTERNAL_NAMES)
                orelse compiler_module(Initial) orelse compiler_module(Current)
    end.

compiler_module(M) ->
    lists:member(M, ['Elixir.Kernel.LexicalTracker', 'Elixir.Kernel.CLI', 'Elixir.Kernel.ErrorHandler',
                     'Elixir.Kernel.ParallelCompiler', 'Elixir.Module.ParallelChecker', elixir_module,
                     elixir_compiler, elixir_erl, elixir_erl_compiler, elixir_lexical, elixir_code_server,
                     elixir_env, elixir_expand, elixir_dispatch]).

output_text({put_chars, Enc, Chars}) -> chars(Enc, Chars);
output_text({put_chars, Chars}) -> chars(latin1, Chars);
output_text({put_chars, Enc, M, F, A}) ->
    try chars(Enc, apply(M, F, A)) catch _:_ -> none end;
output_text({requests, Rs}) ->
    case [T || R <- Rs, (T = output_text(R)) =/= none] of
        [] -> none;
        Ts -> iolist_to_binary(Ts)
    end;
output_text(_) -> none.

chars(unicode, Chars) ->
    case unicode:characters_to_binary(Chars) of
        B when is_binary(B) -> B;
        _ -> none
    end;
chars(_, Chars) ->
    try iolist_to_binary(Chars) catch _:_ -> none end.

%% What a spawn's {M, F, Args} says the process is.
label({proc_lib, init_p, [_, _, gen, init_it, [gen_server, _, _, Name, Mod, _, _]]}) when is_tuple(Name) ->
    {server, Mod};
label({proc_lib, init_p, [_, _, gen, init_it, [gen_server, _, _, Mod, _, _]]}) when is_atom(Mod) ->
    {server, Mod};
label({proc_lib, init_p, [_, _, M, _, _]}) when is_atom(M), M =/= gen -> {plain, M};
label(_) -> {plain, []}.

%% The labels the embedded runtime gives the processes of Elixir's own abstractions.
elixir_label('Elixir.Agent.Server') -> 'Elixir.Agent';
elixir_label('Elixir.Task.Supervised') -> 'Elixir.Task';
elixir_label(Mod) -> Mod.

%% ---------------------------------------------------------------------------------------------
%% Writing

emit(Type, Kind, Flags, Pid, Other, Ref, Term, Extra, T, St) ->
    Seq = St#st.seq + 1,
    Cap = St#st.cap,
    Line = [<<"{\"seq\":">>, integer_to_binary(Seq),
            <<",\"time\":">>, integer_to_binary(max(T, 0)),
            <<",\"type\":\"">>, atom_to_binary(Type), <<"\",\"kind\":\"">>, atom_to_binary(Kind),
            <<"\",\"flags\":">>, integer_to_binary(Flags),
            <<",\"pid\":">>, integer_to_binary(pnum(Pid)),
            <<",\"other\":">>, integer_to_binary(pnum(Other)),
            <<",\"ref\":">>, integer_to_binary(Ref),
            <<",\"term\":">>, encode_term(Term, Cap),
            <<",\"extra\":">>, encode_term(Extra, Cap), <<"}\n">>],
    St#st{seq = Seq, lines = [Line | St#st.lines]}.

write_lines(#st{lines = []} = St) -> St;
write_lines(St) ->
    write_out(lists:reverse(St#st.lines), St),
    %% A remote reader gets its lines as they are flushed; a file at its delayed_write pace.
    St#st{lines = []}.

write_line(Line, St) -> write_out([Line], St).

write_out(Data, #st{out = {file, Fd}} = St) ->
    case file:write(Fd, Data) of
        ok -> ok;
        {error, _} -> close(St), exit(reader_gone) % the collector, linked, leaves the node clean
    end;
write_out(Data, #st{out = {pid, P}}) ->
    P ! {mailroom_lines, self(), Data},
    ok.

status_line(What, Fields) ->
    [<<"{\"tracer\":\"">>, What, $",
     [[$,, $", K, <<"\":">>, case V of _ when is_integer(V) -> integer_to_binary(V); _ -> V end]
      || {K, V} <- Fields],
     <<"}\n">>].

%% The number of a pid in the record: N of <0.N.0> on this node; a pid of the k-th other node
%% seen is k * 2^24 + N (docs/beam.md).
pnum(P) when is_pid(P) ->
    N = pid_number(P),
    case node(P) =:= node() of
        true -> N;
        false -> node_index(node(P)) bsl 24 + N
    end;
pnum(_) -> 0.

pid_number(P) ->
    [_, N, _] = string:lexemes(pid_to_list(P), "<.>"),
    list_to_integer(N).

node_index(Node) ->
    case get({mailroom_node, Node}) of
        undefined ->
            K = length([x || {{mailroom_node, _}, _} <- get()]) + 1,
            put({mailroom_node, Node}, K),
            K;
        K -> K
    end.

%% A term in the record's JSON encoding (docs/events.md), at most about Cap bytes: what does not
%% fit is replaced by the atom 'mailroom:cut' (a list's rest becomes its tail).
encode_term(Term, Cap) ->
    {Io, _} = enc(Term, Cap),
    Io.

enc(_, B) when B =< 0 -> cut(B);
enc(I, B) when is_integer(I) ->
    Bin = integer_to_binary(I),
    case abs(I) < (1 bsl 53) of
        true -> {Bin, B - byte_size(Bin)};
        false -> {[<<"{\"i\":\"">>, Bin, <<"\"}">>], B - byte_size(Bin) - 8}
    end;
enc(F, B) when is_float(F) ->
    Bin = float_to_binary(F, [short]),
    {[<<"{\"f\":">>, Bin, $}], B - byte_size(Bin) - 6};
enc(A, B) when is_atom(A) ->
    Bin = atom_to_binary(A),
    leaf(<<"{\"a\":">>, esc(Bin), B);
enc(Bin, B) when is_binary(Bin) ->
    case unicode:characters_to_binary(Bin) of
        Bin -> leaf(<<"{\"s\":">>, esc(Bin), B);
        _ -> leaf(<<"{\"b\":">>, [$", base64:encode(Bin), $"], B)
    end;
enc(Bits, B) when is_bitstring(Bits) ->
    Pad = 8 - bit_size(Bits) rem 8,
    leaf(<<"{\"b\":">>, [$", base64:encode(<<Bits/bitstring, 0:Pad>>), $"], B);
enc(P, B) when is_pid(P) ->
    Bin = integer_to_binary(pnum(P)),
    {[<<"{\"pid\":">>, Bin, $}], B - byte_size(Bin) - 8};
enc(R, B) when is_reference(R) ->
    Bin = integer_to_binary(ref_number(R)),
    {[<<"{\"ref\":">>, Bin, $}], B - byte_size(Bin) - 8};
enc(F, B) when is_function(F) ->
    leaf(<<"{\"fun\":">>, esc(iolist_to_binary(io_lib:format("~w", [F]))), B);
enc(P, B) when is_port(P) ->
    leaf(<<"{\"a\":">>, esc(list_to_binary(erlang:port_to_list(P))), B);
enc([], B) -> {<<"[]">>, B - 2};
enc(L, B) when is_list(L) ->
    case list_items(L, B - 2, []) of
        {Items, [], B1} -> {[$[, join(Items), $]], B1};
        {Items, Tail, B1} ->
            {TailIo, B2} = case B1 =< 0 of
                               true -> cut(B1);
                               false -> enc(Tail, B1)
                           end,
            {[<<"{\"l\":[">>, join(Items), <<"],\"tail\":">>, TailIo, $}], B2 - 14}
    end;
enc(T, B) when is_tuple(T) ->
    {Items, B1} = items(tuple_to_list(T), B - 8, []),
    {[<<"{\"t\":[">>, join(Items), <<"]}">>], B1};
enc(M, B) when is_map(M) ->
    {Pairs, B1} = pairs(lists:sort(maps:to_list(M)), B - 8, []),
    {[<<"{\"m\":[">>, join(Pairs), <<"]}">>], B1}.

cut(B) -> {<<"{\"a\":\"mailroom:cut\"}">>, B - 20}.

leaf(Open, Io, B) ->
    Size = iolist_size(Io) + byte_size(Open) + 1,
    case Size > B of
        true -> cut(B);
        false -> {[Open, Io, $}], B - Size}
    end.

%% A list's elements while the budget lasts: {Encoded, Rest, Budget}, Rest the tail left
%% ([] when proper and complete, a cut tail otherwise).
list_items([H | T], B, Acc) when B > 0 ->
    {Io, B1} = enc(H, B),
    list_items(T, B1 - 1, [Io | Acc]);
list_items([], B, Acc) -> {lists:reverse(Acc), [], B};
list_items([_ | _], B, Acc) -> {lists:reverse(Acc), ?CUT_ATOM, B};
list_items(Tail, B, Acc) -> {lists:reverse(Acc), Tail, B}.

items([], B, Acc) -> {lists:reverse(Acc), B};
items(_, B, Acc) when B =< 0 -> {C, B1} = cut(B), {lists:reverse([C | Acc]), B1};
items([H | T], B, Acc) ->
    {Io, B1} = enc(H, B),
    items(T, B1 - 1, [Io | Acc]).

pairs([], B, Acc) -> {lists:reverse(Acc), B};
pairs(_, B, Acc) when B =< 0 -> {C, B1} = cut(B), {lists:reverse([[$[, C, $,, C, $]] | Acc]), B1};
pairs([{K, V} | T], B, Acc) ->
    {KIo, B1} = enc(K, B),
    {VIo, B2} = enc(V, B1),
    pairs(T, B2 - 3, [[$[, KIo, $,, VIo, $]] | Acc]).

join([]) -> [];
join([H | T]) -> [H | [[$,, X] || X <- T]].

esc(Bin) -> [$", esc(Bin, 0, Bin, []), $"].

%% JSON string escaping, copying the runs that need none.
esc(Bin, I, Orig, Acc) when I < byte_size(Bin) ->
    case binary:at(Bin, I) of
        C when C < 16#20; C =:= $"; C =:= $\\ ->
            <<Run:I/binary, _, Rest/binary>> = Bin,
            E = case C of
                    $" -> <<"\\\"">>;
                    $\\ -> <<"\\\\">>;
                    $\n -> <<"\\n">>;
                    $\t -> <<"\\t">>;
                    $\r -> <<"\\r">>;
                    _ -> iolist_to_binary(io_lib:format("\\u~4.16.0b", [C]))
                end,
            esc(Rest, 0, Orig, [E, Run | Acc]);
        _ -> esc(Bin, I + 1, Orig, Acc)
    end;
esc(Bin, _, _, Acc) -> lists:reverse([Bin | Acc]).

%% References get small numbers in the order they are first written (a call's tag and its
%% reply's then share one); the table forgets everything past a million.
ref_number(R) ->
    case get({mailroom_ref, R}) of
        undefined ->
            N = case get(mailroom_refs) of undefined -> 1; K -> K + 1 end,
            N >= 1000000 andalso [erase(Key) || {{mailroom_ref, _} = Key, _} <- get()],
            put(mailroom_refs, N),
            put({mailroom_ref, R}, N),
            N;
        N -> N
    end.

%% ---------------------------------------------------------------------------------------------
%% Attaching to a running node (mailroom-run --attach): this runs on Mailroom's hidden node,
%% which does not listen (-dist_listen false); the tracer runs on the watched node.

start_remote(Collector, Opts) ->
    {ok, Tracer} = start(Opts#{out => {pid, Collector}, owner => Collector, unload_on_detach => true}),
    Tracer.

%% Args: [Target, Procs ("" = every registered process outside OTP and Elixir; else names, pids,
%% app:NAME and sup:NAME, comma-separated), Seconds ("0": until Mailroom writes `stop` to our
%% standard input), RateLimit, TermCap, Fd], all strings.
attach_cli([Target0, Procs0, Seconds0, Limit0, Cap0, Fd0]) ->
    process_flag(message_queue_data, off_heap),
    Target = list_to_atom(Target0),
    {ok, Out} = file:open("/dev/fd/" ++ Fd0, [write, raw, binary]),
    Self = self(),
    %% Mailroom holds our standard input: when it closes, Mailroom is gone, and so are we.
    spawn_link(fun() -> stdin_watch(Self) end),
    case net_kernel:connect_node(Target) of
        true -> ok;
        _ -> fail(Out, connect_error(Target))
    end,
    monitor_node(Target, true),
    {Mod, Bin, File} = code:get_object_code(?MODULE),
    case rpc:call(Target, code, load_binary, [Mod, File, Bin], 10000) of
        {module, Mod} -> ok;
        Other -> fail(Out, Target, io_lib:format("cannot load the tracer on ~s: ~p", [Target, Other]))
    end,
    %% From here on the module is on the node: every way out removes it (fail/3 here, the
    %% tracer's detach there when this node goes without a word).
    Opts = #{rate_limit => list_to_integer(Limit0), term_cap => list_to_integer(Cap0)},
    Tracer = rpc:call(Target, ?MODULE, start_remote, [Self, Opts], 10000),
    is_pid(Tracer) orelse fail(Out, Target, io_lib:format("cannot start the tracer on ~s: ~p", [Target, Tracer])),
    link(Tracer),
    Pids = rpc:call(Target, erlang, apply, [fun() -> pick(Procs0) end, []], 10000),
    case Pids of
        {error, What} -> rpc:call(Target, ?MODULE, stop, [Tracer]), fail(Out, Target, What);
        _ when is_list(Pids) -> ok;
        _ -> fail(Out, Target, io_lib:format("cannot list the processes of ~s: ~p", [Target, Pids]))
    end,
    case rpc:call(Target, ?MODULE, watch, [Tracer, Pids], 30000) of
        ok -> ok;
        Failed -> fail(Out, Target, io_lib:format("cannot watch the processes of ~s: ~p", [Target, Failed]))
    end,
    case list_to_integer(Seconds0) of
        0 -> ok;
        Seconds -> erlang:send_after(Seconds * 1000, self(), time_is_up)
    end,
    collect(Target, Tracer, Out).

collect(Target, Tracer, Out) ->
    receive
        {mailroom_lines, _Writer, Data} ->
            ok = file:write(Out, Data),
            collect(Target, Tracer, Out);
        time_is_up ->
            %% stop/1 runs on the watched node; the lines it writes come before its reply.
            Ref = make_ref(),
            Self = self(),
            spawn_link(Target, fun() -> Self ! {Ref, stop(Tracer)} end),
            collect_end(Target, Tracer, Out, Ref);
        {eval, Prompt, Code} ->
            %% A line of the window's console, run on the watched node in a process of its own
            %% (a call there may block): its answer comes back here to be written.
            Self = self(),
            spawn(fun() -> Self ! {evaluated, Prompt, evaluate(Target, Code)} end),
            collect(Target, Tracer, Out);
        {evaluated, Prompt, {Ok, Text}} ->
            ok = file:write(Out, status_line(<<"result">>, [{<<"prompt">>, Prompt}, {<<"ok">>, atom_to_binary(Ok)},
                                                           {<<"text">>, esc(Text)}])),
            collect(Target, Tracer, Out);
        {nodedown, Target} ->
            fail(Out, io_lib:format("the connection to ~s was lost", [Target]))
    end.

%% Elixir code run on Target (Code.eval_string there): {true, the value inspected} or
%% {false, what went wrong}.
evaluate(Target, Code) ->
    case rpc:call(Target, 'Elixir.Code', eval_string, [Code], 60000) of
        {badrpc, {'EXIT', {Exception, Stack}}} when is_map(Exception) ->
            {false, 'Elixir.Exception':format(error, Exception, Stack)};
        {badrpc, {'EXIT', Reason}} -> {false, 'Elixir.Exception':format_exit(Reason)};
        {badrpc, Reason} -> {false, 'Elixir.Kernel':inspect(Reason)};
        {Value, _Binding} -> {true, 'Elixir.Kernel':inspect(Value)}
    end.

collect_end(Target, Tracer, Out, Ref) ->
    receive
        {mailroom_lines, _Writer, Data} ->
            ok = file:write(Out, Data),
            collect_end(Target, Tracer, Out, Ref);
        {mailroom_closed, _Writer} ->
            collect_end(Target, Tracer, Out, Ref);
        {Ref, _} ->
            unload(Target),
            file:close(Out),
            erlang:halt(0);
        {nodedown, Target} ->
            fail(Out, io_lib:format("the connection to ~s was lost", [Target]))
    after 30000 ->
        fail(Out, Target, "the tracer did not stop within 30 s")
    end.

%% Nothing of ours stays on the node: the module goes too (purge ends what still runs it,
%% the tracer if it has not stopped, whose flags the BEAM then removes).
unload(Target) ->
    rpc:call(Target, code, delete, [?MODULE], 5000),
    rpc:call(Target, code, purge, [?MODULE], 5000).

%% `mailroom --attach`'s first step, on Mailroom's hidden node: the watched node's processes
%% for the user to pick from, one status line each, then its peers. Asked through rpc, one
%% process at a time: nothing is loaded on the node and nothing there waits on us. Processes
%% of OTP's and Elixir's own applications are left out, as pick("") leaves them. Args:
%% [Target, Fd].
list_cli([Target0, Fd0]) ->
    Target = list_to_atom(Target0),
    {ok, Out} = file:open("/dev/fd/" ++ Fd0, [write, raw, binary]),
    case net_kernel:connect_node(Target) of
        true -> ok;
        _ -> fail(Out, connect_error(Target))
    end,
    Pids = case rpc:call(Target, erlang, processes, [], 10000) of
               L when is_list(L) -> L;
               Other -> fail(Out, io_lib:format("cannot list the processes of ~s: ~p", [Target, Other]))
           end,
    Init = rpc:call(Target, erlang, whereis, [init], 5000),
    Peers = case rpc:call(Target, erlang, nodes, [], 5000) of
                Ns when is_list(Ns) -> Ns;
                _ -> []
            end,
    ok = file:write(Out, [[listed(Target, Init, P) || P <- Pids],
                          [status_line(<<"peer">>, [{<<"node">>, esc(atom_to_binary(N))}]) || N <- Peers],
                          status_line(<<"end">>, [{<<"events">>, 0}])]),
    file:close(Out),
    erlang:halt(0).

%% A process of Target as a line of the listing, or [] when it is OTP's or Elixir's own (or gone).
listed(Target, Init, P) ->
    Keys = [registered_name, dictionary, group_leader, initial_call],
    case rpc:call(Target, erlang, process_info, [P, Keys], 5000) of
        [{registered_name, Reg}, {dictionary, Dict}, {group_leader, GL}, {initial_call, Initial}] ->
            App = case rpc:call(Target, application, get_application, [P], 5000) of
                      {ok, A} -> A;
                      _ -> undefined
                  end,
            Own = GL =:= P orelse GL =:= Init orelse lists:member(Reg, ?INTERNAL_NAMES)
                orelse lists:member(App, otp_applications())
                orelse element(1, Initial) =:= application_master,
            {Kind, Mod} = process_kind(Target, proplists:get_value('$initial_call', Dict, Initial)),
            case Own orelse compiler_module(Mod) of
                true -> [];
                false ->
                    Sup = case proplists:get_value('$ancestors', Dict, []) of
                              [Parent | _] when is_atom(Parent) -> atom_to_binary(Parent);
                              [Parent | _] when is_pid(Parent) -> local_pid_text(Parent);
                              _ -> <<>>
                          end,
                    status_line(<<"process">>,
                                [{<<"pid">>, esc(local_pid_text(P))},
                                 {<<"name">>, esc(case Reg of [] -> <<>>; _ -> atom_to_binary(Reg) end)},
                                 {<<"kind">>, esc(Kind)},
                                 {<<"module">>, esc(atom_to_binary(Mod))},
                                 {<<"application">>, esc(case App of undefined -> <<>>; _ -> atom_to_binary(App) end)},
                                 {<<"supervisor">>, esc(Sup)}])
            end;
        _ -> []
    end.

%% supervisor, server (a gen_server's callback module, Elixir's or Erlang's) or process.
process_kind(_Target, {supervisor, Mod, _}) -> {<<"supervisor">>, Mod};
process_kind(Target, {Mod, init, 1}) ->
    Behaviours = case rpc:call(Target, Mod, module_info, [attributes], 5000) of
                     Attrs when is_list(Attrs) ->
                         proplists:get_value(behaviour, Attrs, []) ++ proplists:get_value(behavior, Attrs, []);
                     _ -> []
                 end,
    case lists:member(gen_server, Behaviours) orelse lists:member('Elixir.GenServer', Behaviours) of
        true -> {<<"server">>, Mod};
        false -> {<<"process">>, Mod}
    end;
process_kind(_Target, {Mod, _, _}) -> {<<"process">>, Mod};
process_kind(_Target, _) -> {<<"process">>, undefined}.

%% <0.N.S>, as the pid reads on its own node (and as pick/1 takes it there).
local_pid_text(P) ->
    [_, N, S] = string:lexemes(pid_to_list(P), "<.>"),
    iolist_to_binary(["<0.", N, ".", S, ">"]).

otp_applications() ->
    [kernel, stdlib, elixir, logger, compiler, iex, sasl, mix, hex, crypto, ssl, public_key, asn1,
     runtime_tools, inets, os_mon, observer, wx, tools, eex, ex_unit].

%% On the watched node: the processes to watch. Each of Procs is a registered name (with or
%% without Elixir.), a pid <0.N.S>, app:NAME (that application's processes) or sup:NAME (a
%% supervisor and everything under it).
pick("") ->
    [P || Name <- lists:sort(registered()), not lists:member(Name, ?INTERNAL_NAMES),
          is_pid(P = whereis(Name)), not otp_application(P), not is_otp_process(P)];
pick(Procs) ->
    Found = [{N, pick_one(N)} || N <- string:lexemes(Procs, ",")],
    case [N || {N, []} <- Found] of
        [] -> lists:usort(lists:append([Ps || {_, Ps} <- Found]));
        Missing -> {error, io_lib:format("no process named ~s on ~s", [string:join(Missing, ", "), node()])}
    end.

pick_one("app:" ++ App) ->
    A = list_to_atom(App),
    [P || P <- processes(), application:get_application(P) =:= {ok, A}, not is_otp_process(P),
          not is_application_master(P)];
pick_one("sup:" ++ Sup) ->
    case find_proc(Sup) of
        undefined -> [];
        P -> subtree(P)
    end;
pick_one(Name) ->
    case find_proc(Name) of
        undefined -> [];
        P -> [P]
    end.

%% A supervisor and what it supervises, supervisors under it included.
subtree(Sup) ->
    Children = case catch supervisor:which_children(Sup) of
                   L when is_list(L) -> L;
                   _ -> []
               end,
    [Sup | lists:append([case Type of
                             supervisor -> subtree(C);
                             _ -> [C]
                         end || {_, C, Type, _} <- Children, is_pid(C)])].

is_application_master(P) ->
    case process_info(P, initial_call) of
        {initial_call, {application_master, _, _}} -> true;
        _ -> false
    end.

otp_application(P) ->
    lists:member(case application:get_application(P) of {ok, A} -> A; _ -> none end, otp_applications()).

is_otp_process(P) ->
    case process_info(P, group_leader) of
        {group_leader, GL} -> GL =:= P orelse whereis(init) =:= GL;
        _ -> true
    end.

find_proc("<" ++ _ = Text) ->
    try list_to_pid(Text) catch _:_ -> undefined end;
find_proc(Name) ->
    Candidates = [list_to_atom(Name), list_to_atom("Elixir." ++ Name)],
    case [P || A <- Candidates, is_pid(P = whereis(A))] of
        [P | _] -> P;
        [] -> undefined
    end.

connect_error(Target) ->
    [Name, Host] = string:lexemes(atom_to_list(Target), "@"),
    case erl_epmd:names(Host) of
        {ok, Names} ->
            case lists:keymember(Name, 1, Names) of
                true -> io_lib:format("~s refused the connection: is the cookie right?", [Target]);
                false when Names =:= [] -> io_lib:format("no node named ~s on ~s (epmd there knows none)", [Name, Host]);
                false -> io_lib:format("no node named ~s on ~s (epmd there knows ~s)",
                                       [Name, Host, string:join([N || {N, _} <- Names], ", ")])
            end;
        _ -> io_lib:format("cannot reach ~s: no epmd answers on ~s", [Target, Host])
    end.

%% A failure once the module is loaded on Target: it is removed before we go.
fail(Out, Target, Text) ->
    unload(Target),
    fail(Out, Text).

fail(Out, Text) ->
    Msg = iolist_to_binary(Text),
    file:write(Out, status_line(<<"error">>, [{<<"message">>, esc(Msg)}])),
    file:close(Out),
    erlang:halt(3).

stdin_watch(Parent) ->
    Port = open_port({fd, 0, 1}, [in, binary, eof, {line, 1 bsl 20}]),
    stdin_loop(Parent, Port, <<>>).

%% Mailroom's commands, a line each: `stop` ends the watch as --seconds does (the tracer
%% stopped, the module removed); `eval PROMPT HEX` runs the hex-encoded Elixir code on the
%% watched node. The end of the input, Mailroom gone, halts at once (the tracer, linked,
%% detaches itself and removes its module).
stdin_loop(Parent, Port, Part) ->
    receive
        {Port, eof} -> erlang:halt(4);
        {Port, {data, {noeol, More}}} -> stdin_loop(Parent, Port, <<Part/binary, More/binary>>);
        {Port, {data, {eol, End}}} ->
            case <<Part/binary, End/binary>> of
                <<"stop">> -> Parent ! time_is_up;
                <<"eval ", Rest/binary>> ->
                    [Prompt, Hex] = binary:split(Rest, <<" ">>),
                    Parent ! {eval, binary_to_integer(Prompt), binary:decode_hex(Hex)};
                _ -> ok
            end,
            stdin_loop(Parent, Port, <<>>)
    end.
