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
    load(Out, Target),
    %% From here on the modules are on the node: every way out removes them (fail/3 here, the
    %% tracer's detach there when this node goes without a word).
    Opts = #{rate_limit => list_to_integer(Limit0), term_cap => list_to_integer(Cap0)},
    Tracer = rpc:call(Target, mailroom_tracer, start_remote, [Self, Opts], 10000),
    is_pid(Tracer) orelse fail(Out, Target, io_lib:format("cannot start the tracer on ~s: ~p", [Target, Tracer])),
    link(Tracer),
    Pids = rpc:call(Target, mailroom_pick, pick, [Procs0], 10000),
    case Pids of
        {error, What} -> rpc:call(Target, mailroom_tracer, stop, [Tracer]), fail(Out, Target, What);
        _ when is_list(Pids) -> ok;
        _ -> fail(Out, Target, io_lib:format("cannot list the processes of ~s: ~p", [Target, Pids]))
    end,
    case rpc:call(Target, mailroom_tracer, watch, [Tracer, Pids], 30000) of
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
            spawn_link(fun() -> Self ! {Ref, rpc:call(Target, mailroom_tracer, stop, [Tracer], 30000)} end),
            collect_end(Target, Tracer, Out, Ref);
        {eval, Prompt, Code} ->
            %% A line of the window's console, run on the watched node in a process of its own
            %% (a call there may block): its answer comes back here to be written.
            Self = self(),
            spawn(fun() -> Self ! {evaluated, Prompt, evaluate(Target, Code)} end),
            collect(Target, Tracer, Out);
        {evaluated, Prompt, {Ok, Text}} ->
            Fields = [{<<"prompt">>, Prompt}, {<<"ok">>, atom_to_binary(Ok)}, {<<"text">>, mailroom_json:esc(Text)}],
            ok = file:write(Out, mailroom_json:status_line(<<"result">>, Fields)),
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

%% Nothing of ours stays on the node: the modules go too (purge ends what still runs them,
%% the tracer if it has not stopped, whose flags the BEAM then removes).
unload(Target) ->
    Modules = mailroom_tracer:node_modules(),
    [rpc:call(Target, code, delete, [M], 5000) || M <- Modules],
    [rpc:call(Target, code, purge, [M], 5000) || M <- Modules],
    ok.

%% The tracer's modules, as this node has them (from -pa), loaded on Target.
load(Out, Target) ->
    lists:foreach(
      fun(Mod) ->
              {Mod, Bin, File} = code:get_object_code(Mod),
              case rpc:call(Target, code, load_binary, [Mod, File, Bin], 10000) of
                  {module, Mod} -> ok;
                  Other -> fail(Out, Target, io_lib:format("cannot load the tracer on ~s: ~p", [Target, Other]))
              end
      end, mailroom_tracer:node_modules()).

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

%% A failure once the modules are loaded on Target: they are removed before we go.
fail(Out, Target, Text) ->
    unload(Target),
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
%% stopped, its modules removed); `eval PROMPT HEX` runs the hex-encoded Elixir code on the
%% watched node. The end of the input, Mailroom gone, halts at once (the tracer, linked,
%% detaches itself and removes its modules).
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
