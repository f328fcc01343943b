%% SPDX-License-Identifier: MIT
%% mailroom_rate: the tracer's brake (docs/beam.md, "Protection of the watched node"). The
%% collector counts each trace message here: above `limit` in a second, or with as many waiting
%% in the collector's own queue, the answer is to stop tracing, with the status line's fields
%% that say why. The clock and the queue are looked at once every 1024 messages, and on every
%% message once the count is past the limit, so that counting costs next to nothing.
-module(mailroom_rate).

-export([new/1, limit/1, hit/1]).

-record(rate, {limit, window, count = 0}).

new(Limit) -> #rate{limit = Limit, window = erlang:monotonic_time(millisecond)}.

limit(#rate{limit = Limit}) -> Limit.

%% One more trace message: {ok, Rate}, or {trip, {rate, Count, Limit} | {backlog, Queued, Limit}}.
hit(#rate{count = C, limit = Limit, window = W} = R) ->
    C1 = C + 1,
    case C1 band 1023 of
        0 ->
            Now = erlang:monotonic_time(millisecond),
            {message_queue_len, Q} = process_info(self(), message_queue_len),
            if
                Q > Limit -> trip(backlog, Q, R);
                Now - W >= 1000 -> {ok, R#rate{count = 0, window = Now}};
                C1 > Limit -> trip(rate, C1, R);
                true -> {ok, R#rate{count = C1}}
            end;
        _ when C1 > Limit ->
            Now = erlang:monotonic_time(millisecond),
            if
                Now - W >= 1000 -> {ok, R#rate{count = 0, window = Now}};
                true -> trip(rate, C1, R)
            end;
        _ -> {ok, R#rate{count = C1}}
    end.

trip(Reason, N, #rate{limit = Limit}) -> {trip, {Reason, N, Limit}}.
