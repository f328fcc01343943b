%% SPDX-License-Identifier: MIT
%% mailroom_writer: the tracer's second process. The collector (mailroom_tracer) hands it the
%% trace messages in batches; it keeps them until erlang:trace_delivered/1 has said that all
%% stamped before a cut are in (the collector tells it the cut), then sorts them by their
%% timestamps, turns them into events (mailroom_events) and writes the lines: to a file (a
%% descriptor of mailroom-run's), or as messages to a process (the hidden node's, attached).
-module(mailroom_writer).

-export([start_link/3]).

-record(w, {
    out,        % {file, Fd} | {pid, Pid}
    buf = [],   % items {Ts, Item} not yet written
    events      % mailroom_events' state
}).

%% Started by the collector, linked to it: {ok, Writer} once its output is open.
start_link(Collector, SysTag, Opts) ->
    Writer = spawn_opt(fun() -> init(Collector, SysTag, Opts) end, [link, {message_queue_data, off_heap}]),
    receive
        {Writer, opened} -> {ok, Writer};
        {Writer, {error, _} = E} -> E
    end.

init(Collector, SysTag, Opts) ->
    Out = case maps:get(out, Opts) of
              {file, Path} ->
                  case file:open(Path, [write, raw, binary, {delayed_write, 65536, 20}]) of
                      {ok, Fd} -> {file, Fd};
                      {error, Why} -> Collector ! {self(), {error, {cannot_open, Path, Why}}}, exit(normal)
                  end;
              {pid, P} -> {pid, P}
          end,
    Collector ! {self(), opened},
    Events = mailroom_events:new(Opts#{owner => Collector, systag => SysTag,
                                       t0 => erlang:monotonic_time(nanosecond)}),
    loop(#w{out = Out, events = Events}).

loop(St) ->
    receive
        {items, Items} -> loop(St#w{buf = Items ++ St#w.buf});
        {mark, P, B} -> put({mailroom_internal, P}, B), loop(St);
        {cut, Cut} -> loop(flush(Cut, St));
        {tripped, Line} ->
            St1 = flush(infinity, St),
            write_out([Line], St1),
            loop(St1);
        {finish, From, Ref} ->
            St1 = flush(infinity, St),
            Seq = mailroom_events:seq(St1#w.events),
            write_out([mailroom_json:status_line(<<"end">>, [{<<"events">>, Seq}])], St1),
            close(St1),
            From ! {Ref, ok};
        close -> close(St)
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
