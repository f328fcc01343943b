%% SPDX-License-Identifier: MIT
%% mailroom_writer: the tracer's second process. Collectors (mailroom_tracer, one a node) hand
%% it the trace messages in batches; it keeps them until erlang:trace_delivered/1 has said, on
%% every collector's node, that all stamped before a cut are in (each collector tells it its
%% cut), then sorts them by their timestamps, turns them into events (mailroom_events) and
%% writes the lines: to a file (a descriptor of mailroom-run's), or as messages to a process
%% (the hidden node's, attached).
%%
%% Watching one node (a script, the bench), it runs beside its collector, which starts it. An
%% attach runs it on Mailroom's hidden node, and the collector of each node of the cluster
%% writes to it: the record is one, each send paired with its receive across nodes. Each
%% collector's timestamps are its node's monotonic time; the writer moves them onto its own by
%% the difference of the nodes' time offsets (one machine's clock, or clocks kept in step).
-module(mailroom_writer).

-export([start_link/3, start/1]).

-define(FINISH_WAIT_MS, 5000).

-record(w, {
    out,                % {file, Fd} | {pid, Pid}
    buf = [],           % items {Ts, Item} not yet written, Ts on this node's monotonic time
    events,             % mailroom_events' state
    collectors = #{}    % collector => {Shift ns, Cut}: Cut on our time, undefined before the
                        % first, infinity once all of its items are in (done or gone)
}).

%% Started by a collector, linked to it, for one node: {ok, Writer} once its output is open.
start_link(Collector, SysTag, Opts) ->
    Writer = spawn_opt(fun() -> init(Collector, Collector, SysTag, Opts) end, [link, {message_queue_data, off_heap}]),
    receive
        {Writer, opened} -> {ok, Writer};
        {Writer, {error, _} = E} -> E
    end.

%% The writer of a cluster's record (attach), linked to the caller: {ok, Writer, SysTag}; the
%% collectors say {collector, Pid, TimeOffset} when they start. Opts as mailroom_tracer:start/1,
%% and home => the node whose pids are numbered N, nodes => the others, numbered in this order.
start(Opts) ->
    Parent = self(),
    SysTag = make_ref(),
    Writer = spawn_opt(fun() -> init(Parent, undefined, SysTag, Opts) end, [link, {message_queue_data, off_heap}]),
    receive
        {Writer, opened} -> {ok, Writer, SysTag};
        {Writer, {error, _} = E} -> E
    end.

init(Starter, Collector, SysTag, Opts) ->
    Out = case maps:get(out, Opts) of
              {file, Path} ->
                  case file:open(Path, [write, raw, binary, {delayed_write, 65536, 20}]) of
                      {ok, Fd} -> {file, Fd};
                      {error, Why} -> Starter ! {self(), {error, {cannot_open, Path, Why}}}, exit(normal)
                  end;
              {pid, P} -> {pid, P}
          end,
    mailroom_json:number_nodes(maps:get(home, Opts, node()), maps:get(nodes, Opts, [])),
    Events = mailroom_events:new(Opts#{systag => SysTag, t0 => erlang:monotonic_time(nanosecond)}),
    St = #w{out = Out, events = Events},
    Starter ! {self(), opened},
    case Collector of
        undefined -> loop(St);
        _ -> loop(add_collector(Collector, 0, St))
    end.

add_collector(C, Shift, St) ->
    St#w{collectors = maps:put(C, {Shift, undefined}, St#w.collectors),
         events = mailroom_events:add_owner(C, St#w.events)}.

loop(St) ->
    receive
        {items, C, Items} -> loop(take(C, Items, St));
        {mark, P, B} -> put({mailroom_internal, P}, B), loop(St);
        {cut, C, Cut} -> loop(cut(C, Cut, St));
        {collector, C, Offset} ->
            monitor(process, C),
            loop(add_collector(C, Offset - erlang:time_offset(nanosecond), St));
        {done, C} -> loop(done(C, St));
        {'DOWN', _, process, C, _} -> loop(done(C, St));
        {tripped, C} ->
            %% The others pause too, until C's flood is over: the record has one gap, on every node.
            [Other ! mailroom_stop_tracing || Other <- maps:keys(St#w.collectors), Other =/= C],
            loop(St);
        {resumed, C} ->
            [Other ! mailroom_resume_tracing || Other <- maps:keys(St#w.collectors), Other =/= C],
            loop(St);
        {finish, From, Ref} ->
            St1 = flush(infinity, await_collectors(St, erlang:monotonic_time(millisecond) + ?FINISH_WAIT_MS)),
            Seq = mailroom_events:seq(St1#w.events),
            write_out([mailroom_json:status_line(<<"end">>, [{<<"events">>, Seq}])], St1),
            close(St1),
            From ! {Ref, ok};
        close -> close(St)
    end.

%% A batch, its timestamps moved onto this node's time.
take(C, Items, St) ->
    case maps:get(C, St#w.collectors, {0, undefined}) of
        {0, _} -> St#w{buf = Items ++ St#w.buf};
        {Shift, _} -> St#w{buf = [{{M + Shift, U}, I} || {{M, U}, I} <- Items] ++ St#w.buf}
    end.

cut(C, Cut, St) ->
    case maps:get(C, St#w.collectors, undefined) of
        {Shift, Old} when Old =/= infinity ->
            flush_ready(St#w{collectors = maps:put(C, {Shift, Cut + Shift}, St#w.collectors)});
        _ -> St
    end.

done(C, St) ->
    case maps:get(C, St#w.collectors, undefined) of
        {Shift, _} -> flush_ready(St#w{collectors = maps:put(C, {Shift, infinity}, St#w.collectors)});
        undefined -> St
    end.

%% What every collector has vouched for: the items stamped before the earliest cut.
flush_ready(St) ->
    Cuts = [Cut || {_, Cut} <- maps:values(St#w.collectors)],
    case lists:member(undefined, Cuts) of
        true -> St;
        false -> flush(lists:min(Cuts), St) % a number is below the atom infinity
    end.

%% At the end of a watch every collector says it is done (or is gone); bounded, in case one
%% cannot say it any more.
await_collectors(St, Deadline) ->
    case lists:all(fun({_, Cut}) -> Cut =:= infinity end, maps:values(St#w.collectors)) of
        true -> St;
        false ->
            Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
            receive
                {items, C, Items} -> await_collectors(take(C, Items, St), Deadline);
                {mark, P, B} -> put({mailroom_internal, P}, B), await_collectors(St, Deadline);
                {done, C} -> await_collectors(done(C, St), Deadline);
                {'DOWN', _, process, C, _} -> await_collectors(done(C, St), Deadline)
            after Left -> St
            end
    end.

%% The items stamped before Cut, in timestamp order, become events and are written.
flush(Cut, St) ->
    {Ready, Rest} = case Cut of
                        infinity -> {St#w.buf, []};
                        _ -> lists:partition(fun({{Mono, _}, _}) -> Mono < Cut end, St#w.buf)
                    end,
    Events = lists:foldl(fun({Ts, Item}, E) -> mailroom_events:interpret(Item, Ts, E) end,
                         St#w.events, lists:keysort(1, Ready)),
    {Lines, Events1} = mailroom_events:take_lines(Events),
    %% A remote reader gets its lines as they are flushed; a file at its delayed_write pace.
    Lines =:= [] orelse write_out(Lines, St),
    St#w{buf = Rest, events = Events1}.

write_out(Data, #w{out = {file, Fd}} = St) ->
    case file:write(Fd, Data) of
        ok -> ok;
        {error, _} -> close(St), exit(reader_gone) % the collector, linked, leaves the node clean
    end;
write_out(Data, #w{out = {pid, P}}) ->
    P ! {mailroom_lines, self(), Data},
    ok.

close(#w{out = {file, Fd}}) -> file:close(Fd);
close(#w{out = {pid, P}}) -> P ! {mailroom_closed, self()}, ok.
