%% SPDX-License-Identifier: MIT
%% mailroom_pick: on the watched node, the processes an attach watches, from what the user
%% named (docs/beam.md, "--attach"): registered names (with or without Elixir.), pids <0.N.S>,
%% app:NAME for an application's processes, sup:NAME for a supervisor and everything under it;
%% nothing named, every registered process outside OTP's and Elixir's own applications. In a
%% cluster each node picks its own: names, applications and supervisors are looked for on every
%% node, pids on the node attached to (as the listing shows them).
-module(mailroom_pick).

-export([pick/1, pick_here/2]).

%% On the watched node: the processes to watch. Each of Procs is a registered name (with or
%% without Elixir.), a pid <0.N.S>, app:NAME (that application's processes) or sup:NAME (a
%% supervisor and everything under it).
pick("") ->
    [P || Name <- lists:sort(registered()), not mailroom_filter:internal_name(Name),
          is_pid(P = whereis(Name)), not mailroom_filter:otp_application(P), not mailroom_filter:is_otp_process(P)];
pick(Procs) ->
    Found = [{N, pick_one(N)} || N <- string:lexemes(Procs, ",")],
    case [N || {N, []} <- Found] of
        [] -> lists:usort(lists:append([Ps || {_, Ps} <- Found]));
        Missing -> {error, io_lib:format("no process named ~s on ~s", [string:join(Missing, ", "), node()])}
    end.

%% On one node of a cluster: {the processes here, the entries of Procs found here}; Home says
%% whether this is the node attached to, the only one whose pids Procs names.
pick_here("", _Home) -> {pick(""), []};
pick_here(Procs, Home) ->
    Found = [{N, pick_one(N)} || N <- string:lexemes(Procs, ","), Home orelse hd(N) =/= $<],
    {lists:usort(lists:append([Ps || {_, Ps} <- Found])), [N || {N, [_ | _]} <- Found]}.

pick_one("app:" ++ App) ->
    A = list_to_atom(App),
    [P || P <- processes(), application:get_application(P) =:= {ok, A}, not mailroom_filter:is_otp_process(P),
          not mailroom_filter:is_application_master(P)];
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

find_proc("<" ++ _ = Text) ->
    try list_to_pid(Text) catch _:_ -> undefined end;
find_proc(Name) ->
    Candidates = [list_to_atom(Name), list_to_atom("Elixir." ++ Name)],
    case [P || A <- Candidates, is_pid(P = whereis(A))] of
        [P | _] -> P;
        [] -> undefined
    end.
