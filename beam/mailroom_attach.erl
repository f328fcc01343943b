%% SPDX-License-Identifier: MIT
%% mailroom_attach: `mailroom-run --attach` and the window's attach, on Mailroom's hidden node
%% (which does not listen: -dist_listen false). It connects to the node, loads the tracer's
%% modules there over distribution, starts the tracer there writing to it, and passes the lines
%% on to Mailroom through a descriptor; it takes Mailroom's commands on its standard input (stop,
%% a console line to evaluate on the node) and, whichever way the watch ends, leaves nothing of
%% the tracer on the node.
-module(mailroom_attach).

-export([attach_cli/1, connect_error/1, fail/2]).

%% Args: [Target, Procs ("" = every registered process outside OTP and Elixir; else names, pids,
%% app:NAME and sup:NAME, comma-separated), Seconds ("0": until Mailroom writes `stop` to our
%% standard input), RateLimit, TermCap, Fd, Mode ("messages": messages only, no handler events;
%% "full")], all strings.
%%
%% Target's peers (the nodes it is connected to) are watched too, as one cluster: the tracer
%% runs on each node that has processes to watch, and writes to one writer here, so that the
%% record is one. A peer that cannot be reached, or refuses the cookie, is said in a notice and
%% left out; the others are watched.
attach_cli([Target0, Procs0, Seconds0, Limit0, Cap0, Fd0, Mode]) ->
    MessagesOnly = Mode =:= "messages",
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
    Peers = [Peer || Peer <- peers(Target), reach(Out, Peer)],
    put(mailroom_loaded, []),
    load(Out, Target),
    %% From here on the modules are on the node: every way out removes them (fail/3 here, the
    %% tracer's detach there when this node goes without a word).
    Loaded = [Target | [Peer || Peer <- Peers, load_peer(Out, Peer)]],
    Picks = [{Node, pick(Out, Target, Node, Procs0)} || Node <- Loaded],
    Named = string:lexemes(Procs0, ","),
    case [N || N <- Named, not lists:any(fun({_, {_, Found}}) -> lists:member(N, Found) end, Picks)] of
        [] -> ok;
        Missing when Peers =:= [] ->
            fail(Out, Target, io_lib:format("no process named ~s on ~s", [string:join(Missing, ", "), Target]));
        Missing ->
            fail(Out, Target, io_lib:format("no process named ~s on ~s or its peers (~s)",
                                            [string:join(Missing, ", "), Target, join_nodes(Peers)]))
    end,
    %% The tracer runs on the node attached to, and on each peer with something to watch.
    Watched = [{Node, Pids} || {Node, {Pids, _}} <- Picks, Node =:= Target orelse Pids =/= []],
    [unload(Node) || Node <- Loaded, not lists:keymember(Node, 1, Watched)],
    put(mailroom_loaded, [Node || {Node, _} <- Watched]),
    Cap = list_to_integer(Cap0),
    {ok, Writer, SysTag} = mailroom_writer:start(#{out => {pid, Self}, term_cap => Cap, home => Target,
                                                   nodes => Peers, show_nodes => true,
                                                   messages_only => MessagesOnly}),
    Opts = #{rate_limit => list_to_integer(Limit0), term_cap => Cap, writer => Writer, systag => SysTag,
             messages_only => MessagesOnly},
    Tracers = [{Node, start_tracer(Out, Target, Node, Pids, Opts)} || {Node, Pids} <- Watched],
    [monitor_node(Node, true) || {Node, _} <- Tracers, Node =/= Target],
    case list_to_integer(Seconds0) of
        0 -> ok;
        Seconds -> erlang:send_after(Seconds * 1000, self(), time_is_up)
    end,
    collect(#{target => Target, tracers => Tracers, writer => Writer, out => Out}).

%% The nodes Target is connected to (its Node.list(), without Mailroom's hidden nodes).
peers(Target) ->
    case rpc:call(Target, erlang, nodes, [], 5000) of
        Nodes when is_list(Nodes) -> [N || N <- Nodes, N =/= node()];
        _ -> []
    end.

reach(Out, Peer) ->
    case net_kernel:connect_node(Peer) of
        true -> true;
        _ -> notice(Out, io_lib:format("not watching the peer ~s: ~s", [Peer, connect_error(Peer)])), false
    end.

load_peer(Out, Peer) ->
    case load_on(Peer) of
        ok -> put(mailroom_loaded, [Peer | get(mailroom_loaded)]), true;
        {error, Why} -> notice(Out, io_lib:format("not watching the peer ~s: ~s", [Peer, Why])), false
    end.

%% What Procs names on Node: {Pids, the entries found there}.
pick(Out, Target, Node, Procs) ->
    case rpc:call(Node, mailroom_pick, pick_here, [Procs, Node =:= Target], 10000) of
        {Pids, Found} when is_list(Pids) -> {Pids, Found};
        Other -> fail(Out, Target, io_lib:format("cannot list the processes of ~s: ~p", [Node, Other]))
    end.

start_tracer(Out, Target, Node, Pids, Opts) ->
    Tracer = rpc:call(Node, mailroom_tracer, start_remote, [self(), Opts], 10000),
    is_pid(Tracer) orelse fail(Out, Target, io_lib:format("cannot start the tracer on ~s: ~p", [Node, Tracer])),
    link(Tracer),
    case rpc:call(Node, mailroom_tracer, watch, [Tracer, Pids], 30000) of
        ok -> Tracer;
        Failed -> fail(Out, Target, io_lib:format("cannot watch the processes of ~s: ~p", [Node, Failed]))
    end.

join_nodes(Nodes) -> string:join([atom_to_list(N) || N <- Nodes], ", ").

notice(Out, Text) ->
    Line = mailroom_json:status_line(<<"notice">>, [{<<"message">>, mailroom_json:esc(iolist_to_binary(Text))}]),
    ok = file:write(Out, Line).

collect(#{target := Target, out := Out} = S) ->
    receive
        {mailroom_lines, _Writer, Data} ->
            ok = file:write(Out, Data),
            collect(S);
        time_is_up ->
            %% Each node's tracer stops (on its node; what it saw reaches the writer before its
            %% answer), then the writer ends the stream.
            Ref = make_ref(),
            Self = self(),
            #{tracers := Tracers, writer := Writer} = S,
            spawn_link(fun() ->
                               [rpc:call(Node, mailroom_tracer, stop, [Tracer], 30000) || {Node, Tracer} <- Tracers],
                               Writer ! {finish, Self, Ref}
                       end),
            collect_end(S, Ref);
        {eval, Prompt, Code, File} ->
            %% A line of the window's console, or the editor's buffer, run on the watched node
            %% in a process of its own (a call there may block): its answer comes back here to
            %% be written.
            Self = self(),
            spawn(fun() -> Self ! {evaluated, Prompt, evaluate(Target, Code, File)} end),
            collect(S);
        {evaluated, Prompt, {Ok, Text, {Line, Column}}} ->
            Fields = [{<<"prompt">>, Prompt}, {<<"ok">>, atom_to_binary(Ok)}, {<<"text">>, mailroom_json:esc(Text)},
                      {<<"line">>, Line}, {<<"column">>, Column}],
            ok = file:write(Out, mailroom_json:status_line(<<"result">>, Fields)),
            collect(S);
        {nodedown, Target} ->
            fail(Out, io_lib:format("the connection to ~s was lost", [Target]));
        {nodedown, Peer} ->
            collect(peer_lost(Peer, S))
    end.

%% A peer gone: its processes are watched no more (the writer, which monitors its collector,
%% goes on without it).
peer_lost(Peer, #{tracers := Tracers, out := Out} = S) ->
    notice(Out, io_lib:format("the connection to the peer ~s was lost: its processes are watched no more", [Peer])),
    put(mailroom_loaded, lists:delete(Peer, get(mailroom_loaded))),
    S#{tracers := lists:keydelete(Peer, 1, Tracers)}.

%% Elixir code run on Target (Code.eval_string there, under File's name when there is one):
%% {true, the value inspected, _} or {false, what went wrong, {Line, Column}}, where a syntax
%% or compile error says it (0 when unknown: the BEAM's eval keeps no line for a raise).
evaluate(Target, Code, File) ->
    Opts = case File of <<>> -> []; _ -> [{file, File}] end,
    case rpc:call(Target, 'Elixir.Code', eval_string, [Code, [], Opts], 60000) of
        {badrpc, {'EXIT', {Exception, Stack}}} when is_map(Exception) ->
            {false, 'Elixir.Exception':format(error, Exception, Stack), position(Exception)};
        {badrpc, {'EXIT', Reason}} -> {false, 'Elixir.Exception':format_exit(Reason), {0, 0}};
        {badrpc, Reason} -> {false, 'Elixir.Kernel':inspect(Reason), {0, 0}};
        {Value, _Binding} -> {true, 'Elixir.Kernel':inspect(Value), {0, 0}}
    end.

position(Exception) ->
    Number = fun(N) when is_integer(N), N > 0 -> N; (_) -> 0 end,
    {Number(maps:get(line, Exception, 0)), Number(maps:get(column, Exception, 0))}.

collect_end(#{target := Target, out := Out} = S, Ref) ->
    receive
        {mailroom_lines, _Writer, Data} ->
            ok = file:write(Out, Data),
            collect_end(S, Ref);
        {mailroom_closed, _Writer} ->
            collect_end(S, Ref);
        {Ref, _} ->
            unload_all(),
            file:close(Out),
            erlang:halt(0);
        {nodedown, Target} ->
            fail(Out, io_lib:format("the connection to ~s was lost", [Target]));
        {nodedown, Peer} ->
            collect_end(peer_lost(Peer, S), Ref)
    after 30000 ->
        fail(Out, Target, "the tracer did not stop within 30 s")
    end.

%% Nothing of ours stays on a node: the modules go too (purge ends what still runs them, the
%% tracer if it has not stopped, whose flags the BEAM then removes).
unload(Node) ->
    Modules = mailroom_tracer:node_modules(),
    [rpc:call(Node, code, delete, [M], 5000) || M <- Modules],
    [rpc:call(Node, code, purge, [M], 5000) || M <- Modules],
    ok.

unload_all() ->
    [unload(Node) || Node <- get(mailroom_loaded)],
    ok.

%% The tracer's modules, as this node has them (from -pa), loaded on Target.
load(Out, Target) ->
    put(mailroom_loaded, [Target | get(mailroom_loaded)]),
    case load_on(Target) of
        ok -> ok;
        {error, Why} -> fail(Out, Target, Why)
    end.

load_on(Node) ->
    Load = fun(Mod) ->
                   {Mod, Bin, File} = code:get_object_code(Mod),
                   rpc:call(Node, code, load_binary, [Mod, File, Bin], 10000)
           end,
    case [R || R <- lists:map(Load, mailroom_tracer:node_modules()), element(1, R) =/= module] of
        [] -> ok;
        [Other | _] -> {error, io_lib:format("cannot load the tracer on ~s: ~p", [Node, Other])}
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

%% A failure once the modules are loaded on Target (and its peers): they are removed before we go.
fail(Out, _Target, Text) ->
    unload_all(),
    fail(Out, Text).

fail(Out, Text) ->
    Msg = iolist_to_binary(Text),
    file:write(Out, mailroom_json:status_line(<<"error">>, [{<<"message">>, mailroom_json:esc(Msg)}])),
    file:close(Out),
    erlang:halt(3).

stdin_watch(Parent) ->
    Port = open_port({fd, 0, 1}, [in, binary, eof, {line, 1 bsl 20}]),
    stdin_loop(Parent, Port, <<>>).

%% Mailroom's commands, a line each: `stop` ends the watch as --seconds does (the tracer
%% stopped, its modules removed); `eval PROMPT HEX [FILEHEX]` runs the hex-encoded Elixir code
%% on the watched node, under the hex-encoded file name when there is one. The end of the input, Mailroom gone, halts at once (the tracer, linked,
%% detaches itself and removes its modules).
stdin_loop(Parent, Port, Part) ->
    receive
        {Port, eof} -> erlang:halt(4);
        {Port, {data, {noeol, More}}} -> stdin_loop(Parent, Port, <<Part/binary, More/binary>>);
        {Port, {data, {eol, End}}} ->
            case <<Part/binary, End/binary>> of
                <<"stop">> -> Parent ! time_is_up;
                <<"eval ", Rest/binary>> ->
                    [Prompt, Hex | File] = binary:split(Rest, <<" ">>, [global]),
                    Parent ! {eval, binary_to_integer(Prompt), binary:decode_hex(Hex),
                              case File of [F] -> binary:decode_hex(F); [] -> <<>> end};
                _ -> ok
            end,
            stdin_loop(Parent, Port, <<>>)
    end.
