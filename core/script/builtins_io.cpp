// SPDX-License-Identifier: MIT
// IO (through the host's output), Exception and Function.
#include "script/builtins.h"
#include "term_inspect.h"

namespace mailroom::script {

namespace {

using A = std::vector<Term>;

void write(Interpreter &in, const Term &device, std::string_view text, std::string_view fun, int arity)
{
    if (device.isAtom("stdio"))
        in.host().output(text);
    else if (device.isAtom("stderr"))
        in.host().errorOutput(text);
    else
        raiseFunctionClause("IO", fun, arity);
}

Term inspect(Interpreter &in, const Term &device, const Term &value, const Term &options, int arity)
{
    std::string text;
    if (const Term *label = keywordGet(options, "label"))
        text = toStringChars(*label) + ": ";
    // IO.inspect lays long terms out over lines (pretty: true, width 80); inspect/1 does not.
    const Term *width = keywordGet(options, "width");
    text += inspectWithLimit(value, inspectLimit(options),
        width != nullptr && width->isInteger() && width->asInteger() > 0 ? static_cast<size_t>(width->asInteger()) : 80);
    text += '\n';
    write(in, device, text, "inspect", arity);
    return value;
}

ErrorKind kindOf(const Term &kind)
{
    if (kind.isAtom("error"))
        return ErrorKind::Error;
    if (kind.isAtom("throw"))
        return ErrorKind::Throw;
    if (kind.isAtom("exit"))
        return ErrorKind::Exit;
    raiseFunctionClause("Exception", "format_banner", 2);
}

} // namespace

void addIoBuiltins(BuiltinTable &t)
{
    const auto io = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "IO", name, arity, fn });
    };
    io("puts", 1, [](Interpreter &in, A &a) {
        in.host().output(toStringChars(a[0]) + "\n");
        return Term::atom("ok");
    });
    io("puts", 2, [](Interpreter &in, A &a) {
        write(in, a[0], toStringChars(a[1]) + "\n", "puts", 2);
        return Term::atom("ok");
    });
    io("write", 1, [](Interpreter &in, A &a) {
        in.host().output(toStringChars(a[0]));
        return Term::atom("ok");
    });
    io("write", 2, [](Interpreter &in, A &a) {
        write(in, a[0], toStringChars(a[1]), "write", 2);
        return Term::atom("ok");
    });
    io("inspect", 1, [](Interpreter &in, A &a) { return inspect(in, Term::atom("stdio"), a[0], Term(), 1); });
    io("inspect", 2, [](Interpreter &in, A &a) { return inspect(in, Term::atom("stdio"), a[0], a[1], 2); });
    io("inspect", 3, [](Interpreter &in, A &a) { return inspect(in, a[0], a[1], a[2], 3); });
    io("iodata_to_binary", 1, [](Interpreter &, A &a) { return Term::binary(toStringChars(a[0])); });

    const auto ex = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Exception", name, arity, fn });
    };
    ex("message", 1, [](Interpreter &, A &a) {
        if (!isException(a[0]))
            raiseFunctionClause("Exception", "message", 1);
        return Term::binary(exceptionMessage(a[0]));
    });
    ex("format_exit", 1, [](Interpreter &in, A &a) {
        ScriptHost &host = in.host();
        return Term::binary(formatExit(a[0], [&host](Atom m) { return moduleAvailable(host, m); }));
    });
    ex("format_banner", 2,
        [](Interpreter &, A &a) { return Term::binary(formatBanner(kindOf(a[0]), a[1])); });
    ex("format", 2, [](Interpreter &, A &a) { return Term::binary(formatBanner(kindOf(a[0]), a[1])); });
    ex("normalize", 2,
        [](Interpreter &, A &a) { return kindOf(a[0]) == ErrorKind::Error ? normalizeError(a[1]) : a[1]; });
    ex("exception?", 1, [](Interpreter &, A &a) { return boolTerm(isException(a[0])); });

    t.push_back({ "Function", "identity", 1, [](Interpreter &, A &a) { return a[0]; } });
}

} // namespace mailroom::script
