%% SPDX-License-Identifier: MIT
%% mailroom_events: from what the BEAM reports to the events of Mailroom's record
%% (docs/events.md), in the writer, which hands it the trace messages sorted by their
%% timestamps. docs/beam.md has the table of what becomes what: spawns, exits, links, names,
%% sends told apart by their shapes, a GenServer's handlers from the call tracing of the
%% gen_server functions that run them, a caller's block on its call, timers; the BEAM's own
%% traffic is left out (mailroom_filter). Each event is encoded as it is made (mailroom_json)
%% and waits in the state until the writer takes the lines.
-module(mailroom_events).

-export([new/1, add_owner/2, interpret/3, take_lines/1, seq/1, label/1]).

-define(QUEUE_CAP, 10000).

-record(ev, {
    owners = #{},        % the collectors: traffic to them, or under their tag, is ours
    systag,              % the tag of our own system requests, whose replies we drop
    t0,                  % monotonic ns at start: time 0 of the record
    cap,                 % bytes of JSON per term
    only_watched = false,% keep only what happens between watched processes (script mode)
    handlers = true,     % a GenServer's handlers are call-traced (false: messages only)
    show_nodes = false,  % a spawn's extra is its node (attach: the record may span a cluster)
    root_label,          % label of the processes watched by watch/2 that are no GenServer
    seq = 0,
    watched = #{},       % pid => true: traced by us
    servers = #{},       % pid => module: a GenServer watched
    queues = #{},        % receiver => queue of {Msg, Seq, Kind, Sender}
    lengths = #{},       % receiver => the length of its queue (queue:len/1 walks it)
    calls = #{},         % call tag => {Caller, Server, Kind, timed_out | waiting | unseen}
    blocked = #{},       % caller => {Server, Tag, Kind}
    current = #{},       % server => {Kind, Sender, Seq}: the handler running
    states = #{},        % server => its last state seen
    timers = #{},        % timer ref => {Id, Setter, Dest, Msg}
    timer_calls = #{},   % pid => {send_after, T, Dest, Msg, Ts} | {cancel, TRef}
    timer_seq = 0,
    names = #{},         % atom and {atom, node} => pid, names seen registered
    aliases = #{},       % alias reference => the process it names (from erlang:alias, monitor/3)
    lines = []           % encoded lines waiting to be written (reversed)
}).

%% Opts: systag, t0, term_cap, only_watched, root_label, show_nodes, messages_only
%% (mailroom_tracer:start/1).
new(Opts) ->
    #ev{systag = maps:get(systag, Opts), t0 = maps:get(t0, Opts),
        cap = maps:get(term_cap, Opts, 8192), only_watched = maps:get(only_watched, Opts, false),
        root_label = maps:get(root_label, Opts, []), show_nodes = maps:get(show_nodes, Opts, false),
        handlers = not maps:get(messages_only, Opts, false)}.

%% A collector: what goes to it, or comes from it, is the tracer's own.
add_owner(C, St) -> St#ev{owners = maps:put(C, true, St#ev.owners)}.

%% The lines encoded since the last take, in order.
take_lines(#ev{lines = Lines} = St) -> {lists:reverse(Lines), St#ev{lines = []}}.

%% The seq of the last event made.
seq(#ev{seq = Seq}) -> Seq.

%% One item, at its timestamp Ts ({Monotonic ns, unique integer}): a trace message, or what the
%% collector adds ({watched, Pid, Module, Name} when watch/2 took a process, {init, Pid, State}
%% for an attached GenServer's state).
interpret({trace_ts, Parent, spawn, Child, MFA, _}, Ts, St) ->
    {Label, Servers} = case label(MFA) of
                           {server, Mod} -> {elixir_label(Mod), maps:put(Child, Mod, St#ev.servers)};
                           {plain, Mod} -> {elixir_label(Mod), St#ev.servers}
                       end,
    St1 = St#ev{watched = maps:put(Child, true, St#ev.watched), servers = Servers},
    emit(spawn, info, 0, Child, Parent, 0, Label, spawn_extra(Child, St), time(Ts, St), St1);
interpret({watched, P, Mod, Name}, Ts, St) ->
    T = time(Ts, St),
    {Label, Servers} = case Mod of
                           undefined -> {St#ev.root_label, St#ev.servers};
                           _ -> {elixir_label(Mod), maps:put(P, Mod, St#ev.servers)}
                       end,
    St1 = emit(spawn, info, 0, P, 0, 0, Label, spawn_extra(P, St), T,
               St#ev{watched = maps:put(P, true, St#ev.watched), servers = Servers}),
    case Name of
        undefined -> St1;
        _ -> emit(register, info, 0, P, 0, 0, Name, [], T, St1#ev{names = named(Name, P, St1#ev.names)})
    end;
interpret({trace_ts, P, exit, Reason, _}, Ts, St) ->
    T = time(Ts, St),
    St1 = case maps:take(P, St#ev.current) of
              {{Kind, Sender, Seq}, Cur} ->
                  Shape = case crash_reason(Reason) of true -> crash; false -> stop end,
                  Flags = case Shape of crash -> 8; stop -> 0 end,
                  emit(handler_end, Kind, Flags, P, Sender, Seq, maps:get(P, St#ev.states, []), Shape, T,
                       St#ev{current = Cur});
              error -> St
          end,
    St2 = emit(exit, info, case Reason of normal -> 0; _ -> 8 end, P, 0, 0, Reason, [], T, St1),
    forget(P, St2);
interpret({trace_ts, P, link, O, _}, Ts, St) ->
    case mailroom_filter:internal(O) orelse unwatched(O, St) of
        true -> St;
        false -> emit(link, info, 0, P, O, 0, [], [], time(Ts, St), St)
    end;
interpret({trace_ts, P, getting_linked, O, _}, Ts, St) ->
    case maps:is_key(O, St#ev.watched) orelse mailroom_filter:internal(O) orelse unwatched(O, St) of
        true -> St; % its own link event says it
        false -> emit(link, info, 0, O, P, 0, [], [], time(Ts, St), St)
    end;
interpret({trace_ts, P, unlink, O, _}, Ts, St) ->
    case mailroom_filter:internal(O) orelse unwatched(O, St) of
        true -> St;
        false -> emit(unlink, info, 0, P, O, 0, [], [], time(Ts, St), St)
    end;
interpret({trace_ts, P, register, Name, _}, Ts, St) ->
    emit(register, info, 0, P, 0, 0, Name, [], time(Ts, St), St#ev{names = named(Name, P, St#ev.names)});
interpret({trace_ts, P, unregister, Name, _}, Ts, St) ->
    emit(unregister, info, 0, P, 0, 0, Name, [], time(Ts, St), St#ev{names = unnamed(Name, P, St#ev.names)});
interpret({trace_ts, P, send, Msg, To, _}, Ts, St) ->
    send_event(P, Msg, To, 0, time(Ts, St), St);
interpret({trace_ts, P, send_to_non_existing_process, Msg, To, _}, Ts, St) ->
    send_event(P, Msg, To, 1, time(Ts, St), St);
interpret({trace_ts, P, 'receive', Msg, _}, Ts, St) ->
    receive_event(P, Msg, time(Ts, St), St);
interpret({trace_ts, P, call, {erlang, send_after, [T, Dest, Msg | _]}, _}, Ts, St) ->
    St#ev{timer_calls = maps:put(P, {send_after, T, Dest, Msg, time(Ts, St)}, St#ev.timer_calls)};
interpret({trace_ts, P, call, {erlang, cancel_timer, [TRef | _]}, _}, _Ts, St) ->
    St#ev{timer_calls = maps:put(P, {cancel, TRef}, St#ev.timer_calls)};
interpret({trace_ts, P, return_from, {erlang, send_after, _}, TRef, _}, _Ts, St) ->
    case maps:take(P, St#ev.timer_calls) of
        {{send_after, Ms, Dest, Msg, T}, Calls} ->
            Id = St#ev.timer_seq + 1,
            DestPid = case Dest of
                          _ when is_pid(Dest) -> Dest;
                          _ -> maps:get(Dest, St#ev.names, Dest)
                      end,
            St1 = St#ev{timer_calls = Calls, timer_seq = Id,
                        timers = maps:put(TRef, {Id, P, DestPid, Msg}, St#ev.timers)},
            emit(timer_set, info, 0, P, DestPid, Id, Msg, T + Ms * 1000000, T, St1);
        _ -> St
    end;
interpret({trace_ts, P, return_from, {erlang, F, _}, Ref, _}, _Ts, St)
  when (F =:= monitor orelse F =:= alias), is_reference(Ref) ->
    Aliases = case map_size(St#ev.aliases) >= 100000 of
                  true -> #{};
                  false -> St#ev.aliases
              end,
    St#ev{aliases = maps:put(Ref, P, Aliases)};
interpret({trace_ts, P, return_from, {erlang, cancel_timer, _}, Ret, _}, Ts, St) ->
    case maps:take(P, St#ev.timer_calls) of
        {{cancel, TRef}, Calls} ->
            St1 = St#ev{timer_calls = Calls},
            case maps:take(TRef, St1#ev.timers) of
                {{Id, Setter, _, _}, Timers} when is_integer(Ret) ->
                    emit(timer_cancel, info, 0, Setter, 0, Id, [], [], time(Ts, St), St1#ev{timers = Timers});
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
interpret({paused, Node, Why}, Ts, St) ->
    %% A trip of the rate limit: every flag off on Node. What was on its way is forgotten (a
    %% message queued then may be taken unseen), so that nothing after the gap pairs with it.
    Extra = case Why of
                {Reason, Count, Limit} -> [{reason, Reason}, {events, Count}, {limit, Limit}];
                undefined -> [{reason, peer}]
            end ++ node_field(Node, St),
    St1 = emit(trace_flag, info, 0, 0, 0, 0, false, Extra, time(Ts, St),
               St#ev{queues = #{}, lengths = #{}, current = #{}}),
    case Why of
        {R, N, L} ->
            CountKey = case R of rate -> <<"events">>; backlog -> <<"queued">> end,
            status(mailroom_json:status_line(<<"stopped">>, [{<<"reason">>, mailroom_json:esc(atom_to_binary(R))},
                                                              {CountKey, N}, {<<"limit">>, L},
                                                              {<<"node">>, mailroom_json:esc(atom_to_binary(Node))}]),
                   St1);
        undefined -> St1
    end;
interpret({resumed, Node, Missed}, Ts, St) ->
    #{ms := Ms, dropped := Dropped, exited := Exited, probes := Probes, leader := Leader} = Missed,
    Extra = [{missed_ms, Ms}, {dropped, Dropped}, {exited, Exited}, {trials, Probes}] ++ node_field(Node, St),
    St1 = emit(trace_flag, info, 0, 0, 0, 0, true, Extra, time(Ts, St), St),
    case Leader of
        true ->
            status(mailroom_json:status_line(<<"resumed">>, [{<<"ms">>, Ms}, {<<"dropped">>, Dropped},
                                                              {<<"exited">>, Exited}, {<<"trials">>, Probes},
                                                              {<<"node">>, mailroom_json:esc(atom_to_binary(Node))}]),
                   St1);
        false -> St1
    end;
interpret({init, P, State}, Ts, St) ->
    Mod = elixir_label(maps:get(P, St#ev.servers, [])),
    emit(state_init, info, 0, P, 0, 0, State, Mod, time(Ts, St), St#ev{states = maps:put(P, State, St#ev.states)});
interpret(_, _, St) ->
    St.

time({Mono, _}, St) -> Mono - St#ev.t0.

%% A status line of the stream, in its place among the events (it takes no seq).
status(Line, St) -> St#ev{lines = [Line | St#ev.lines]}.

node_field(Node, #ev{show_nodes = true}) -> [{node, Node}];
node_field(_, _) -> [].

%% The node a process runs on, in its spawn event, when the record can span a cluster.
spawn_extra(P, #ev{show_nodes = true}) -> node(P);
spawn_extra(_, _) -> [].

%% A name registered by P, known as itself and as {Name, Node}, as a send to another node
%% names it.
named(Name, P, Names) -> maps:put({Name, node(P)}, P, maps:put(Name, P, Names)).

unnamed(Name, P, Names) ->
    case maps:get(Name, Names, undefined) of
        P -> maps:remove({Name, node(P)}, maps:remove(Name, Names));
        _ -> Names
    end.

forget(P, St) ->
    Calls = maps:filter(fun(_, {Caller, _, _, _}) -> Caller =/= P end, St#ev.calls),
    %% It stays among the watched: a message sent to it after its exit is still the script's.
    St#ev{servers = maps:remove(P, St#ev.servers), names = maps:filter(fun(_, Q) -> Q =/= P end, St#ev.names),
          queues = maps:remove(P, St#ev.queues), lengths = maps:remove(P, St#ev.lengths),
          blocked = maps:remove(P, St#ev.blocked),
          states = maps:remove(P, St#ev.states), timer_calls = maps:remove(P, St#ev.timer_calls),
          calls = Calls}.

%% The BEAM tells a handler's {:stop, reason, state} from a crash by nothing but the reason:
%% normal, shutdown and {shutdown, _} are taken as a stop, anything else as a crash.
crash_reason(normal) -> false;
crash_reason(shutdown) -> false;
crash_reason({shutdown, _}) -> false;
crash_reason(_) -> true.

send_event(P, Msg, To0, Flags, T, St) ->
    To = case To0 of
             _ when is_reference(To0) -> % a reply to an alias: the caller it names
                 case maps:get(To0, St#ev.calls, undefined) of
                     {Caller, _, _, _} -> Caller;
                     undefined -> maps:get(To0, St#ev.aliases, To0)
                 end;
             {Name, Node} when is_atom(Name), is_atom(Node) -> % a name on another node
                 maps:get(To0, St#ev.names, To0);
             _ when is_atom(To0) ->
                 %% A name the collector could not resolve: the process had gone by the time it
                 %% looked (it took the message, answered and exited first). The record's own
                 %% names say whom it named when it was sent.
                 maps:get(To0, St#ev.names, To0);
             _ -> To0
         end,
    case ours(To, St) orelse (unwatched(To, St) andalso not is_output(Msg)) orelse drop_send(Msg, To, St) of
        true -> St;
        {output, Text} -> emit(output, info, 0, P, 0, 0, Text, [], T, St);
        false ->
            case classify(Msg, P, St) of
                {call, Kind, Tag} ->
                    Blocked = maps:put(P, {To, Tag, Kind}, St#ev.blocked),
                    Calls = maps:put(Tag, {P, To, Kind, waiting}, St#ev.calls),
                    St1 = emit(block_begin, Kind, 0, P, To, 0, call, -1, T, St#ev{blocked = Blocked, calls = Calls}),
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
    case maps:get(Tag, St#ev.calls, undefined) of
        {_, _, _, unseen} -> St#ev{calls = maps:remove(Tag, St#ev.calls)};
        _ -> St
    end;
forget_unseen(_, _, St) -> St.

enqueue(P, To, Msg, Kind, Flags, TimerId, T, St) ->
    St1 = emit(send, Kind, Flags, P, To, TimerId, Msg, [], T, St),
    Seq = St1#ev.seq,
    case Flags of
        0 when is_pid(To) ->
            Q0 = maps:get(To, St1#ev.queues, queue:new()),
            Len = maps:get(To, St1#ev.lengths, 0),
            {Q1, Len1} = case Len >= ?QUEUE_CAP of
                             true -> {queue:drop(Q0), Len};
                             false -> {Q0, Len + 1}
                         end,
            St1#ev{queues = maps:put(To, queue:in({Msg, Seq, Kind, P}, Q1), St1#ev.queues),
                   lengths = maps:put(To, Len1, St1#ev.lengths)};
        _ -> St1
    end.

classify({'$gen_call', {_, Tag}, _}, _P, _St) -> {call, call, tagref(Tag)};
classify({'$gen_cast', _}, _P, _St) -> cast;
classify({system, {_, Tag}, _}, _P, _St) -> {call, system, tagref(Tag)};
classify({ack, P, _}, P, _St) -> system; % proc_lib's start acknowledgement
classify({P, R, R, Ancestors, {_, _, _}}, P, _St) when is_reference(R), is_list(Ancestors) ->
    system; % Elixir's Task handing its process the work to do
classify({Tag, _}, _P, St) when is_reference(Tag); is_list(Tag) ->
    case maps:get(tagref(Tag), St#ev.calls, undefined) of
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
    case maps:take(P, St#ev.blocked) of
        {{Server, Tag, Kind}, Blocked} ->
            Calls = case maps:get(Tag, St#ev.calls, undefined) of
                        {C, S, K, _} -> maps:put(Tag, {C, S, K, timed_out}, St#ev.calls);
                        undefined -> St#ev.calls
                    end,
            emit(block_end, Kind, 4, P, Server, 0, timeout, [], T, St#ev{blocked = Blocked, calls = Calls});
        error -> St
    end;
receive_event1(P, {Tag0, Reply} = Msg, T, St) when is_reference(Tag0); is_list(Tag0) ->
    Tag = tagref(Tag0),
    case maps:get(Tag, St#ev.calls, undefined) of
        {P, Server, Kind, Waiting} ->
            ReplyKind = case Kind of call -> reply; system -> system end,
            {Seq, Sender, _, St1} = take_sent(P, Msg, ReplyKind, Server, T, St),
            St2 = St1#ev{calls = maps:remove(Tag, St1#ev.calls)},
            case Waiting of
                waiting ->
                    St3 = emit(dequeue, ReplyKind, 0, P, Sender, Seq, [], [], T, St2),
                    emit(block_end, Kind, 0, P, Server, 0, ok, Reply, T, St3#ev{blocked = maps:remove(P, St3#ev.blocked)});
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
%% handler begins (its call of try_handle_call or try_dispatch); anything else now, and in
%% messages-only mode, where no handler is seen, a GenServer's too.
receive_plain(P, Msg, T, St) ->
    Kind0 = case classify(Msg, P, St) of {call, K, _} -> K; K -> K end,
    case St#ev.handlers andalso maps:is_key(P, St#ev.servers) andalso Kind0 =/= system of
        true -> ensure_sent(P, Msg, Kind0, T, St);
        false ->
            case St#ev.only_watched andalso not known(P, Msg, St) of
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
                    {'EXIT', S, _} -> maps:is_key(S, St#ev.watched);
                    {'DOWN', _, process, S, _} -> maps:is_key(S, St#ev.watched);
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

%% A receive comes just after its send: the newest send queued is looked at first, and the
%% whole queue only when it is another message (a long queue, under a flood, is not walked at
%% every receive).
ensure_sent(P, Msg, Kind, T, St) ->
    Q = maps:get(P, St#ev.queues, queue:new()),
    case queue:peek_r(Q) of
        {value, {Msg, _, _, _}} -> St;
        _ ->
            case lists:keymember(Msg, 1, queue:to_list(Q)) of
                true -> St;
                false -> synth_send(P, Msg, Kind, 0, T, St)
            end
    end.

synth_send(P, Msg, Kind, From, T, St) ->
    case find_timer(P, Msg, St) of
        {TRef, {Id, Setter, _, _}} ->
            St1 = emit(timer_fire, info, 16, Setter, 0, Id, Msg, [], T,
                       St#ev{timers = maps:remove(TRef, St#ev.timers)}),
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
                      {call, CallKind, Tag} -> St#ev{calls = maps:put(Tag, {Sender, P, CallKind, unseen}, St#ev.calls)};
                      _ -> St
                  end,
            enqueue(Sender, P, Msg, Kind, 0, 0, T, St1)
    end.

find_timer(P, Msg, St) ->
    maps:fold(fun(TRef, {_, _, Dest, M} = V, none) when Dest =:= P, M =:= Msg -> {TRef, V};
                 (_, _, Acc) -> Acc
              end, none, St#ev.timers).

take_queued(P, Msg, St) ->
    Q = maps:get(P, St#ev.queues, queue:new()),
    case queue:out(Q) of
        {{value, {Msg, _, _, _} = E}, Q1} -> {ok, E, taken(P, Q1, St)};
        _ ->
            L = queue:to_list(Q),
            case lists:keytake(Msg, 1, L) of
                {value, E, L1} -> {ok, E, taken(P, queue:from_list(L1), St)};
                false -> error
            end
    end.

taken(P, Q, St) ->
    St#ev{queues = maps:put(P, Q, St#ev.queues),
          lengths = maps:put(P, max(0, maps:get(P, St#ev.lengths, 1) - 1), St#ev.lengths)}.

%% The server took Msg out of its queue and runs its callback on it, in State.
handler_begin(P, Msg, State, T, St) ->
    Kind0 = case classify(Msg, P, St) of {call, K, _} -> K; K -> K end,
    {Seq, Sender, Kind, St1} = take_sent(P, Msg, Kind0, 0, T, St),
    St2 = emit(dequeue, Kind, 0, P, Sender, Seq, [], [], T, St1),
    St3 = emit(handler_begin, Kind, 0, P, Sender, Seq, Msg, [], T, St2),
    St3#ev{current = maps:put(P, {Kind, Sender, Seq}, St3#ev.current), states = maps:put(P, State, St3#ev.states)}.

%% What the callback returned (gen_server's try_* wrap it in {ok, _}, or catch it as 'EXIT').
handler_result(P, {ok, Result}, T, St) when is_tuple(Result), tuple_size(Result) >= 2 ->
    case Result of
        {reply, Reply, State} -> handler_end(P, State, {reply, Reply}, T, St);
        {reply, Reply, State, _} -> handler_end(P, State, {reply, Reply}, T, St);
        {noreply, State} -> handler_end(P, State, noreply, T, St);
        {noreply, State, _} -> handler_end(P, State, noreply, T, St);
        {stop, _Reason, _Reply, State} -> handler_end(P, State, stop, T, St);
        {stop, _Reason, State} -> handler_end(P, State, stop, T, St);
        _ -> handler_end(P, maps:get(P, St#ev.states, []), crash, T, St) % a bad return: it will exit
    end;
handler_result(P, {'EXIT', _, _, _}, T, St) ->
    handler_end(P, maps:get(P, St#ev.states, []), crash, T, St);
handler_result(P, _, T, St) ->
    handler_end(P, maps:get(P, St#ev.states, []), crash, T, St).

handler_end(P, State, Shape, T, St) ->
    case maps:take(P, St#ev.current) of
        {{Kind, Sender, Seq}, Cur} ->
            emit(handler_end, Kind, case Shape of crash -> 8; _ -> 0 end, P, Sender, Seq, State, Shape, T,
                 St#ev{current = Cur, states = maps:put(P, State, St#ev.states)});
        error ->
            St#ev{states = maps:put(P, State, St#ev.states)}
    end.

%% In script mode only the script's processes are in the record: a local process it did not
%% start (Elixir's compiler, the code server) is outside it.
unwatched(P, #ev{only_watched = true} = St) when is_pid(P) ->
    node(P) =:= node() andalso not maps:is_key(P, St#ev.watched);
unwatched(_, _) -> false.

is_output({io_request, _, _, _}) -> true;
is_output(_) -> false.

%% Traffic that is the tracer's own, or the BEAM's (docs/beam.md, "What is filtered").
ours(To, St) -> To =:= self() orelse maps:is_key(To, St#ev.owners).

drop_send({io_request, _, _, Req}, _To, _St) ->
    case output_text(Req) of
        none -> true;
        Text -> {output, Text}
    end;
drop_send({system, {From, _}, _}, _To, St) when is_map_key(From, St#ev.owners) -> true;
drop_send({code_call, _, _}, _To, _St) -> true;
drop_send(_Msg, To, _St) -> mailroom_filter:internal(To).

drop_receive({io_reply, _, _}, _St) -> true;
drop_receive({code_server, _}, _St) -> true;
drop_receive({system, {From, _}, _}, St) when is_map_key(From, St#ev.owners) -> true;
drop_receive({Tag, _}, St) when Tag =:= St#ev.systag -> true;
drop_receive({'EXIT', S, _}, _St) -> mailroom_filter:internal(S);
drop_receive({ack, S, _}, _St) -> mailroom_filter:internal(S);
drop_receive({'DOWN', _, process, S, _}, _St) -> mailroom_filter:internal(S);
drop_receive(_, _) -> false.

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

%% An event, encoded as a line of the record, its terms in full up to the cap.
emit(Type, Kind, Flags, Pid, Other, Ref, Term, Extra, T, St) ->
    Seq = St#ev.seq + 1,
    Cap = St#ev.cap,
    Line = [<<"{\"seq\":">>, integer_to_binary(Seq),
            <<",\"time\":">>, integer_to_binary(max(T, 0)),
            type_kind(Type, Kind), integer_to_binary(Flags),
            <<",\"pid\":">>, integer_to_binary(mailroom_json:pnum(Pid)),
            <<",\"other\":">>, integer_to_binary(mailroom_json:pnum(Other)),
            <<",\"ref\":">>, integer_to_binary(Ref),
            <<",\"term\":">>, mailroom_json:encode_term(Term, Cap),
            <<",\"extra\":">>, mailroom_json:encode_term(Extra, Cap), <<"}\n">>],
    St#ev{seq = Seq, lines = [Line | St#ev.lines]}.

%% `,"type":"send","kind":"cast","flags":`, made once for each pair (there are some 60) and kept in
%% the writer's dictionary.
type_kind(Type, Kind) ->
    case get({mailroom_tk, Type, Kind}) of
        undefined ->
            Bin = iolist_to_binary([<<",\"type\":\"">>, atom_to_binary(Type), <<"\",\"kind\":\"">>,
                                    atom_to_binary(Kind), <<"\",\"flags\":">>]),
            put({mailroom_tk, Type, Kind}, Bin),
            Bin;
        Bin -> Bin
    end.
