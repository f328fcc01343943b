// SPDX-License-Identifier: MIT
// Map, List, Keyword and Tuple.
#include "script/builtins.h"

#include <algorithm>

namespace mailroom::script {

namespace {

/// Map.fetch!/update!/replace! of a missing key: :maps' raw {:badkey, key} for `catch`, a
/// KeyError naming the map for `rescue` and the banner.
/// Keyword.new/1,2: a later pair replaces an earlier one with its key, in the later one's place.
Term keywordNew(Interpreter &in, const Term &pairs, const Term *transform)
{
    std::vector<Term> out;
    in.enumerate(pairs, [&](const Term &item) {
        const Term kv = transform != nullptr ? in.apply(*transform, { item }) : item;
        if (kv.isTuple(2) && !kv[0].isAtom()) // Elixir builds it with put_new/3
            raiseFunctionClause("Keyword", "put_new", 3);
        if (!kv.isTuple(2))
            raiseArgumentError("expected a keyword list, got an element: " + kv.inspect());
        std::erase_if(out, [&](const Term &e) { return e[0] == kv[0]; });
        out.push_back(kv);
        return true;
    });
    return Term::list(out);
}

[[noreturn]] void raiseMissingKey(const Term &key, const Term &map)
{
    ScriptException e(ErrorKind::Error, Term::tuple({ Term::atom("badkey"), key }));
    e.setException(exceptionStruct("KeyError", { { "key", key }, { "term", map }, { "message", nilTerm() } }));
    throw e;
}

using A = std::vector<Term>;

Term atom(std::string_view name)
{
    return Term::atom(name);
}

const Term &map(const Term &t)
{
    expectMap(t);
    return t;
}

Term mapFromPairs(Interpreter &in, const Term &enumerable, const Term *transform)
{
    std::vector<std::pair<Term, Term>> entries;
    in.enumerate(enumerable, [&](const Term &item) {
        const Term pair = transform != nullptr ? in.apply(*transform, { item }) : item;
        if (!pair.isTuple(2))
            raiseArgumentError("Map.new/1 expects {key, value} tuples, got: " + pair.inspect());
        entries.emplace_back(pair[0], pair[1]);
        return true;
    });
    return Term::map(std::move(entries));
}

Term keysOrValues(const Term &m, bool keys)
{
    std::vector<Term> out;
    for (const auto &[k, v] : map(m).mapEntries())
        out.push_back(keys ? k : v);
    return Term::list(out);
}

Term withoutKeys(const Term &m, const Term &keys)
{
    std::vector<std::pair<Term, Term>> entries;
    const std::vector<Term> drop = keys.listElements();
    for (const auto &[k, v] : map(m).mapEntries()) {
        const Term &key = k; // a name of its own: clang 14 cannot capture a structured binding
        if (std::none_of(drop.begin(), drop.end(), [&](const Term &d) { return Term::compareExact(d, key) == 0; }))
            entries.emplace_back(k, v);
    }
    return Term::map(std::move(entries));
}

// Keyword lists keep their order; Keyword.put replaces every entry of the key.
std::vector<Term> keywordElements(const Term &list, std::string_view fun, int arity)
{
    expectList(list, "Keyword", fun, arity);
    return list.listElements();
}

Term keywordDelete(const Term &list, const Term &key, std::string_view fun, int arity)
{
    std::vector<Term> out;
    for (const auto &kv : keywordElements(list, fun, arity))
        if (!(kv.isTuple(2) && kv[0] == key))
            out.push_back(kv);
    return Term::list(out);
}

size_t listIndex(int64_t index, size_t size, bool insert)
{
    const auto n = static_cast<int64_t>(size);
    if (index < 0)
        index += n + (insert ? 1 : 0);
    return static_cast<size_t>(std::clamp<int64_t>(index, 0, n));
}

// Without recursing: a list nested a million levels deep flattens as in Elixir.
void flattenInto(const Term &list, std::vector<Term> &out)
{
    std::vector<const Term *> rest{ &list }; // where each enclosing list goes on
    while (!rest.empty()) {
        const Term *cell = rest.back();
        rest.pop_back();
        while (cell->isCons()) {
            const Term &item = cell->head();
            cell = &cell->tail();
            if (item.isList()) {
                rest.push_back(cell);
                cell = &item;
            } else {
                out.push_back(item);
            }
        }
    }
}

} // namespace

void addCollectionBuiltins(BuiltinTable &t)
{
    const auto m = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Map", name, arity, fn });
    };
    m("get", 2, [](Interpreter &, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return v != nullptr ? *v : nilTerm();
    });
    m("get", 3, [](Interpreter &, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return v != nullptr ? *v : a[2];
    });
    m("get_lazy", 3, [](Interpreter &in, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return v != nullptr ? *v : in.apply(a[2], {});
    });
    m("fetch", 2, [](Interpreter &, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return v != nullptr ? Term::tuple({ atom("ok"), *v }) : atom("error");
    });
    m("fetch!", 2, [](Interpreter &, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        if (v == nullptr)
            raiseMissingKey(a[1], a[0]);
        return *v;
    });
    m("put", 3, [](Interpreter &, A &a) { return map(a[0]).mapPut(a[1], a[2]); });
    m("put_new", 3, [](Interpreter &, A &a) {
        return map(a[0]).mapFind(a[1]) != nullptr ? a[0] : a[0].mapPut(a[1], a[2]);
    });
    m("put_new_lazy", 3, [](Interpreter &in, A &a) {
        return map(a[0]).mapFind(a[1]) != nullptr ? a[0] : a[0].mapPut(a[1], in.apply(a[2], {}));
    });
    m("has_key?", 2, [](Interpreter &, A &a) { return boolTerm(map(a[0]).mapFind(a[1]) != nullptr); });
    m("keys", 1, [](Interpreter &, A &a) { return keysOrValues(a[0], true); });
    m("values", 1, [](Interpreter &, A &a) { return keysOrValues(a[0], false); });
    m("to_list", 1, [](Interpreter &, A &a) {
        std::vector<Term> out;
        for (const auto &[k, v] : map(a[0]).mapEntries())
            out.push_back(Term::tuple({ k, v }));
        return Term::list(out);
    });
    m("new", 0, [](Interpreter &, A &) { return Term::map({}); });
    m("new", 1, [](Interpreter &in, A &a) { return mapFromPairs(in, a[0], nullptr); });
    m("new", 2, [](Interpreter &in, A &a) { return mapFromPairs(in, a[0], &a[1]); });
    m("delete", 2, [](Interpreter &, A &a) { return withoutKeys(a[0], Term::list({ a[1] })); });
    m("drop", 2, [](Interpreter &, A &a) { return withoutKeys(a[0], a[1]); });
    m("take", 2, [](Interpreter &, A &a) {
        std::vector<std::pair<Term, Term>> entries;
        for (const auto &k : a[1].listElements())
            if (const Term *v = map(a[0]).mapFind(k))
                entries.emplace_back(k, *v);
        return Term::map(std::move(entries));
    });
    m("merge", 2, [](Interpreter &, A &a) {
        Term out = map(a[0]);
        for (const auto &[k, v] : map(a[1]).mapEntries())
            out = out.mapPut(k, v);
        return out;
    });
    m("merge", 3, [](Interpreter &in, A &a) {
        Term out = map(a[0]);
        for (const auto &[k, v] : map(a[1]).mapEntries()) {
            const Term *old = out.mapFind(k);
            out = out.mapPut(k, old != nullptr ? in.apply(a[2], { k, *old, v }) : v);
        }
        return out;
    });
    m("update", 4, [](Interpreter &in, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return a[0].mapPut(a[1], v != nullptr ? in.apply(a[3], { *v }) : a[2]);
    });
    m("update!", 3, [](Interpreter &in, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        if (v == nullptr)
            raiseMissingKey(a[1], a[0]);
        return a[0].mapPut(a[1], in.apply(a[2], { *v }));
    });
    m("replace", 3, [](Interpreter &, A &a) {
        return map(a[0]).mapFind(a[1]) != nullptr ? a[0].mapPut(a[1], a[2]) : a[0];
    });
    m("replace!", 3, [](Interpreter &, A &a) {
        if (map(a[0]).mapFind(a[1]) == nullptr)
            raiseMissingKey(a[1], a[0]);
        return a[0].mapPut(a[1], a[2]);
    });
    m("pop", 2, [](Interpreter &, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return Term::tuple({ v != nullptr ? *v : nilTerm(), withoutKeys(a[0], Term::list({ a[1] })) });
    });
    m("pop", 3, [](Interpreter &, A &a) {
        const Term *v = map(a[0]).mapFind(a[1]);
        return Term::tuple({ v != nullptr ? *v : a[2], withoutKeys(a[0], Term::list({ a[1] })) });
    });
    m("filter", 2, [](Interpreter &in, A &a) {
        std::vector<std::pair<Term, Term>> entries;
        for (const auto &[k, v] : map(a[0]).mapEntries())
            if (in.apply(a[1], { Term::tuple({ k, v }) }).isTruthy())
                entries.emplace_back(k, v);
        return Term::map(std::move(entries));
    });
    m("reject", 2, [](Interpreter &in, A &a) {
        std::vector<std::pair<Term, Term>> entries;
        for (const auto &[k, v] : map(a[0]).mapEntries())
            if (!in.apply(a[1], { Term::tuple({ k, v }) }).isTruthy())
                entries.emplace_back(k, v);
        return Term::map(std::move(entries));
    });
    m("from_struct", 1,
        [](Interpreter &, A &a) { return withoutKeys(a[0], Term::list({ Term(atoms::structKey()) })); });
    m("equal?", 2,
        [](Interpreter &, A &a) { return boolTerm(Term::compareExact(map(a[0]), map(a[1])) == 0); });

    const auto l = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "List", name, arity, fn });
    };
    l("first", 1, [](Interpreter &, A &a) {
        expectList(a[0], "List", "first", 1);
        return a[0].isCons() ? a[0].head() : nilTerm();
    });
    l("first", 2, [](Interpreter &, A &a) {
        expectList(a[0], "List", "first", 2);
        return a[0].isCons() ? a[0].head() : a[1];
    });
    l("last", 1, [](Interpreter &, A &a) {
        expectList(a[0], "List", "last", 1);
        const std::vector<Term> items = a[0].listElements();
        return items.empty() ? nilTerm() : items.back();
    });
    l("last", 2, [](Interpreter &, A &a) {
        expectList(a[0], "List", "last", 2);
        const std::vector<Term> items = a[0].listElements();
        return items.empty() ? a[1] : items.back();
    });
    l("flatten", 1, [](Interpreter &, A &a) {
        expectList(a[0], "List", "flatten", 1);
        std::vector<Term> out;
        flattenInto(a[0], out);
        return Term::list(out);
    });
    l("wrap", 1, [](Interpreter &, A &a) {
        if (a[0].isList())
            return a[0];
        return a[0].isAtom("nil") ? Term() : Term::list({ a[0] });
    });
    l("delete", 2, [](Interpreter &, A &a) {
        expectList(a[0], "List", "delete", 2);
        std::vector<Term> items = a[0].listElements();
        const auto it = std::find_if(
            items.begin(), items.end(), [&](const Term &x) { return Term::compareExact(x, a[1]) == 0; });
        if (it != items.end())
            items.erase(it);
        return Term::list(items);
    });
    l("duplicate", 2, [](Interpreter &in, A &a) {
        const int64_t n = expectInteger(a[1], "List", "duplicate", 2);
        if (n < 0)
            raiseFunctionClause("List", "duplicate", 2);
        in.reserveHeap(2.0 * double(n));
        return Term::list(std::vector<Term>(static_cast<size_t>(n), a[0]));
    });
    l("insert_at", 3, [](Interpreter &, A &a) {
        expectList(a[0], "List", "insert_at", 3);
        std::vector<Term> items = a[0].listElements();
        const size_t i = listIndex(expectInteger(a[1], "List", "insert_at", 3), items.size(), true);
        items.insert(items.begin() + static_cast<ptrdiff_t>(i), a[2]);
        return Term::list(items);
    });
    l("replace_at", 3, [](Interpreter &, A &a) {
        expectList(a[0], "List", "replace_at", 3);
        std::vector<Term> items = a[0].listElements();
        const int64_t raw = expectInteger(a[1], "List", "replace_at", 3);
        const int64_t i = raw < 0 ? raw + static_cast<int64_t>(items.size()) : raw;
        if (i >= 0 && i < static_cast<int64_t>(items.size()))
            items[static_cast<size_t>(i)] = a[2];
        return Term::list(items);
    });
    l("update_at", 3, [](Interpreter &in, A &a) {
        expectList(a[0], "List", "update_at", 3);
        std::vector<Term> items = a[0].listElements();
        const int64_t raw = expectInteger(a[1], "List", "update_at", 3);
        const int64_t i = raw < 0 ? raw + static_cast<int64_t>(items.size()) : raw;
        if (i >= 0 && i < static_cast<int64_t>(items.size()))
            items[static_cast<size_t>(i)] = in.apply(a[2], { items[static_cast<size_t>(i)] });
        return Term::list(items);
    });
    l("delete_at", 2, [](Interpreter &, A &a) {
        expectList(a[0], "List", "delete_at", 2);
        std::vector<Term> items = a[0].listElements();
        const int64_t raw = expectInteger(a[1], "List", "delete_at", 2);
        const int64_t i = raw < 0 ? raw + static_cast<int64_t>(items.size()) : raw;
        if (i >= 0 && i < static_cast<int64_t>(items.size()))
            items.erase(items.begin() + i);
        return Term::list(items);
    });
    l("zip", 1, [](Interpreter &, A &a) {
        expectList(a[0], "List", "zip", 1);
        std::vector<std::vector<Term>> lists;
        size_t shortest = SIZE_MAX;
        for (const auto &inner : a[0].listElements()) {
            lists.push_back(inner.listElements());
            shortest = std::min(shortest, lists.back().size());
        }
        std::vector<Term> out;
        for (size_t i = 0; !lists.empty() && i < shortest; ++i) {
            std::vector<Term> row;
            row.reserve(lists.size());
            for (const auto &list : lists)
                row.push_back(list[i]);
            out.push_back(Term::tuple(std::move(row)));
        }
        return Term::list(out);
    });
    l("foldl", 3, [](Interpreter &in, A &a) {
        expectList(a[0], "List", "foldl", 3);
        Term acc = a[1];
        for (const auto &item : a[0].listElements())
            acc = in.apply(a[2], { item, acc });
        return acc;
    });
    l("foldr", 3, [](Interpreter &in, A &a) {
        expectList(a[0], "List", "foldr", 3);
        Term acc = a[1];
        const std::vector<Term> items = a[0].listElements();
        for (auto it = items.rbegin(); it != items.rend(); ++it)
            acc = in.apply(a[2], { *it, acc });
        return acc;
    });
    l("to_tuple", 1, [](Interpreter &, A &a) {
        if (!a[0].isProperList()) // :erlang.list_to_tuple
            raiseBadArgument(1, "not a list");
        return Term::tuple(a[0].listElements());
    });
    l("to_string", 1, [](Interpreter &, A &a) { return Term::binary(toStringChars(a[0])); });
    l("keyfind", 3, [](Interpreter &, A &a) {
        const int64_t pos = expectInteger(a[2], "List", "keyfind", 3);
        for (const auto &item : a[0].listElements())
            if (item.isTuple() && pos >= 0 && static_cast<size_t>(pos) < item.tupleSize()
                && Term::equalValue(item[static_cast<size_t>(pos)], a[1]))
                return item;
        return nilTerm();
    });
    l("keymember?", 3, [](Interpreter &, A &a) {
        const int64_t pos = expectInteger(a[2], "List", "keymember?", 3);
        for (const auto &item : a[0].listElements())
            if (item.isTuple() && pos >= 0 && static_cast<size_t>(pos) < item.tupleSize()
                && Term::equalValue(item[static_cast<size_t>(pos)], a[1]))
                return boolTerm(true);
        return boolTerm(false);
    });
    l("keydelete", 3, [](Interpreter &, A &a) {
        const int64_t pos = expectInteger(a[2], "List", "keydelete", 3);
        std::vector<Term> out;
        bool deleted = false;
        for (const auto &item : a[0].listElements()) {
            if (!deleted && item.isTuple() && pos >= 0 && static_cast<size_t>(pos) < item.tupleSize()
                && Term::equalValue(item[static_cast<size_t>(pos)], a[1]))
                deleted = true;
            else
                out.push_back(item);
        }
        return Term::list(out);
    });

    const auto k = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Keyword", name, arity, fn });
    };
    k("get", 2, [](Interpreter &, A &a) {
        keywordElements(a[0], "get", 2);
        const Term *v = keywordFind(a[0], a[1]);
        return v != nullptr ? *v : nilTerm();
    });
    k("get", 3, [](Interpreter &, A &a) {
        keywordElements(a[0], "get", 3);
        const Term *v = keywordFind(a[0], a[1]);
        return v != nullptr ? *v : a[2];
    });
    k("fetch", 2, [](Interpreter &, A &a) {
        keywordElements(a[0], "fetch", 2);
        const Term *v = keywordFind(a[0], a[1]);
        return v != nullptr ? Term::tuple({ atom("ok"), *v }) : atom("error");
    });
    k("fetch!", 2, [](Interpreter &, A &a) {
        keywordElements(a[0], "fetch!", 2);
        if (!a[1].isAtom())
            raiseFunctionClause("Keyword", "fetch!", 2);
        const Term *v = keywordFind(a[0], a[1]);
        if (v == nullptr) // Keyword.fetch! raises the struct itself: `catch` sees it too
            raise(exceptionStruct("KeyError", { { "key", a[1] }, { "term", a[0] }, { "message", nilTerm() } }));
        return *v;
    });
    k("has_key?", 2, [](Interpreter &, A &a) {
        keywordElements(a[0], "has_key?", 2);
        return boolTerm(keywordFind(a[0], a[1]) != nullptr);
    });
    k("put", 3, [](Interpreter &, A &a) {
        const Term rest = keywordDelete(a[0], a[1], "put", 3);
        return Term::cons(Term::tuple({ a[1], a[2] }), rest);
    });
    k("delete", 2, [](Interpreter &, A &a) { return keywordDelete(a[0], a[1], "delete", 2); });
    k("keys", 1, [](Interpreter &, A &a) {
        std::vector<Term> out;
        for (const auto &kv : keywordElements(a[0], "keys", 1))
            if (kv.isTuple(2))
                out.push_back(kv[0]);
        return Term::list(out);
    });
    k("values", 1, [](Interpreter &, A &a) {
        std::vector<Term> out;
        for (const auto &kv : keywordElements(a[0], "values", 1))
            if (kv.isTuple(2))
                out.push_back(kv[1]);
        return Term::list(out);
    });
    k("merge", 2, [](Interpreter &, A &a) {
        std::vector<Term> out;
        const std::vector<Term> second = keywordElements(a[1], "merge", 2);
        for (const auto &kv : keywordElements(a[0], "merge", 2))
            if (!(kv.isTuple(2) && keywordFind(a[1], kv[0]) != nullptr))
                out.push_back(kv);
        out.insert(out.end(), second.begin(), second.end());
        return Term::list(out);
    });
    k("new", 0, [](Interpreter &, A &) { return Term(); });
    k("new", 1, [](Interpreter &in, A &a) { return keywordNew(in, a[0], nullptr); });
    k("new", 2, [](Interpreter &in, A &a) { return keywordNew(in, a[0], &a[1]); });
    k("get_values", 2, [](Interpreter &, A &a) {
        std::vector<Term> out;
        for (const Term &kv : keywordElements(a[0], "get_values", 2))
            if (kv[0] == a[1])
                out.push_back(kv[1]);
        return Term::list(out);
    });

    const auto tu = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Tuple", name, arity, fn });
    };
    tu("to_list", 1, [](Interpreter &, A &a) {
        if (!a[0].isTuple())
            raiseBadArgument(1, "not a tuple");
        return Term::list(a[0].tupleElements());
    });
    tu("append", 2, [](Interpreter &, A &a) {
        if (!a[0].isTuple())
            raiseBadArgument(1, "not a tuple");
        std::vector<Term> items = a[0].tupleElements();
        items.push_back(a[1]);
        return Term::tuple(std::move(items));
    });
    tu("insert_at", 3, [](Interpreter &, A &a) {
        if (!a[0].isTuple())
            raiseBadArgument(2, "not a tuple");
        std::vector<Term> items = a[0].tupleElements();
        const int64_t i = expectInteger(a[1], "Tuple", "insert_at", 3);
        if (i < 0 || static_cast<size_t>(i) > items.size())
            raiseBadArgument(1, "out of range");
        items.insert(items.begin() + i, a[2]);
        return Term::tuple(std::move(items));
    });
    tu("delete_at", 2, [](Interpreter &, A &a) {
        if (!a[0].isTuple())
            raiseBadArgument(2, "not a tuple");
        std::vector<Term> items = a[0].tupleElements();
        const int64_t i = expectInteger(a[1], "Tuple", "delete_at", 2);
        if (i < 0 || static_cast<size_t>(i) >= items.size())
            raiseBadArgument(1, "out of range");
        items.erase(items.begin() + i);
        return Term::tuple(std::move(items));
    });
    tu("duplicate", 2, [](Interpreter &in, A &a) {
        const int64_t n = expectInteger(a[1], "Tuple", "duplicate", 2);
        if (n < 0 || n > 16'777'215) // the BEAM's largest tuple; :erlang.make_tuple(n, x) blames n
            raiseBadArgument(1, "out of range");
        in.reserveHeap(double(n) + 1.0);
        return Term::tuple(std::vector<Term>(static_cast<size_t>(n), a[0]));
    });
}

} // namespace mailroom::script
