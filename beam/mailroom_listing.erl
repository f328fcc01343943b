%% SPDX-License-Identifier: MIT
%% mailroom_listing: the first step of the window's attach, on Mailroom's hidden node: the
%% watched node's processes for the user to pick from, and its peers, asked over rpc without
%% loading anything there (docs/beam.md).
-module(mailroom_listing).

-export([list_cli/1]).

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
        _ -> mailroom_attach:fail(Out, mailroom_attach:connect_error(Target))
    end,
    Pids = case rpc:call(Target, erlang, processes, [], 10000) of
               L when is_list(L) -> L;
               Other -> mailroom_attach:fail(Out, io_lib:format("cannot list the processes of ~s: ~p", [Target, Other]))
           end,
    Init = rpc:call(Target, erlang, whereis, [init], 5000),
    Peers = case rpc:call(Target, erlang, nodes, [], 5000) of
                Ns when is_list(Ns) -> Ns;
                _ -> []
            end,
    ok = file:write(Out, [[listed(Target, Init, P) || P <- Pids],
                          [mailroom_json:status_line(<<"peer">>, [{<<"node">>, mailroom_json:esc(atom_to_binary(N))}]) || N <- Peers],
                          mailroom_json:status_line(<<"end">>, [{<<"events">>, 0}])]),
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
            Own = GL =:= P orelse GL =:= Init orelse mailroom_filter:internal_name(Reg)
                orelse lists:member(App, mailroom_filter:otp_applications())
                orelse element(1, Initial) =:= application_master,
            {Kind, Mod} = process_kind(Target, proplists:get_value('$initial_call', Dict, Initial)),
            case Own orelse mailroom_filter:compiler_module(Mod) of
                true -> [];
                false ->
                    Sup = case proplists:get_value('$ancestors', Dict, []) of
                              [Parent | _] when is_atom(Parent) -> atom_to_binary(Parent);
                              [Parent | _] when is_pid(Parent) -> local_pid_text(Parent);
                              _ -> <<>>
                          end,
                    mailroom_json:status_line(<<"process">>,
                                [{<<"pid">>, mailroom_json:esc(local_pid_text(P))},
                                 {<<"name">>, mailroom_json:esc(case Reg of [] -> <<>>; _ -> atom_to_binary(Reg) end)},
                                 {<<"kind">>, mailroom_json:esc(Kind)},
                                 {<<"module">>, mailroom_json:esc(atom_to_binary(Mod))},
                                 {<<"application">>, mailroom_json:esc(case App of undefined -> <<>>; _ -> atom_to_binary(App) end)},
                                 {<<"supervisor">>, mailroom_json:esc(Sup)}])
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
