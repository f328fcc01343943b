// SPDX-License-Identifier: MIT
#include "script/unsupported.h"

#include <array>

namespace mailroom::script {

namespace {

bool oneOf(std::string_view name, std::initializer_list<std::string_view> names)
{
    for (const auto n : names)
        if (n == name)
            return true;
    return false;
}

std::string moduleName(Atom module)
{
    const std::string_view n = module.name();
    return n.starts_with("Elixir.") ? std::string(n.substr(7)) : ":" + std::string(n);
}

} // namespace

std::string unsupportedMessage(std::string_view construct)
{
    return std::string(construct) + " is not supported by Mailroom's script language";
}

bool isAlwaysUnsupportedLocal(std::string_view name)
{
    return oneOf(name, { "__ENV__", "__CALLER__", "__DIR__", "__STACKTRACE__" });
}

std::optional<std::string> unsupportedLocal(std::string_view name)
{
    if (oneOf(name,
            { "defmacro", "defmacrop", "defguard", "defguardp", "defexception", "defprotocol", "defimpl",
                "defdelegate", "defoverridable" }))
        return unsupportedMessage(name)
            + ": modules may define functions (def, defp), structs (defstruct) and attributes, but no macros, "
              "guards, exceptions or protocols";
    if (name == "import")
        return unsupportedMessage(name)
            + ": call functions with their module's name, such as Enum.map(list, f), or alias the module";
    if (oneOf(name, { "quote", "unquote", "unquote_splicing", "binding", "var!", "dbg" }))
        return unsupportedMessage(name) + ": the language has no macros or code introspection";
    if (isAlwaysUnsupportedLocal(name))
        return unsupportedMessage(name) + ": the language has no code introspection";
    return std::nullopt;
}

std::optional<std::string> unsupportedRemote(Atom module, std::string_view fun)
{
    const std::string_view m = module.name();
    const std::string call = moduleName(module) + "." + std::string(fun);
    if (oneOf(m,
            { "Elixir.File", "Elixir.Path", "Elixir.System", "Elixir.Port", "Elixir.Node",
                "Elixir.Application", "os", "file", "filename", "init", "net_adm", "net_kernel", "gen_tcp",
                "gen_udp", "inet", "ssl", "httpc", "application", "c", "shell", "erl_eval", "ets", "dets",
                "persistent_term", "io" }))
        return unsupportedMessage(call)
            + ": scripts have no access to files, the network or the operating system";
    if (oneOf(m,
            { "Elixir.Code", "Elixir.Module", "Elixir.Macro", "Elixir.Kernel.SpecialForms", "Elixir.Mix",
                "code" }))
        return unsupportedMessage(call) + ": scripts cannot load, compile or inspect code";
    if (m == "erlang")
        return unsupportedMessage(call)
            + ": Erlang's internals are out of the sandbox; use the Elixir function (such "
              "as elem/2 or Process.sleep/1) instead";
    if (m == "Elixir.IO" && oneOf(fun, { "gets", "read", "getn", "binread", "stream", "binstream" }))
        return unsupportedMessage(call) + ": scripts cannot read input";
    return std::nullopt;
}

} // namespace mailroom::script
