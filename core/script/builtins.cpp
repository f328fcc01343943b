// SPDX-License-Identifier: MIT
// The builtin registry and Kernel's functions.
#include "script/builtins.h"
#include "term_inspect.h"

#include <cmath>
#include <limits>
#include <unordered_map>

namespace mailroom::script {

namespace {

Term atom(std::string_view name)
{
    return Term::atom(name);
}

struct Key {
    uint32_t module;
    uint32_t function;
    int arity;
    bool operator==(const Key &) const = default;
};

struct KeyHash {
    size_t operator()(const Key &k) const noexcept
    {
        return (static_cast<size_t>(k.module) * 0x9E3779B97F4A7C15ULL)
            ^ (static_cast<size_t>(k.function) << 8U) ^ static_cast<size_t>(k.arity);
    }
};

struct Registry {
    std::unordered_map<Key, const BuiltinEntry *, KeyHash> byKey;
    std::unordered_map<uint32_t, bool> modules;
    BuiltinTable table;

    Registry()
    {
        addKernelBuiltins(table);
        addEnumBuiltins(table);
        addTextBuiltins(table);
        addCollectionBuiltins(table);
        addIoBuiltins(table);
        addTimeBuiltins(table);
        for (const auto &e : table) {
            const Atom module = Atom::intern("Elixir." + std::string(e.module));
            byKey.emplace(Key{ module.id(), Atom::intern(e.name).id(), e.arity }, &e);
            modules[module.id()] = true;
        }
    }
};

const Registry &registry()
{
    static const Registry r; // built once, thread-safe, read-only afterwards
    return r;
}

[[noreturn]] void badArithmetic(const std::string &blame)
{
    ScriptException e(ErrorKind::Error, atom("badarith"));
    e.setBlame(": " + blame);
    throw e;
}

const Term &tupleArg(const Term &t, int argNumber)
{
    if (!t.isTuple())
        raiseBadArgument(argNumber, "not a tuple");
    return t;
}

// Elixir's elem(tuple, index) is :erlang.element(index + 1, tuple): errors name those
// argument positions.
size_t tupleIndex(const Term &tuple, const Term &index)
{
    tupleArg(tuple, 2);
    if (!index.isInteger())
        raiseBadArgument(1, "not an integer");
    if (index.asInteger() < 0 || static_cast<size_t>(index.asInteger()) >= tuple.tupleSize())
        raiseBadArgument(1, "out of range");
    return static_cast<size_t>(index.asInteger());
}

const Term &numberArg(const Term &t)
{
    if (!t.isNumber())
        raiseBadArgument(1, "not a number");
    return t;
}

Term integerDivision(const Term &a, const Term &b, bool remainder)
{
    const char *name = remainder ? "rem" : "div";
    if (!a.isInteger() || !b.isInteger() || b.asInteger() == 0)
        badArithmetic(std::string(name) + "(" + a.inspect() + ", " + b.inspect() + ")");
    if (a.asInteger() == std::numeric_limits<int64_t>::min() && b.asInteger() == -1) {
        if (remainder)
            return Term::integer(0);
        raiseIntegerOverflow(); // Elixir: 9223372036854775808
    }
    return Term::integer(remainder ? a.asInteger() % b.asInteger() : a.asInteger() / b.asInteger());
}

Term roundTo(const Term &t, double (*fn)(double))
{
    numberArg(t);
    if (t.isInteger())
        return t;
    const double r = fn(t.asFloat());
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        raiseIntegerOverflow();
    return Term::integer(static_cast<int64_t>(r));
}

Term raiseValue(const Term &value)
{
    if (value.isBinary())
        raise(exceptionStruct("RuntimeError", { { "message", value } }));
    if (value.isAtom())
        raise(exceptionFromModule(value.asAtom(), Term()));
    if (isException(value))
        raise(value);
    raiseArgumentError(
        "raise/1 and reraise/2 expect a module name, string or exception as the first argument, got: "
        + value.inspect());
}

// get_in/put_in/update_in step: Access on maps, keyword lists and nil, as Elixir 1.14's.
Term accessGet(const Term &data, const Term &key)
{
    if (data.isMap()) {
        const Term *v = data.mapFind(key);
        return v != nullptr ? *v : nilTerm();
    }
    if (data.isList()) {
        if (!key.isAtom())
            raiseArgumentError("the Access calls for keywords expect the key to be an atom, got: " + key.inspect());
        const Term *v = keywordFind(data, key);
        return v != nullptr ? *v : nilTerm();
    }
    if (data.isAtom("nil"))
        return nilTerm();
    raiseFunctionClause("Access", "get", 3);
}

/// The value under `key` before an update: Access.get_and_update's checks, which differ
/// from Access.get's (a list needs an atom key, anything but a map, list or nil is refused).
Term accessGetForUpdate(const Term &data, const Term &key)
{
    if (data.isList() && !key.isAtom())
        raiseFunctionClause("Keyword", "get_and_update", 3);
    if (!data.isMap() && !data.isList() && !data.isAtom("nil"))
        raiseFunctionClause("Access", "get_and_update", 3);
    return accessGet(data, key);
}

Term accessPut(const Term &data, const Term &key, const Term &value)
{
    if (data.isMap())
        return data.mapPut(key, value);
    if (data.isList()) {
        // Keyword.get_and_update: the first {key, _} is replaced, later ones stay; a missing
        // key goes in front.
        std::vector<Term> items;
        bool replaced = false;
        for (const auto &kv : data.listElements()) {
            if (!replaced && !kv.isTuple(2))
                raiseFunctionClause("Keyword", "get_and_update", 4);
            if (!replaced && kv[0] == key) {
                items.push_back(Term::tuple({ key, value }));
                replaced = true;
            } else {
                items.push_back(kv);
            }
        }
        if (!replaced)
            items.insert(items.begin(), Term::tuple({ key, value }));
        return Term::list(items);
    }
    raiseArgumentError("could not put/update key " + key.inspect() + " on a nil value");
}

Term updateIn(Interpreter &in, const Term &data, const Term *keys, const Term &fun)
{
    if (!keys->isCons())
        return in.apply(fun, { data });
    const Term &key = keys->head();
    const Term inner = accessGetForUpdate(data, key);
    return accessPut(data, key, updateIn(in, inner, &keys->tail(), fun));
}

Term putIn(const Term &data, const Term *keys, const Term &value)
{
    if (!keys->isCons())
        return value;
    const Term &key = keys->head();
    return accessPut(data, key, putIn(accessGetForUpdate(data, key), &keys->tail(), value));
}

const Term &keysArg(const Term &keys)
{
    if (!keys.isCons())
        raiseArgumentError(
            "the keys of get_in/put_in/update_in must be a non-empty list, got: " + keys.inspect());
    return keys;
}

Term inspectWithOptions(const Term &value, const Term &options)
{
    const Term *pretty = keywordGet(options, "pretty");
    size_t width = SIZE_MAX;
    if (pretty != nullptr && pretty->isAtom("true")) {
        const Term *w = keywordGet(options, "width");
        width = w != nullptr && w->isInteger() && w->asInteger() > 0 ? static_cast<size_t>(w->asInteger()) : 80;
    }
    return Term::binary(inspectWithLimit(value, inspectLimit(options), width));
}

} // namespace

int inspectLimit(const Term &options)
{
    const Term *limit = keywordGet(options, "limit");
    if (limit == nullptr)
        return 50;
    if (limit->isAtom("infinity"))
        return std::numeric_limits<int>::max();
    if (limit->isInteger() && limit->asInteger() >= 0)
        return static_cast<int>(std::min<int64_t>(limit->asInteger(), std::numeric_limits<int>::max()));
    raiseFunctionClause("Inspect.Opts", "new", 1); // Elixir 1.14 refuses it in a clause head
}

void raiseIntegerOverflow()
{
    raise(exceptionStruct("SystemLimitError",
        { { "message", Term::binary("integer overflow: Mailroom's integers are 64-bit") } }));
}

void raiseBadArithmetic(const std::string &blame) { badArithmetic(blame); }

void checkBinarySize(double bytes)
{
    if (bytes > kMaxBinaryBytes)
        raise(exceptionStruct("SystemLimitError",
            { { "message",
                Term::binary("binary too large: Mailroom's binaries are limited to 256 MB") } }));
}

// Registry ------------------------------------------------------------------------------------

BuiltinFn findBuiltin(Atom module, Atom function, int arity)
{
    const auto &r = registry();
    const auto it = r.byKey.find(Key{ module.id(), function.id(), arity });
    return it == r.byKey.end() ? nullptr : it->second->fn;
}

bool isBuiltinModule(Atom module)
{
    const auto &r = registry();
    // Kernel's process functions are the host's: Kernel as a whole is not ours alone.
    return module != kernelModule() && r.modules.contains(module.id());
}

bool isLocalFunction(std::string_view name, int arity)
{
    return findBuiltin(kernelModule(), Atom::intern(name), arity) != nullptr;
}

bool isGuardFunction(std::string_view name, int arity)
{
    const auto &r = registry();
    const auto it = r.byKey.find(Key{ kernelModule().id(), Atom::intern(name).id(), arity });
    return it != r.byKey.end() && it->second->guard;
}

Atom kernelModule()
{
    static const Atom a = Atom::intern("Elixir.Kernel");
    return a;
}

// Helpers -------------------------------------------------------------------------------------

std::string_view expectBinary(const Term &t, std::string_view module, std::string_view fun, int arity)
{
    if (!t.isBinary())
        raiseFunctionClause(module, fun, arity);
    return t.asBinary();
}

int64_t expectInteger(const Term &t, std::string_view module, std::string_view fun, int arity)
{
    if (!t.isInteger())
        raiseFunctionClause(module, fun, arity);
    return t.asInteger();
}

const Term *keywordFind(const Term &list, const Term &key)
{
    for (const Term *cell = &list; cell->isCons(); cell = &cell->tail())
        if (cell->head().isTuple(2) && cell->head()[0] == key)
            return &cell->head()[1];
    return nullptr;
}

const Term *keywordGet(const Term &list, std::string_view key)
{
    return keywordFind(list, atom(key));
}

void expectMap(const Term &t)
{
    if (!t.isMap())
        raise(Term::tuple({ atom("badmap"), t }));
}

void expectList(const Term &t, std::string_view module, std::string_view fun, int arity)
{
    if (!t.isProperList())
        raiseFunctionClause(module, fun, arity);
}

// IEx.Helpers.pid/1 and pid/3. Mailroom's pids are <0.N.0>: node 0 (this one) and serial 0,
// with N up to 2^32 - 1 (the BEAM splits N into a 15-bit number and a serial instead).
[[noreturn]] void notAPid()
{
    raiseBadArgument(1, "not a textual representation of a pid");
}

Term pidOf(int64_t node, int64_t number, int64_t serial)
{
    if (node != 0 || serial != 0 || number > int64_t(UINT32_MAX))
        notAPid();
    return Term(Pid{ static_cast<uint32_t>(number) });
}

/// "0.N.0" as :erlang.list_to_pid('<0.N.0>') reads it (IEx.Helpers.pid/1).
Term pidFromText(std::string_view text)
{
    int64_t parts[3] = {};
    size_t at = 0;
    for (int i = 0; i < 3; ++i) {
        if (i > 0 && (at >= text.size() || text[at++] != '.'))
            notAPid();
        const size_t start = at;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
            parts[i] = parts[i] * 10 + (text[at] - '0');
            if (parts[i] > int64_t(UINT32_MAX))
                notAPid();
        }
        if (at == start)
            notAPid();
    }
    if (at != text.size())
        notAPid();
    return pidOf(parts[0], parts[1], parts[2]);
}

void addPidHelpers(BuiltinTable &t, std::string_view module)
{
    using A = std::vector<Term>;
    t.push_back({ module, "pid", 1, [](Interpreter &in, A &a) -> Term {
                     if (a[0].isBinary())
                         return pidFromText(a[0].asBinary());
                     if (!a[0].isAtom())
                         raiseFunctionClause("IEx.Helpers", "pid", 1);
                     Term found = in.host().callModule(
                         Atom::intern("Elixir.Process"), Atom::intern("whereis"), { a[0] });
                     if (!found.isPid())
                         raiseArgumentError("could not find registered process with name: " + a[0].inspect());
                     return found;
                 } });
    t.push_back({ module, "pid", 3, [](Interpreter &, A &a) {
                     for (const Term &part : a)
                         if (!part.isInteger() || part.asInteger() < 0)
                             raiseFunctionClause("IEx.Helpers", "pid", 3);
                     return pidOf(a[0].asInteger(), a[1].asInteger(), a[2].asInteger());
                 } });
}

// Kernel ----------------------------------------------------------------------------------------

void addKernelBuiltins(BuiltinTable &t)
{
    using A = std::vector<Term>;
    const auto guard = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Kernel", name, arity, fn, true });
    };
    const auto plain = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Kernel", name, arity, fn, false });
    };

    // Type checks.
    guard("is_atom", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isAtom()); });
    guard("is_binary", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isBinary()); });
    guard("is_bitstring", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isBinary()); });
    guard("is_boolean", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isBoolean()); });
    guard("is_float", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isFloat()); });
    guard("is_function", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isFunction()); });
    guard("is_function", 2, [](Interpreter &, A &a) {
        return boolTerm(
            a[0].isFunction() && a[1].isInteger() && a[0].asFunction()->arity() == a[1].asInteger());
    });
    guard("is_integer", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isInteger()); });
    guard("is_list", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isList()); });
    guard("is_map", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isMap()); });
    guard("is_map_key", 2, [](Interpreter &, A &a) {
        expectMap(a[0]);
        return boolTerm(a[0].mapFind(a[1]) != nullptr);
    });
    guard("is_nil", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isAtom("nil")); });
    guard("is_number", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isNumber()); });
    guard("is_pid", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isPid()); });
    guard("is_port", 1, [](Interpreter &, A &) { return boolTerm(false); });
    guard("is_reference", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isReference()); });
    guard("is_tuple", 1, [](Interpreter &, A &a) { return boolTerm(a[0].isTuple()); });
    guard("is_struct", 1, [](Interpreter &, A &a) { return boolTerm(a[0].structModule() != nullptr); });
    guard("is_struct", 2, [](Interpreter &, A &a) {
        const Term *m = a[0].structModule();
        return boolTerm(m != nullptr && *m == a[1]);
    });
    guard("is_exception", 1, [](Interpreter &, A &a) { return boolTerm(isException(a[0])); });
    guard("is_exception", 2,
        [](Interpreter &, A &a) { return boolTerm(isException(a[0]) && *a[0].structModule() == a[1]); });

    // Numbers.
    guard("abs", 1, [](Interpreter &, A &a) {
        numberArg(a[0]);
        if (a[0].isFloat())
            return Term::floating(std::fabs(a[0].asFloat()));
        if (a[0].asInteger() == std::numeric_limits<int64_t>::min())
            raiseIntegerOverflow();
        return Term::integer(a[0].asInteger() < 0 ? -a[0].asInteger() : a[0].asInteger());
    });
    guard("div", 2, [](Interpreter &, A &a) { return integerDivision(a[0], a[1], false); });
    guard("rem", 2, [](Interpreter &, A &a) { return integerDivision(a[0], a[1], true); });
    guard("round", 1, [](Interpreter &, A &a) { return roundTo(a[0], std::round); });
    guard("trunc", 1, [](Interpreter &, A &a) { return roundTo(a[0], std::trunc); });
    guard("ceil", 1, [](Interpreter &, A &a) { return roundTo(a[0], std::ceil); });
    guard("floor", 1, [](Interpreter &, A &a) { return roundTo(a[0], std::floor); });
    plain("max", 2, [](Interpreter &, A &a) { return Term::compare(a[0], a[1]) >= 0 ? a[0] : a[1]; });
    plain("min", 2, [](Interpreter &, A &a) { return Term::compare(a[0], a[1]) <= 0 ? a[0] : a[1]; });

    // Tuples, lists, maps, binaries.
    guard("elem", 2, [](Interpreter &, A &a) { return a[0][tupleIndex(a[0], a[1])]; });
    plain("put_elem", 3, [](Interpreter &, A &a) {
        const size_t i = tupleIndex(a[0], a[1]);
        std::vector<Term> items = a[0].tupleElements();
        items[i] = a[2];
        return Term::tuple(std::move(items));
    });
    guard("tuple_size", 1, [](Interpreter &, A &a) {
        return Term::integer(static_cast<int64_t>(tupleArg(a[0], 1).tupleSize()));
    });
    guard("hd", 1, [](Interpreter &, A &a) {
        if (!a[0].isCons())
            raiseBadArgument(1, "not a nonempty list");
        return a[0].head();
    });
    guard("tl", 1, [](Interpreter &, A &a) {
        if (!a[0].isCons())
            raiseBadArgument(1, "not a nonempty list");
        return a[0].tail();
    });
    guard("length", 1, [](Interpreter &, A &a) {
        if (!a[0].isProperList())
            raiseBadArgument(1, "not a list");
        return Term::integer(static_cast<int64_t>(a[0].listLength()));
    });
    guard("map_size", 1, [](Interpreter &, A &a) {
        if (!a[0].isMap())
            raise(Term::tuple({ atom("badmap"), a[0] }));
        return Term::integer(static_cast<int64_t>(a[0].mapSize()));
    });
    guard("byte_size", 1, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a bitstring");
        return Term::integer(static_cast<int64_t>(a[0].asBinary().size()));
    });
    guard("binary_part", 3, [](Interpreter &, A &a) {
        if (!a[0].isBinary())
            raiseBadArgument(1, "not a binary");
        if (!a[1].isInteger())
            raiseBadArgument(2, "not an integer");
        if (!a[2].isInteger())
            raiseBadArgument(3, "not an integer");
        const int64_t size = static_cast<int64_t>(a[0].asBinary().size());
        int64_t start = a[1].asInteger();
        int64_t length = a[2].asInteger();
        if (start < 0 || start > size)
            raiseBadArgument(2, "out of range");
        if (length < 0) {
            if (length < -start)
                raiseBadArgument(3, "out of range");
            start += length;
            length = -length;
        }
        if (length > size - start)
            raiseBadArgument(3, "out of range");
        return Term::binary(
            std::string(a[0].asBinary().substr(static_cast<size_t>(start), static_cast<size_t>(length))));
    });

    // Conversions.
    plain("to_string", 1, [](Interpreter &, A &a) { return Term::binary(toStringChars(a[0])); });
    plain("to_charlist", 1,
        [](Interpreter &, A &a) { return a[0].isList() ? a[0] : Term::charlist(toStringChars(a[0])); });
    plain("inspect", 1, [](Interpreter &, A &a) { return Term::binary(a[0].inspect()); });
    plain("inspect", 2, [](Interpreter &, A &a) { return inspectWithOptions(a[0], a[1]); });

    // Errors.
    plain("raise", 1, [](Interpreter &, A &a) -> Term { return raiseValue(a[0]); });
    plain("raise", 2, [](Interpreter &, A &a) -> Term {
        if (!a[0].isAtom())
            raiseArgumentError("raise/2 expects a module name as the first argument, got: " + a[0].inspect());
        raise(exceptionFromModule(a[0].asAtom(), a[1]));
    });
    plain("throw", 1, [](Interpreter &, A &a) -> Term { throwValue(a[0]); });
    plain("exit", 1, [](Interpreter &, A &a) -> Term { exitWith(a[0]); });

    // Functions.
    plain("apply", 2, [](Interpreter &in, A &a) {
        if (!a[1].isProperList())
            raiseBadArgument(2, "not a list");
        return in.apply(a[0], a[1].listElements());
    });
    plain("apply", 3, [](Interpreter &in, A &a) {
        if (!a[0].isAtom())
            raiseBadArgument(1, "not an atom");
        if (!a[1].isAtom())
            raiseBadArgument(2, "not an atom");
        if (!a[2].isProperList())
            raiseBadArgument(3, "not a list");
        std::vector<Term> args = a[2].listElements();
        return in.callRemote(a[0].asAtom(), a[1].asAtom(), args);
    });
    plain("then", 2, [](Interpreter &in, A &a) { return in.apply(a[1], { a[0] }); });
    plain("tap", 2, [](Interpreter &in, A &a) {
        (void)in.apply(a[1], { a[0] });
        return a[0];
    });
    plain("get_in", 2, [](Interpreter &, A &a) {
        Term data = a[0];
        for (const auto &key : keysArg(a[1]).listElements())
            data = accessGet(data, key);
        return data;
    });
    plain("put_in", 3, [](Interpreter &, A &a) { return putIn(a[0], &keysArg(a[1]), a[2]); });
    plain("update_in", 3, [](Interpreter &in, A &a) { return updateIn(in, a[0], &keysArg(a[1]), a[2]); });

    // Operators as functions (&+/2).
    plain("+", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("+"), a[0], a[1]); });
    plain("-", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("-"), a[0], a[1]); });
    plain("*", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("*"), a[0], a[1]); });
    plain("/", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("/"), a[0], a[1]); });
    plain("==", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("=="), a[0], a[1]); });
    plain("!=", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("!="), a[0], a[1]); });
    plain("===", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("==="), a[0], a[1]); });
    plain("!==", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("!=="), a[0], a[1]); });
    plain("<", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("<"), a[0], a[1]); });
    plain(">", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern(">"), a[0], a[1]); });
    plain("<=", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("<="), a[0], a[1]); });
    plain(">=", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern(">="), a[0], a[1]); });
    plain("<>", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("<>"), a[0], a[1]); });
    plain("++", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("++"), a[0], a[1]); });
    plain("--", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("--"), a[0], a[1]); });
    plain("and", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("and"), a[0], a[1]); });
    plain("or", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("or"), a[0], a[1]); });
    plain("&&", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("&&"), a[0], a[1]); });
    plain("||", 2, [](Interpreter &in, A &a) { return in.applyOperator(Atom::intern("||"), a[0], a[1]); });

    // Processes: the host's.
    guard("self", 0, [](Interpreter &in, A &) { return in.host().self(); });
    guard("node", 0, [](Interpreter &, A &) { return atom("nonode@nohost"); });
    plain("send", 2, [](Interpreter &in, A &a) {
        in.host().send(a[0], a[1]);
        return a[1];
    });
    plain("spawn", 1, [](Interpreter &in, A &a) {
        if (!a[0].isFunction())
            raiseBadArgument(1, "not a fun");
        return in.host().spawn(a[0], false);
    });
    plain("spawn_link", 1, [](Interpreter &in, A &a) {
        if (!a[0].isFunction())
            raiseBadArgument(1, "not a fun");
        return in.host().spawn(a[0], true);
    });
    plain("make_ref", 0, [](Interpreter &in, A &a) {
        return in.host().callModule(kernelModule(), Atom::intern("make_ref"), std::move(a));
    });
    plain("spawn", 3, [](Interpreter &in, A &a) {
        return in.host().callModule(kernelModule(), Atom::intern("spawn"), std::move(a));
    });
    plain("spawn_link", 3, [](Interpreter &in, A &a) {
        return in.host().callModule(kernelModule(), Atom::intern("spawn_link"), std::move(a));
    });
    plain("spawn_monitor", 1, [](Interpreter &in, A &a) {
        return in.host().callModule(kernelModule(), Atom::intern("spawn_monitor"), std::move(a));
    });
    // As in iex, which imports IEx.Helpers.
    addPidHelpers(t, "Kernel");
    addPidHelpers(t, "IEx.Helpers");
}

} // namespace mailroom::script
