%% SPDX-License-Identifier: MIT
%% mailroom_filter: which processes are the BEAM's own, OTP's or Elixir's, whose traffic is left
%% out of the record (docs/beam.md, "What is filtered"), and which are Elixir's compiler, whose
%% spawns are not watched. Used by the tracer's two processes, by the pick of what to watch and
%% by the listing of a node's processes.
-module(mailroom_filter).

-export([internal_name/1, internal/1, remember_internal/2, compiler_spawn/1, compiler_module/1,
         otp_applications/0, otp_application/1, is_otp_process/1, is_application_master/1]).

%% Processes of OTP and Elixir whose traffic is the BEAM's own.
-define(INTERNAL_NAMES,
        [code_server, erl_prim_loader, init, user, standard_error, standard_error_sup,
         application_controller, kernel_sup, logger, logger_sup, logger_handler_watcher,
         logger_proxy, logger_std_h_default, error_logger, file_server_2, global_name_server,
         inet_db, erts_code_purger, rex, global_group, net_kernel, auth, erl_epmd,
         'Elixir.Logger', 'Elixir.Logger.Supervisor', 'Elixir.Logger.Watcher',
         'Elixir.Logger.BackendSupervisor', elixir_config, elixir_code_server, elixir_sup]).

internal_name(Name) -> lists:member(Name, ?INTERNAL_NAMES).

%% Whether a pid (or a registered name) is the BEAM's own. What is found of a pid is kept in the
%% asking process's dictionary: it is asked while the process lives, once.
internal(P) when is_pid(P), node(P) =:= node() ->
    case get({mailroom_internal, P}) of
        undefined ->
            B = internal_process(P),
            remember_internal(P, B),
            B;
        B -> B
    end;
internal(Name) when is_atom(Name) -> internal_name(Name);
internal(_) -> false.

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
            internal_name(Name) orelse compiler_module(Initial) orelse compiler_module(Current)
    end.

%% What Elixir's compiler runs for the script is no part of it: a spawn's {M, F, Args}.
compiler_spawn({erlang, apply, [F, _]}) when is_function(F) ->
    compiler_module(element(2, erlang:fun_info(F, module)));
compiler_spawn({proc_lib, init_p, [_, _, gen, init_it, [gen_server, _, _, Mod, _, _]]}) ->
    compiler_module(Mod);
compiler_spawn({proc_lib, init_p, [_, _, gen, init_it, [gen_server, _, _, _, Mod, _, _]]}) ->
    compiler_module(Mod);
compiler_spawn({M, _, _}) -> compiler_module(M);
compiler_spawn(_) -> false.

compiler_module(M) ->
    lists:member(M, ['Elixir.Kernel.LexicalTracker', 'Elixir.Kernel.CLI', 'Elixir.Kernel.ErrorHandler',
                     'Elixir.Kernel.ParallelCompiler', 'Elixir.Module.ParallelChecker', elixir_module,
                     elixir_compiler, elixir_erl, elixir_erl_compiler, elixir_lexical, elixir_code_server,
                     elixir_env, elixir_expand, elixir_dispatch]).

otp_applications() ->
    [kernel, stdlib, elixir, logger, compiler, iex, sasl, mix, hex, crypto, ssl, public_key, asn1,
     runtime_tools, inets, os_mon, observer, wx, tools, eex, ex_unit].

otp_application(P) ->
    lists:member(case application:get_application(P) of {ok, A} -> A; _ -> none end, otp_applications()).

is_otp_process(P) ->
    case process_info(P, group_leader) of
        {group_leader, GL} -> GL =:= P orelse whereis(init) =:= GL;
        _ -> true
    end.

is_application_master(P) ->
    case process_info(P, initial_call) of
        {initial_call, {application_master, _, _}} -> true;
        _ -> false
    end.
