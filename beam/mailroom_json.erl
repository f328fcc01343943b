%% SPDX-License-Identifier: MIT
%% mailroom_json: the record's JSON (docs/events.md) as the tracer writes it: terms in the
%% record's typed encoding, cut to a budget of bytes (docs/beam.md, "Terms are cut"), pids and
%% references numbered as the record numbers them, JSON strings and the stream's status lines.
%% Pids and references are numbered in the process dictionary of the process that writes (the
%% writer), so that one stream numbers them one way.
-module(mailroom_json).

-export([encode_term/2, esc/1, status_line/2, pnum/1, number_nodes/2]).

-define(CUT_ATOM, 'mailroom:cut').

%% A status line of the stream: {"tracer":What, Key:Value...}; a value is an integer or
%% iodata that is already JSON (esc/1 for a string).
status_line(What, Fields) ->
    [<<"{\"tracer\":\"">>, What, $",
     [[$,, $", K, <<"\":">>, case V of _ when is_integer(V) -> integer_to_binary(V); _ -> V end]
      || {K, V} <- Fields],
     <<"}\n">>].

%% The number of a pid in the record: N of <0.N.0> on the home node (the one watched, or
%% attached to); a pid of the k-th other node is k * 2^24 + N (docs/events.md), so that pids are
%% unique across a cluster.
pnum(P) when is_pid(P) ->
    %% Kept: the same pids come again and again, and reading a pid's text is the costliest
    %% step of writing an event. The table forgets everything past 100 000 pids.
    case get({mailroom_pnum, P}) of
        undefined ->
            N = pid_number(P),
            K = case node(P) =:= home() of
                    true -> N;
                    false -> node_index(node(P)) bsl 24 + N
                end,
            Count = case get(mailroom_pnums) of undefined -> 1; C -> C + 1 end,
            Count >= 100000 andalso [erase(Key) || {{mailroom_pnum, _} = Key, _} <- get()],
            put(mailroom_pnums, case Count >= 100000 of true -> 1; false -> Count end),
            put({mailroom_pnum, P}, K),
            K;
        K -> K
    end;
pnum(_) -> 0.

home() ->
    case get(mailroom_home) of
        undefined -> node();
        Home -> Home
    end.

%% The home node, and the other nodes numbered 1, 2, ... in this order (those seen later come
%% after them).
number_nodes(Home, Others) ->
    put(mailroom_home, Home),
    lists:foreach(fun node_index/1, [N || N <- Others, N =/= Home]).

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
    %% Kept: a record names the same few atoms (a message's tag, :noreply, ...) again and again.
    {Io, Size} = case get({mailroom_atom, A}) of
                     undefined -> atom_leaf(A);
                     Known -> Known
                 end,
    case Size > B of
        true -> cut(B);
        false -> {Io, B - Size}
    end;
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

%% An atom's encoding and its size, remembered in the writer's dictionary (up to 100 000
%% atoms, then forgotten and begun again).
atom_leaf(A) ->
    Io = iolist_to_binary([<<"{\"a\":">>, esc(atom_to_binary(A)), $}]),
    Leaf = {Io, byte_size(Io)},
    Count = case get(mailroom_atoms) of undefined -> 1; C -> C + 1 end,
    Count >= 100000 andalso [erase(Key) || {{mailroom_atom, _} = Key, _} <- get()],
    put(mailroom_atoms, case Count >= 100000 of true -> 1; false -> Count end),
    put({mailroom_atom, A}, Leaf),
    Leaf.

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

esc(Bin) ->
    %% Most strings need no escape: one search for the bytes that do (a BIF) says so.
    case binary:match(Bin, esc_pattern()) of
        nomatch -> [$", Bin, $"];
        {I, _} -> [$", esc(Bin, I, Bin, []), $"]
    end.

%% The bytes a JSON string escapes, as a compiled pattern kept in the dictionary of the process
%% that writes.
esc_pattern() ->
    case get(mailroom_esc) of
        undefined ->
            Cp = binary:compile_pattern([<<C>> || C <- lists:seq(0, 16#1f) ++ [$", $\\]]),
            put(mailroom_esc, Cp),
            Cp;
        Cp -> Cp
    end.

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

