// SPDX-License-Identifier: MIT
// Enum: over lists, ranges and maps (as {key, value} tuples), as Elixir's.
#include "script/builtins.h"

#include <algorithm>
#include <limits>

namespace mailroom::script {

namespace {
__extension__ using Int128 = __int128; // range arithmetic past 64 bits, checked before narrowing
} // namespace

int64_t IntRange::size() const
{
    if ((step > 0 && first > last) || (step < 0 && first < last))
        return 0;
    const Int128 n = (Int128(last) - Int128(first)) / Int128(step) + 1;
    if (n > Int128(std::numeric_limits<int64_t>::max()))
        raiseIntegerOverflow();
    return static_cast<int64_t>(n);
}

int64_t IntRange::at(int64_t i) const
{
    return static_cast<int64_t>(Int128(first) + Int128(i) * Int128(step));
}

bool IntRange::contains(const Term &x) const
{
    if (!x.isInteger())
        return false;
    const int64_t v = x.asInteger();
    if (step > 0 ? (v < first || v > last) : (v > first || v < last))
        return false;
    return (Int128(v) - Int128(first)) % Int128(step) == 0;
}

std::optional<IntRange> rangeOf(const Term &t)
{
    const Term *module = t.structModule();
    if (module == nullptr || !module->isAtom("Elixir.Range"))
        return std::nullopt;
    const Term *first = t.mapFind(Term::atom("first"));
    const Term *last = t.mapFind(Term::atom("last"));
    const Term *step = t.mapFind(Term::atom("step"));
    if (first == nullptr || last == nullptr || step == nullptr || !first->isInteger() || !last->isInteger()
        || !step->isInteger() || step->asInteger() == 0)
        return std::nullopt;
    return IntRange{ first->asInteger(), last->asInteger(), step->asInteger() };
}

namespace {

/// An enumerable read by position: a range answers from its bounds without being walked;
/// anything else is read into a vector once.
class Positional {
public:
    Positional(Interpreter &in, const Term &enumerable)
        : m_range(rangeOf(enumerable))
    {
        if (m_range) {
            m_size = m_range->size();
        } else {
            m_items = in.toVector(enumerable);
            m_size = static_cast<int64_t>(m_items.size());
        }
    }
    [[nodiscard]] int64_t size() const { return m_size; }
    [[nodiscard]] Term at(int64_t i) const
    {
        return m_range ? Term::integer(m_range->at(i)) : m_items[static_cast<size_t>(i)];
    }
    /// The elements at start, start + step, ... (`count` of them, all within the size).
    [[nodiscard]] Term take(int64_t start, int64_t count, int64_t step = 1) const
    {
        std::vector<Term> out;
        out.reserve(static_cast<size_t>(std::min<int64_t>(count, 1 << 20)));
        for (int64_t k = 0; k < count; ++k)
            out.push_back(at(start + k * step));
        return Term::list(out);
    }
    /// Enum.slice(enumerable, start, amount) for amount >= 0, as Elixir 1.14.
    [[nodiscard]] Term slice(int64_t start, int64_t amount) const
    {
        if (start < 0)
            start = std::max<int64_t>(m_size + start, 0);
        if (amount <= 0 || start >= m_size)
            return Term::list({});
        return take(start, std::min(amount, m_size - start));
    }
    /// Enum.slice(enumerable, first..last//step), as Elixir 1.14 (a decreasing range with the
    /// implicit step -1 counts as step 1).
    [[nodiscard]] Term slice(IntRange index) const
    {
        if (index.step == -1 && index.first > index.last)
            index.step = 1;
        if (index.step < 0)
            raiseArgumentError("Enum.slice/2 does not accept ranges with negative steps, got: "
                + std::to_string(index.first) + ".." + std::to_string(index.last) + "//"
                + std::to_string(index.step));
        const int64_t first = index.first >= 0 ? index.first : std::max<int64_t>(index.first + m_size, 0);
        const int64_t last = index.last >= 0 ? index.last : index.last + m_size;
        const Int128 amount = Int128(last) - Int128(first) + 1;
        if (first >= m_size || amount <= 0)
            return Term::list({});
        const int64_t bounded = static_cast<int64_t>(std::min(amount, Int128(m_size - first)));
        return take(first, (bounded - 1) / index.step + 1, index.step);
    }

private:
    std::optional<IntRange> m_range;
    std::vector<Term> m_items;
    int64_t m_size = 0;
};

} // namespace

namespace {

using A = std::vector<Term>;

Term atom(std::string_view name)
{
    return Term::atom(name);
}

[[noreturn]] void emptyError()
{
    raise(exceptionStruct("Enum.EmptyError", { { "message", Term::binary("empty error") } }));
}

int64_t intArg(const Term &t, std::string_view fun, int arity)
{
    return expectInteger(t, "Enum", fun, arity);
}

// Stable merge sort where `before(a, b)` true keeps a first: Enum.sort/2's contract (the
// function may be <=, so std::sort's strict ordering does not apply).
void mergeSort(std::vector<Term> &items, const std::function<bool(const Term &, const Term &)> &before)
{
    if (items.size() < 2)
        return;
    std::vector<Term> buffer(items.size());
    for (size_t width = 1; width < items.size(); width *= 2) {
        for (size_t lo = 0; lo < items.size(); lo += 2 * width) {
            const size_t mid = std::min(lo + width, items.size());
            const size_t hi = std::min(lo + 2 * width, items.size());
            size_t i = lo;
            size_t j = mid;
            size_t k = lo;
            while (i < mid && j < hi)
                buffer[k++] = before(items[i], items[j]) ? items[i++] : items[j++];
            while (i < mid)
                buffer[k++] = items[i++];
            while (j < hi)
                buffer[k++] = items[j++];
        }
        items.swap(buffer);
    }
}

std::function<bool(const Term &, const Term &)> sorter(Interpreter &in, const Term &how)
{
    if (how.isAtom("asc"))
        return [](const Term &a, const Term &b) { return Term::compare(a, b) <= 0; };
    if (how.isAtom("desc"))
        return [](const Term &a, const Term &b) { return Term::compare(a, b) >= 0; };
    return [&in, how](const Term &a, const Term &b) { return in.apply(how, { a, b }).isTruthy(); };
}

Term sortBy(Interpreter &in, const Term &enumerable, const Term &mapper, const Term &how)
{
    std::vector<Term> items = in.toVector(enumerable);
    std::vector<Term> keyed;
    keyed.reserve(items.size());
    for (const auto &item : items)
        keyed.push_back(Term::tuple({ in.apply(mapper, { item }), item }));
    const auto before = sorter(in, how);
    mergeSort(keyed, [&](const Term &a, const Term &b) { return before(a[0], b[0]); });
    std::vector<Term> out;
    out.reserve(keyed.size());
    for (const auto &k : keyed)
        out.push_back(k[1]);
    return Term::list(out);
}

Term extreme(Interpreter &in, const Term &enumerable, bool wantMax, const Term *mapper)
{
    bool any = false;
    Term best;
    Term bestKey;
    in.enumerate(enumerable, [&](const Term &item) {
        const Term key = mapper != nullptr ? in.apply(*mapper, { item }) : item;
        const int c = any ? Term::compare(key, bestKey) : 0;
        if (!any || (wantMax ? c > 0 : c < 0)) {
            best = item;
            bestKey = key;
        }
        any = true;
        return true;
    });
    if (!any)
        emptyError();
    return best;
}

Term sum(Interpreter &in, const Term &enumerable, bool product)
{
    if (const auto range = rangeOf(enumerable); range && !product) {
        // Elixir 1.14's formula: size * (first + last') / 2, last' the last element reached.
        const int64_t size = range->size();
        if (size == 0)
            return Term::integer(0);
        const Int128 total = Int128(size) * (Int128(range->first) + Int128(range->at(size - 1))) / 2;
        if (total > Int128(std::numeric_limits<int64_t>::max()) || total < Int128(std::numeric_limits<int64_t>::min()))
            raiseIntegerOverflow();
        return Term::integer(static_cast<int64_t>(total));
    }
    Term total = Term::integer(product ? 1 : 0);
    in.enumerate(enumerable, [&](const Term &item) {
        if (!item.isNumber() || !total.isNumber()) {
            ScriptException e(ErrorKind::Error, atom("badarith"));
            e.setBlame(": " + total.inspect() + (product ? " * " : " + ") + item.inspect());
            throw e;
        }
        if (total.isInteger() && item.isInteger()) {
            int64_t r = 0;
            const bool overflow = product ? __builtin_mul_overflow(total.asInteger(), item.asInteger(), &r)
                                          : __builtin_add_overflow(total.asInteger(), item.asInteger(), &r);
            if (overflow)
                raise(exceptionStruct("SystemLimitError",
                    { { "message", Term::binary("integer overflow: Mailroom's integers are 64-bit") } }));
            total = Term::integer(r);
        } else {
            total = Term::floating(
                product ? total.asNumber() * item.asNumber() : total.asNumber() + item.asNumber());
        }
        return true;
    });
    return total;
}

std::string join(Interpreter &in, const Term &enumerable, std::string_view separator, const Term *mapper)
{
    std::string out;
    bool first = true;
    in.enumerate(enumerable, [&](const Term &item) {
        if (!first)
            out += separator;
        first = false;
        out += toStringChars(mapper != nullptr ? in.apply(*mapper, { item }) : item);
        checkBinarySize(double(out.size()));
        return true;
    });
    return out;
}

std::optional<Term> at(Interpreter &in, const Term &enumerable, int64_t index)
{
    if (const auto range = rangeOf(enumerable)) {
        const int64_t size = range->size();
        const int64_t i = index < 0 ? size + index : index;
        if (i < 0 || i >= size)
            return std::nullopt;
        return Term::integer(range->at(i));
    }
    if (index < 0) {
        const std::vector<Term> items = in.toVector(enumerable);
        const int64_t i = static_cast<int64_t>(items.size()) + index;
        if (i < 0)
            return std::nullopt;
        return items[static_cast<size_t>(i)];
    }
    std::optional<Term> found;
    int64_t i = 0;
    in.enumerate(enumerable, [&](const Term &item) {
        if (i++ == index) {
            found = item;
            return false;
        }
        return true;
    });
    return found;
}

Term withIndex(Interpreter &in, const Term &enumerable, const Term &offsetOrFun)
{
    std::vector<Term> out;
    int64_t i = offsetOrFun.isInteger() ? offsetOrFun.asInteger() : 0;
    in.enumerate(enumerable, [&](const Term &item) {
        if (offsetOrFun.isFunction())
            out.push_back(in.apply(offsetOrFun, { item, Term::integer(i++) }));
        else
            out.push_back(Term::tuple({ item, Term::integer(i++) }));
        return true;
    });
    return Term::list(out);
}

Term uniqBy(Interpreter &in, const Term &enumerable, const Term *mapper)
{
    std::vector<Term> out;
    std::vector<Term> seen;
    in.enumerate(enumerable, [&](const Term &item) {
        const Term key = mapper != nullptr ? in.apply(*mapper, { item }) : item;
        if (std::none_of(
                seen.begin(), seen.end(), [&](const Term &s) { return Term::compareExact(s, key) == 0; })) {
            seen.push_back(key);
            out.push_back(item);
        }
        return true;
    });
    return Term::list(out);
}

Term takeOrDrop(Interpreter &in, const Term &enumerable, int64_t count, bool take)
{
    std::vector<Term> items;
    if (count >= 0 && take) {
        in.enumerate(enumerable, [&](const Term &item) {
            if (static_cast<int64_t>(items.size()) >= count)
                return false;
            items.push_back(item);
            return true;
        });
        return Term::list(items);
    }
    const Positional all(in, enumerable);
    const int64_t n = all.size();
    int64_t from = 0;
    int64_t to = n;
    if (take) { // negative: the last |count|
        from = count <= -n ? 0 : n + count;
    } else if (count >= 0) {
        from = std::min(count, n);
    } else {
        to = count <= -n ? 0 : n + count;
    }
    return all.take(from, to - from);
}

Term into(Interpreter &in, const Term &enumerable, Term target)
{
    if (target.isMap()) {
        in.enumerate(enumerable, [&](const Term &item) {
            if (!item.isTuple(2))
                raiseArgumentError(
                    "collecting into a map requires {key, value} tuples, got: " + item.inspect());
            target = target.mapPut(item[0], item[1]);
            return true;
        });
        return target;
    }
    if (target.isProperList()) {
        std::vector<Term> items = target.listElements();
        in.enumerate(enumerable, [&](const Term &item) {
            items.push_back(item);
            return true;
        });
        return Term::list(items);
    }
    if (target.isBinary()) {
        std::string text(target.asBinary());
        in.enumerate(enumerable, [&](const Term &item) {
            if (!item.isBinary())
                raiseBadArgument(1, "not a bitstring");
            text += item.asBinary();
            return true;
        });
        return Term::binary(std::move(text));
    }
    raiseProtocolUndefined("Collectable", target);
}

} // namespace

namespace {

/// Enum.group_by/2,3: keys in term order (a map), each group's items (mapped) in order.
Term groupBy(Interpreter &in, const Term &enumerable, const Term &keyFun, const Term *valueFun)
{
    std::vector<std::pair<Term, std::vector<Term>>> groups;
    in.enumerate(enumerable, [&](const Term &item) {
        const Term key = in.apply(keyFun, { item });
        const Term value = valueFun != nullptr ? in.apply(*valueFun, { item }) : item;
        auto it = std::find_if(
            groups.begin(), groups.end(), [&](const auto &g) { return Term::compareExact(g.first, key) == 0; });
        if (it == groups.end())
            groups.emplace_back(key, std::vector<Term>{ value });
        else
            it->second.push_back(value);
        return true;
    });
    std::vector<std::pair<Term, Term>> entries;
    entries.reserve(groups.size());
    for (auto &[k, items] : groups)
        entries.emplace_back(k, Term::list(items));
    return Term::map(std::move(entries));
}

/// Enum.chunk_every/3,4: chunks of `count` starting every `step` elements; the last, short
/// chunk is kept, filled from `leftover` (a list), or dropped when leftover is :discard.
Term chunkEvery(Interpreter &in, const Term &enumerable, const Term &countTerm, const Term &stepTerm,
    const Term *leftover, int arity)
{
    const int64_t count = intArg(countTerm, "chunk_every", arity);
    const int64_t step = intArg(stepTerm, "chunk_every", arity);
    if (count <= 0 || step <= 0)
        raiseFunctionClause("Enum", "chunk_every", arity);
    const std::vector<Term> items = in.toVector(enumerable);
    const auto n = static_cast<int64_t>(items.size());
    std::vector<Term> chunks;
    for (int64_t start = 0; start < n; start += step) {
        const int64_t end = std::min(n, start + count);
        std::vector<Term> chunk(items.begin() + start, items.begin() + end);
        if (end - start < count) {
            if (leftover != nullptr && leftover->isAtom("discard"))
                break;
            if (leftover != nullptr)
                in.enumerate(*leftover, [&](const Term &x) {
                    if (static_cast<int64_t>(chunk.size()) >= count)
                        return false;
                    chunk.push_back(x);
                    return true;
                });
            chunks.push_back(Term::list(chunk));
            break;
        }
        chunks.push_back(Term::list(chunk));
    }
    return Term::list(chunks);
}

} // namespace

void addEnumBuiltins(BuiltinTable &t)
{
    const auto add = [&t](std::string_view name, int arity, BuiltinFn fn) {
        t.push_back({ "Enum", name, arity, fn });
    };

    add("map", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            out.push_back(in.apply(a[1], { item }));
            return true;
        });
        return Term::list(out);
    });
    add("each", 2, [](Interpreter &in, A &a) {
        in.enumerate(a[0], [&](const Term &item) {
            (void)in.apply(a[1], { item });
            return true;
        });
        return atom("ok");
    });
    add("filter", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            if (in.apply(a[1], { item }).isTruthy())
                out.push_back(item);
            return true;
        });
        return Term::list(out);
    });
    add("reject", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            if (!in.apply(a[1], { item }).isTruthy())
                out.push_back(item);
            return true;
        });
        return Term::list(out);
    });
    add("flat_map", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            const Term mapped = in.apply(a[1], { item });
            in.enumerate(mapped, [&](const Term &x) {
                out.push_back(x);
                return true;
            });
            return true;
        });
        return Term::list(out);
    });
    add("reduce", 3, [](Interpreter &in, A &a) {
        Term acc = a[1];
        in.enumerate(a[0], [&](const Term &item) {
            acc = in.apply(a[2], { item, acc });
            return true;
        });
        return acc;
    });
    add("reduce", 2, [](Interpreter &in, A &a) {
        std::optional<Term> acc;
        in.enumerate(a[0], [&](const Term &item) {
            acc = acc ? in.apply(a[1], { item, *acc }) : item;
            return true;
        });
        if (!acc)
            emptyError();
        return *acc;
    });
    add("reduce_while", 3, [](Interpreter &in, A &a) {
        Term acc = a[1];
        in.enumerate(a[0], [&](const Term &item) {
            const Term r = in.apply(a[2], { item, acc });
            if (!r.isTuple(2) || !(r[0].isAtom("cont") || r[0].isAtom("halt")))
                raiseFunctionClause("Enum", "reduce_while", 3);
            acc = r[1];
            return r[0].isAtom("cont");
        });
        return acc;
    });
    add("map_reduce", 3, [](Interpreter &in, A &a) {
        Term acc = a[1];
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            const Term r = in.apply(a[2], { item, acc });
            if (!r.isTuple(2))
                raiseFunctionClause("Enum", "map_reduce", 3);
            out.push_back(r[0]);
            acc = r[1];
            return true;
        });
        return Term::tuple({ Term::list(out), acc });
    });
    add("reverse", 1, [](Interpreter &in, A &a) {
        std::vector<Term> items = in.toVector(a[0]);
        std::reverse(items.begin(), items.end());
        return Term::list(items);
    });
    add("reverse", 2, [](Interpreter &in, A &a) {
        std::vector<Term> items = in.toVector(a[0]);
        std::reverse(items.begin(), items.end());
        return Term::list(items, a[1]);
    });
    add("take", 2, [](Interpreter &in, A &a) { return takeOrDrop(in, a[0], intArg(a[1], "take", 2), true); });
    add("drop", 2,
        [](Interpreter &in, A &a) { return takeOrDrop(in, a[0], intArg(a[1], "drop", 2), false); });
    add("take_while", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            if (!in.apply(a[1], { item }).isTruthy())
                return false;
            out.push_back(item);
            return true;
        });
        return Term::list(out);
    });
    add("drop_while", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        bool dropping = true;
        in.enumerate(a[0], [&](const Term &item) {
            dropping = dropping && in.apply(a[1], { item }).isTruthy();
            if (!dropping)
                out.push_back(item);
            return true;
        });
        return Term::list(out);
    });
    add("sum", 1, [](Interpreter &in, A &a) { return sum(in, a[0], false); });
    add("product", 1, [](Interpreter &in, A &a) { return sum(in, a[0], true); });
    add("at", 2,
        [](Interpreter &in, A &a) { return at(in, a[0], intArg(a[1], "at", 2)).value_or(nilTerm()); });
    add("at", 3, [](Interpreter &in, A &a) { return at(in, a[0], intArg(a[1], "at", 3)).value_or(a[2]); });
    add("fetch", 2, [](Interpreter &in, A &a) {
        const auto found = at(in, a[0], intArg(a[1], "fetch", 2));
        return found ? Term::tuple({ atom("ok"), *found }) : atom("error");
    });
    add("fetch!", 2, [](Interpreter &in, A &a) {
        const auto found = at(in, a[0], intArg(a[1], "fetch!", 2));
        if (!found)
            raise(exceptionStruct(
                "Enum.OutOfBoundsError", { { "message", Term::binary("out of bounds error") } }));
        return *found;
    });
    add("count", 1, [](Interpreter &in, A &a) {
        if (const auto range = rangeOf(a[0]))
            return Term::integer(range->size());
        int64_t n = 0;
        in.enumerate(a[0], [&](const Term &) {
            ++n;
            return true;
        });
        return Term::integer(n);
    });
    add("count", 2, [](Interpreter &in, A &a) {
        int64_t n = 0;
        in.enumerate(a[0], [&](const Term &item) {
            n += in.apply(a[1], { item }).isTruthy() ? 1 : 0;
            return true;
        });
        return Term::integer(n);
    });
    add("empty?", 1, [](Interpreter &in, A &a) {
        bool empty = true;
        in.enumerate(a[0], [&](const Term &) {
            empty = false;
            return false;
        });
        return boolTerm(empty);
    });
    add("join", 1, [](Interpreter &in, A &a) { return Term::binary(join(in, a[0], "", nullptr)); });
    add("join", 2, [](Interpreter &in, A &a) {
        return Term::binary(join(in, a[0], expectBinary(a[1], "Enum", "join", 2), nullptr));
    });
    add("map_join", 2, [](Interpreter &in, A &a) { return Term::binary(join(in, a[0], "", &a[1])); });
    add("map_join", 3, [](Interpreter &in, A &a) {
        return Term::binary(join(in, a[0], expectBinary(a[1], "Enum", "map_join", 3), &a[2]));
    });
    add("intersperse", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            if (!out.empty())
                out.push_back(a[1]);
            out.push_back(item);
            return true;
        });
        return Term::list(out);
    });
    add("with_index", 1, [](Interpreter &in, A &a) { return withIndex(in, a[0], Term::integer(0)); });
    add("with_index", 2, [](Interpreter &in, A &a) { return withIndex(in, a[0], a[1]); });
    add("member?", 2, [](Interpreter &in, A &a) {
        if (const auto range = rangeOf(a[0]))
            return boolTerm(range->contains(a[1]));
        bool found = false;
        in.enumerate(a[0], [&](const Term &item) {
            found = Term::compareExact(item, a[1]) == 0;
            return !found;
        });
        return boolTerm(found);
    });
    add("sort", 1, [](Interpreter &in, A &a) {
        std::vector<Term> items = in.toVector(a[0]);
        mergeSort(items, [](const Term &x, const Term &y) { return Term::compare(x, y) <= 0; });
        return Term::list(items);
    });
    add("sort", 2, [](Interpreter &in, A &a) {
        std::vector<Term> items = in.toVector(a[0]);
        mergeSort(items, sorter(in, a[1]));
        return Term::list(items);
    });
    add("sort_by", 2, [](Interpreter &in, A &a) { return sortBy(in, a[0], a[1], atom("asc")); });
    add("sort_by", 3, [](Interpreter &in, A &a) { return sortBy(in, a[0], a[1], a[2]); });
    add("min", 1, [](Interpreter &in, A &a) { return extreme(in, a[0], false, nullptr); });
    add("max", 1, [](Interpreter &in, A &a) { return extreme(in, a[0], true, nullptr); });
    add("min_by", 2, [](Interpreter &in, A &a) { return extreme(in, a[0], false, &a[1]); });
    add("max_by", 2, [](Interpreter &in, A &a) { return extreme(in, a[0], true, &a[1]); });
    add("find", 2, [](Interpreter &in, A &a) {
        Term found = nilTerm();
        in.enumerate(a[0], [&](const Term &item) {
            if (!in.apply(a[1], { item }).isTruthy())
                return true;
            found = item;
            return false;
        });
        return found;
    });
    add("find", 3, [](Interpreter &in, A &a) {
        Term found = a[1];
        in.enumerate(a[0], [&](const Term &item) {
            if (!in.apply(a[2], { item }).isTruthy())
                return true;
            found = item;
            return false;
        });
        return found;
    });
    add("find_index", 2, [](Interpreter &in, A &a) {
        Term found = nilTerm();
        int64_t i = 0;
        in.enumerate(a[0], [&](const Term &item) {
            if (in.apply(a[1], { item }).isTruthy()) {
                found = Term::integer(i);
                return false;
            }
            ++i;
            return true;
        });
        return found;
    });
    add("find_value", 2, [](Interpreter &in, A &a) {
        Term found = nilTerm();
        in.enumerate(a[0], [&](const Term &item) {
            const Term v = in.apply(a[1], { item });
            if (!v.isTruthy())
                return true;
            found = v;
            return false;
        });
        return found;
    });
    add("any?", 1, [](Interpreter &in, A &a) {
        bool any = false;
        in.enumerate(a[0], [&](const Term &item) { return !(any = item.isTruthy()); });
        return boolTerm(any);
    });
    add("any?", 2, [](Interpreter &in, A &a) {
        bool any = false;
        in.enumerate(a[0], [&](const Term &item) { return !(any = in.apply(a[1], { item }).isTruthy()); });
        return boolTerm(any);
    });
    add("all?", 1, [](Interpreter &in, A &a) {
        bool all = true;
        in.enumerate(a[0], [&](const Term &item) { return all = item.isTruthy(); });
        return boolTerm(all);
    });
    add("all?", 2, [](Interpreter &in, A &a) {
        bool all = true;
        in.enumerate(a[0], [&](const Term &item) { return all = in.apply(a[1], { item }).isTruthy(); });
        return boolTerm(all);
    });
    add("zip", 2, [](Interpreter &in, A &a) {
        const std::vector<Term> x = in.toVector(a[0]);
        const std::vector<Term> y = in.toVector(a[1]);
        std::vector<Term> out;
        for (size_t i = 0; i < std::min(x.size(), y.size()); ++i)
            out.push_back(Term::tuple({ x[i], y[i] }));
        return Term::list(out);
    });
    add("unzip", 1, [](Interpreter &in, A &a) {
        std::vector<Term> x;
        std::vector<Term> y;
        in.enumerate(a[0], [&](const Term &item) {
            if (!item.isTuple(2))
                raiseFunctionClause("Enum", "unzip", 1);
            x.push_back(item[0]);
            y.push_back(item[1]);
            return true;
        });
        return Term::tuple({ Term::list(x), Term::list(y) });
    });
    add("to_list", 1, [](Interpreter &in, A &a) { return Term::list(in.toVector(a[0])); });
    add("uniq", 1, [](Interpreter &in, A &a) { return uniqBy(in, a[0], nullptr); });
    add("uniq_by", 2, [](Interpreter &in, A &a) { return uniqBy(in, a[0], &a[1]); });
    add("dedup", 1, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &item) {
            if (out.empty() || Term::compareExact(out.back(), item) != 0)
                out.push_back(item);
            return true;
        });
        return Term::list(out);
    });
    add("into", 2, [](Interpreter &in, A &a) { return into(in, a[0], a[1]); });
    add("concat", 1, [](Interpreter &in, A &a) {
        std::vector<Term> out;
        in.enumerate(a[0], [&](const Term &inner) {
            in.enumerate(inner, [&](const Term &item) {
                out.push_back(item);
                return true;
            });
            return true;
        });
        return Term::list(out);
    });
    add("concat", 2, [](Interpreter &in, A &a) {
        std::vector<Term> out = in.toVector(a[0]);
        for (const auto &item : in.toVector(a[1]))
            out.push_back(item);
        return Term::list(out);
    });
    add("group_by", 2, [](Interpreter &in, A &a) { return groupBy(in, a[0], a[1], nullptr); });
    add("group_by", 3, [](Interpreter &in, A &a) { return groupBy(in, a[0], a[1], &a[2]); });
    add("zip", 1, [](Interpreter &in, A &a) {
        // Enum.zip/1: tuples of the i-th elements, as long as the shortest enumerable.
        std::vector<std::vector<Term>> columns;
        in.enumerate(a[0], [&](const Term &e) {
            columns.push_back(in.toVector(e));
            return true;
        });
        std::vector<Term> out;
        size_t n = columns.empty() ? 0 : SIZE_MAX;
        for (const auto &c : columns)
            n = std::min(n, c.size());
        for (size_t i = 0; i < n; ++i) {
            std::vector<Term> row;
            row.reserve(columns.size());
            for (const auto &c : columns)
                row.push_back(c[i]);
            out.push_back(Term::tuple(std::move(row)));
        }
        return Term::list(out);
    });
    add("split_while", 2, [](Interpreter &in, A &a) {
        std::vector<Term> head;
        std::vector<Term> rest;
        in.enumerate(a[0], [&](const Term &item) {
            if (rest.empty() && in.apply(a[1], { item }).isTruthy())
                head.push_back(item);
            else
                rest.push_back(item);
            return true;
        });
        return Term::tuple({ Term::list(head), Term::list(rest) });
    });
    add("take_every", 2, [](Interpreter &in, A &a) {
        const int64_t nth = intArg(a[1], "take_every", 2);
        if (nth < 0)
            raiseFunctionClause("Enum", "take_every", 2);
        std::vector<Term> out;
        int64_t i = 0;
        if (nth > 0)
            in.enumerate(a[0], [&](const Term &item) {
                if (i++ % nth == 0)
                    out.push_back(item);
                return true;
            });
        return Term::list(out);
    });
    add("chunk_every", 3, [](Interpreter &in, A &a) { return chunkEvery(in, a[0], a[1], a[2], nullptr, 3); });
    add("chunk_every", 4, [](Interpreter &in, A &a) { return chunkEvery(in, a[0], a[1], a[2], &a[3], 4); });
    add("frequencies", 1, [](Interpreter &in, A &a) {
        Term counts = Term::map({});
        in.enumerate(a[0], [&](const Term &item) {
            const Term *n = counts.mapFind(item);
            counts = counts.mapPut(item, Term::integer(n != nullptr ? n->asInteger() + 1 : 1));
            return true;
        });
        return counts;
    });
    add("chunk_every", 2, [](Interpreter &in, A &a) {
        const int64_t size = intArg(a[1], "chunk_every", 2);
        if (size <= 0)
            raiseFunctionClause("Enum", "chunk_every", 2);
        std::vector<Term> chunks;
        std::vector<Term> chunk;
        in.enumerate(a[0], [&](const Term &item) {
            chunk.push_back(item);
            if (static_cast<int64_t>(chunk.size()) == size) {
                chunks.push_back(Term::list(chunk));
                chunk.clear();
            }
            return true;
        });
        if (!chunk.empty())
            chunks.push_back(Term::list(chunk));
        return Term::list(chunks);
    });
    add("split", 2, [](Interpreter &in, A &a) {
        const Term taken = takeOrDrop(in, a[0], intArg(a[1], "split", 2), a[1].asInteger() >= 0);
        const Term rest = takeOrDrop(in, a[0], a[1].asInteger(), a[1].asInteger() < 0);
        return Term::tuple({ taken, rest }); // negative: all but the last |n|, then the last |n|
    });
    add("slice", 3, [](Interpreter &in, A &a) {
        const int64_t start = intArg(a[1], "slice", 3);
        const int64_t amount = intArg(a[2], "slice", 3);
        if (amount < 0)
            raiseFunctionClause("Enum", "slice", 3);
        return Positional(in, a[0]).slice(start, amount);
    });
    add("slice", 2, [](Interpreter &in, A &a) {
        const auto index = rangeOf(a[1]);
        if (!index)
            raiseFunctionClause("Enum", "slice", 2);
        return Positional(in, a[0]).slice(*index);
    });
    add("random", 1, [](Interpreter &, A &) -> Term {
        raiseArgumentError(
            "Enum.random/1 is not supported by Mailroom's script language: scripts are deterministic");
    });
}

} // namespace mailroom::script
