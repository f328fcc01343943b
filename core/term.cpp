// SPDX-License-Identifier: MIT
#include "term.h"

#include "detail/allocation.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace mailroom {

namespace {

// Atom table: ids index a chunked array so that name() needs no lock.
constexpr size_t kAtomChunk = 4096;
constexpr size_t kAtomChunks = 256; // at most 1 M atoms, as the BEAM's default

struct AtomTable {
    // Protects `byName` and the append position; readers of names take no lock.
    std::mutex mutex;
    std::unordered_map<std::string_view, uint32_t> byName;
    std::array<std::atomic<std::string *>, kAtomChunks> chunks{}; // each an array of kAtomChunk names
    std::atomic<uint32_t> count{ 0 };

    AtomTable()
    {
        // Fixed ids for the atoms the runtime itself tests most.
        for (const char *name : { "nil", "true", "false" })
            add(name);
    }
    ~AtomTable()
    {
        for (auto &chunk : chunks)
            delete[] chunk.load();
    }
    AtomTable(const AtomTable &) = delete;
    AtomTable &operator=(const AtomTable &) = delete;

    uint32_t add(std::string_view name)
    {
        const uint32_t id = count.load(std::memory_order_relaxed);
        if (id >= kAtomChunk * kAtomChunks)
            throw std::length_error("atom table is full");
        auto &chunk = chunks[id / kAtomChunk];
        std::string *names = chunk.load(std::memory_order_relaxed);
        if (names == nullptr) {
            names = new std::string[kAtomChunk];
            chunk.store(names, std::memory_order_release);
        }
        names[id % kAtomChunk] = std::string(name);
        byName.emplace(names[id % kAtomChunk], id);
        count.store(id + 1, std::memory_order_release);
        return id;
    }
};

AtomTable &atomTable()
{
    static AtomTable table;
    return table;
}

struct BinaryObject final : detail::HeapObject {
    explicit BinaryObject(std::string b)
        : bytes(std::move(b)) {}
    std::string bytes;
};
struct ConsObject final : detail::HeapObject {
    ConsObject(Term h, Term t)
        : head(std::move(h)), tail(std::move(t)) {}
    Term head;
    Term tail;
};
struct MapObject final : detail::HeapObject {
    std::vector<std::pair<Term, Term>> entries; // sorted by compareExact of keys
};

const std::vector<std::pair<Term, Term>> &emptyEntries()
{
    static const std::vector<std::pair<Term, Term>> empty;
    return empty;
}

int compareDoubles(double a, double b) { return a < b ? -1 : (a > b ? 1 : 0); }

int compareNumbers(const Term &a, const Term &b)
{
    if (a.isInteger() && b.isInteger())
        return a.asInteger() < b.asInteger() ? -1 : (a.asInteger() > b.asInteger() ? 1 : 0);
    if (a.isFloat() && b.isFloat())
        return compareDoubles(a.asFloat(), b.asFloat());
    // Mixed: long double holds every int64 exactly.
    const long double x = a.isInteger() ? static_cast<long double>(a.asInteger()) : a.asFloat();
    const long double y = b.isInteger() ? static_cast<long double>(b.asInteger()) : b.asFloat();
    return x < y ? -1 : (x > y ? 1 : 0);
}

int kindRank(TermKind k)
{
    // Integers and floats share the "number" rank.
    return k == TermKind::Integer ? static_cast<int>(TermKind::Float) : static_cast<int>(k);
}

/// Compares two terms that are not compound (or compound of different kinds); for compound
/// terms of the same kind returns 0 and leaves the walk over their parts to compareTerms.
int compareFlat(const Term &x, const Term &y, bool exact) noexcept
{
    const int ra = kindRank(x.kind());
    const int rb = kindRank(y.kind());
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (x.kind()) {
    case TermKind::Integer:
    case TermKind::Float: {
        const int c = compareNumbers(x, y);
        if (c != 0 || !exact)
            return c;
        if (x.kind() == y.kind())
            return 0;
        return x.isInteger() ? -1 : 1;
    }
    case TermKind::Atom: {
        if (x.asAtom() == y.asAtom())
            return 0;
        const int c = x.asAtom().name().compare(y.asAtom().name());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TermKind::Reference:
        return x.asRef() < y.asRef() ? -1 : (x.asRef() == y.asRef() ? 0 : 1);
    case TermKind::Pid:
        return x.asPid() < y.asPid() ? -1 : (x.asPid() == y.asPid() ? 0 : 1);
    case TermKind::Function: {
        const auto *fa = x.asFunction();
        const auto *fb = y.asFunction();
        return fa < fb ? -1 : (fa == fb ? 0 : 1);
    }
    case TermKind::Tuple:
        return x.tupleSize() == y.tupleSize() ? 0 : (x.tupleSize() < y.tupleSize() ? -1 : 1);
    case TermKind::Map:
        return x.mapSize() == y.mapSize() ? 0 : (x.mapSize() < y.mapSize() ? -1 : 1);
    case TermKind::Nil:
    case TermKind::Cons:
        return 0;
    case TermKind::Binary: {
        const int c = x.asBinary().compare(y.asBinary());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    }
    return 0;
}

/// Erlang term order, walked with an explicit stack: nesting depth costs heap, not machine
/// stack. Parts are compared left to right (a map's keys before its values, keys exactly).
int compareTerms(const Term &a, const Term &b, bool exact) noexcept
{
    struct Pending {
        const Term *x;
        const Term *y;
        bool exact;
    };
    std::vector<Pending> stack;
    const Term *x = &a;
    const Term *y = &b;
    bool ex = exact;
    for (;;) {
        if (!x->isSameObject(*y)) {
            if (const int c = compareFlat(*x, *y, ex); c != 0)
                return c;
            switch (x->kind()) {
            case TermKind::Tuple:
                for (size_t i = x->tupleSize(); i-- > 0;)
                    stack.push_back({ &(*x)[i], &(*y)[i], ex });
                break;
            case TermKind::Map: {
                const auto &ea = x->mapEntries();
                const auto &eb = y->mapEntries();
                for (size_t i = ea.size(); i-- > 0;)
                    stack.push_back({ &ea[i].second, &eb[i].second, ex });
                for (size_t i = ea.size(); i-- > 0;)
                    stack.push_back({ &ea[i].first, &eb[i].first, true });
                break;
            }
            case TermKind::Cons:
                stack.push_back({ &x->tail(), &y->tail(), ex });
                stack.push_back({ &x->head(), &y->head(), ex });
                break;
            default:
                break;
            }
        }
        if (stack.empty())
            return 0;
        x = stack.back().x;
        y = stack.back().y;
        ex = stack.back().exact;
        stack.pop_back();
    }
}

size_t mix(size_t h, size_t v) { return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); }

} // namespace

// Atom -----------------------------------------------------------------------

Atom Atom::intern(std::string_view name)
{
    auto &table = atomTable();
    std::lock_guard lock(table.mutex);
    if (auto it = table.byName.find(name); it != table.byName.end())
        return Atom(it->second);
    return Atom(table.add(name));
}

std::string_view Atom::name() const
{
    const auto &table = atomTable();
    const std::string *names = table.chunks[m_id / kAtomChunk].load(std::memory_order_acquire);
    return names[m_id % kAtomChunk];
}

Ref Ref::make()
{
    static std::atomic<uint64_t> next{ 1 };
    return Ref{ next.fetch_add(1, std::memory_order_relaxed) };
}

namespace atoms {
#define MAILROOM_ATOM(fn, text)                   \
    Atom fn()                                     \
    {                                             \
        static const Atom a = Atom::intern(text); \
        return a;                                 \
    }
MAILROOM_ATOM(ok, "ok")
MAILROOM_ATOM(error, "error")
MAILROOM_ATOM(trueAtom, "true")
MAILROOM_ATOM(falseAtom, "false")
MAILROOM_ATOM(nilAtom, "nil")
MAILROOM_ATOM(normal, "normal")
MAILROOM_ATOM(shutdown, "shutdown")
MAILROOM_ATOM(kill, "kill")
MAILROOM_ATOM(killed, "killed")
MAILROOM_ATOM(timeout, "timeout")
MAILROOM_ATOM(noproc, "noproc")
MAILROOM_ATOM(exitAtom, "EXIT")
MAILROOM_ATOM(down, "DOWN")
MAILROOM_ATOM(process, "process")
MAILROOM_ATOM(noreply, "noreply")
MAILROOM_ATOM(reply, "reply")
MAILROOM_ATOM(stop, "stop")
MAILROOM_ATOM(structKey, "__struct__")
#undef MAILROOM_ATOM
} // namespace atoms

// Term construction ------------------------------------------------------------

namespace {
/// The running process's count of the words it allocated (detail/allocation.h), or null.
/// Read only inside the term factories, which never switch fibers: no read is carried
/// across a move to another thread.
thread_local uint64_t *t_allocated = nullptr;

/// The words a new object takes, about as a BEAM heap would hold it (heap.h weighs exactly).
uint64_t allocationWords(TermKind kind, const detail::HeapObject *object) noexcept
{
    switch (kind) {
    case TermKind::Cons:
        return 2;
    case TermKind::Tuple:
        return uint64_t(static_cast<const detail::TupleObject *>(object)->size) + 1;
    case TermKind::Map:
        return 2 * uint64_t(static_cast<const MapObject *>(object)->entries.size()) + 4;
    case TermKind::Binary: {
        const size_t bytes = static_cast<const BinaryObject *>(object)->bytes.size();
        return bytes <= 64 ? 2 + (bytes + 7) / 8 : 6;
    }
    default:
        return 4;
    }
}
} // namespace

void detail::countAllocationsInto(uint64_t *counter) noexcept { t_allocated = counter; }

Term Term::adopt(TermKind kind, detail::HeapObject *object) noexcept
{
    if (uint64_t *counter = t_allocated)
        *counter += allocationWords(kind, object);
    Term t;
    t.m_kind = kind;
    t.m_u.p = object;
    return t;
}

Term Term::integer(int64_t v) noexcept
{
    Term t;
    t.m_kind = TermKind::Integer;
    t.m_u.i = v;
    return t;
}

bool Term::isSameObject(const Term &other) const noexcept
{
    if (m_kind != other.m_kind)
        return false;
    switch (m_kind) {
    case TermKind::Nil:
        return true;
    case TermKind::Integer:
        return m_u.i == other.m_u.i;
    case TermKind::Float:
        return std::bit_cast<uint64_t>(m_u.f) == std::bit_cast<uint64_t>(other.m_u.f);
    case TermKind::Atom:
        return m_u.atom == other.m_u.atom;
    case TermKind::Pid:
        return m_u.pid == other.m_u.pid;
    case TermKind::Reference:
        return m_u.ref == other.m_u.ref;
    default:
        return m_u.p == other.m_u.p;
    }
}

Term Term::floating(double v) noexcept
{
    Term t;
    t.m_kind = TermKind::Float;
    t.m_u.f = v;
    return t;
}

Term Term::boolean(bool b) { return b ? atoms::trueAtom() : atoms::falseAtom(); }

Term Term::binary(std::string bytes) { return adopt(TermKind::Binary, new BinaryObject(std::move(bytes))); }

detail::TupleObject *detail::TupleObject::make(size_t n)
{
    if (n > UINT32_MAX)
        throw std::length_error("tuple too large");
    void *memory = ::operator new(sizeof(TupleObject) + n * sizeof(Term));
    return new (memory) TupleObject(uint32_t(n));
}

namespace {
/// A tuple object holding `n` elements from `first` on, moved in (copied when they are const).
template<typename It> detail::TupleObject *fillTuple(It first, size_t n)
{
    detail::TupleObject *object = detail::TupleObject::make(n);
    Term *out = object->elements();
    for (size_t i = 0; i < n; ++i, ++first)
        new (out + i) Term(std::move(*first));
    return object;
}
} // namespace

Term Term::tuple(std::vector<Term> elements)
{
    return adopt(TermKind::Tuple, fillTuple(elements.begin(), elements.size()));
}

Term Term::tuple(std::initializer_list<Term> elements)
{
    return adopt(TermKind::Tuple, fillTuple(elements.begin(), elements.size()));
}

Term Term::cons(Term head, Term tail)
{
    return adopt(TermKind::Cons, new ConsObject(std::move(head), std::move(tail)));
}

Term Term::list(const std::vector<Term> &elements, Term tail)
{
    Term result = std::move(tail);
    for (auto it = elements.rbegin(); it != elements.rend(); ++it)
        result = cons(*it, std::move(result));
    return result;
}

Term Term::charlist(std::string_view text)
{
    std::vector<Term> points;
    for (size_t i = 0; i < text.size();) {
        const utf8::Lenient c = utf8::decodeLenient(text, i);
        points.push_back(integer(c.cp));
        i += c.length;
    }
    return list(points);
}

Term Term::map(std::vector<std::pair<Term, Term>> entries)
{
    auto *object = new MapObject;
    // Stable sort keeps insertion order among equal keys; the last one wins.
    std::stable_sort(entries.begin(), entries.end(),
        [](const auto &a, const auto &b) { return compareExact(a.first, b.first) < 0; });
    for (auto &entry : entries) {
        if (!object->entries.empty() && compareExact(object->entries.back().first, entry.first) == 0)
            object->entries.back().second = std::move(entry.second);
        else
            object->entries.push_back(std::move(entry));
    }
    return adopt(TermKind::Map, object);
}

Term Term::structure(std::string_view elixirModule, std::vector<std::pair<Term, Term>> fields)
{
    fields.emplace_back(Term(atoms::structKey()), Term::atom("Elixir." + std::string(elixirModule)));
    return map(std::move(fields));
}

Term Term::function(FunctionValue *adopted) { return adopt(TermKind::Function, adopted); }

namespace {
/// The objects whose last reference is gone and that this thread has still to free. While a
/// thread frees (`active`), a release reached from inside a destructor (a closure's captured
/// terms) only queues here: the outermost release drains the queue, so freeing never nests.
struct Reclaimer {
    std::vector<std::pair<TermKind, detail::HeapObject *>> pending;
    bool active = false;
};
thread_local Reclaimer t_reclaimer;
} // namespace

void Term::releaseHeap() noexcept
{
    detail::HeapObject *object = m_u.p;
    const TermKind kind = m_kind;
    m_kind = TermKind::Nil;
    m_u.i = 0;
    if (object->refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
        return;
    destroyHeap(kind, object);
}

void Term::destroyHeap(TermKind kind, detail::HeapObject *object) noexcept
{
    Reclaimer &reclaimer = t_reclaimer;
    if (reclaimer.active) {
        reclaimer.pending.emplace_back(kind, object);
        return;
    }
    reclaimer.active = true;
    destroyShallow(kind, object, reclaimer.pending);
    while (!reclaimer.pending.empty()) {
        const auto [k, o] = reclaimer.pending.back();
        reclaimer.pending.pop_back();
        destroyShallow(k, o, reclaimer.pending);
    }
    reclaimer.active = false;
    if (reclaimer.pending.capacity() > 4096)
        reclaimer.pending.shrink_to_fit(); // a deep term's queue is not kept for the thread's life
}

void Term::destroyShallow(TermKind kind, detail::HeapObject *object,
    std::vector<std::pair<TermKind, detail::HeapObject *>> &pending) noexcept
{
    // Takes `child` out of the object; when this was its last reference it is queued.
    const auto detach = [&pending](Term &child) {
        if (!child.isHeap())
            return;
        detail::HeapObject *p = child.m_u.p;
        const TermKind k = child.m_kind;
        child.m_kind = TermKind::Nil;
        child.m_u.i = 0;
        if (p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
            pending.emplace_back(k, p);
    };
    switch (kind) {
    case TermKind::Cons: {
        auto *cell = static_cast<ConsObject *>(object);
        detach(cell->head);
        detach(cell->tail);
        break;
    }
    case TermKind::Tuple: {
        auto *tuple = static_cast<detail::TupleObject *>(object);
        for (uint32_t i = 0; i < tuple->size; ++i)
            detach(tuple->elements()[i]);
        break;
    }
    case TermKind::Map:
        for (auto &[key, value] : static_cast<MapObject *>(object)->entries) {
            detach(key);
            detach(value);
        }
        break;
    default:
        break; // binaries hold no terms; a function's captured terms queue through releaseHeap
    }
    delete object;
}

// Inspection -----------------------------------------------------------------

bool Term::isAtom(std::string_view name) const { return isAtom() && asAtom().name() == name; }

bool Term::isBoolean() const
{
    return isAtom() && (asAtom() == atoms::trueAtom() || asAtom() == atoms::falseAtom());
}

bool Term::isTruthy() const
{
    return !(isAtom() && (asAtom() == atoms::nilAtom() || asAtom() == atoms::falseAtom()));
}

bool Term::isProperList() const
{
    const Term *t = this;
    while (t->isCons())
        t = &t->tail();
    return t->isNil();
}

Atom Term::asAtom() const noexcept
{
    return Atom::fromId(m_u.atom);
}

std::string_view Term::asBinary() const noexcept { return static_cast<const BinaryObject *>(m_u.p)->bytes; }

const FunctionValue *Term::asFunction() const noexcept
{
    return isFunction() ? static_cast<const FunctionValue *>(m_u.p) : nullptr;
}

std::vector<Term> Term::tupleElements() const
{
    if (!isTuple())
        return {};
    const auto *tuple = static_cast<const detail::TupleObject *>(m_u.p);
    return { tuple->elements(), tuple->elements() + tuple->size };
}

const Term &Term::head() const noexcept { return static_cast<const ConsObject *>(m_u.p)->head; }
const Term &Term::tail() const noexcept { return static_cast<const ConsObject *>(m_u.p)->tail; }

std::vector<Term> Term::listElements(Term *tailOut) const
{
    std::vector<Term> out;
    const Term *t = this;
    while (t->isCons()) {
        out.push_back(t->head());
        t = &t->tail();
    }
    if (tailOut != nullptr)
        *tailOut = *t;
    return out;
}

size_t Term::listLength() const
{
    size_t n = 0;
    for (const Term *t = this; t->isCons(); t = &t->tail())
        ++n;
    return n;
}

size_t Term::mapSize() const noexcept { return mapEntries().size(); }

const std::vector<std::pair<Term, Term>> &Term::mapEntries() const noexcept
{
    return isMap() ? static_cast<const MapObject *>(m_u.p)->entries : emptyEntries();
}

const Term *Term::mapFind(const Term &key) const noexcept
{
    const auto &entries = mapEntries();
    auto it = std::lower_bound(entries.begin(), entries.end(), key,
        [](const auto &entry, const Term &k) { return compareExact(entry.first, k) < 0; });
    if (it != entries.end() && compareExact(it->first, key) == 0)
        return &it->second;
    return nullptr;
}

Term Term::mapPut(const Term &key, const Term &value) const
{
    auto *object = new MapObject;
    object->entries = mapEntries();
    auto &entries = object->entries;
    auto it = std::lower_bound(entries.begin(), entries.end(), key,
        [](const auto &entry, const Term &k) { return compareExact(entry.first, k) < 0; });
    if (it != entries.end() && compareExact(it->first, key) == 0)
        it->second = value;
    else
        entries.insert(it, { key, value });
    return adopt(TermKind::Map, object);
}

const Term *Term::structModule() const noexcept
{
    if (!isMap())
        return nullptr;
    const Term *module = mapFind(Term(atoms::structKey()));
    return module != nullptr && module->isAtom() ? module : nullptr;
}

int Term::compare(const Term &a, const Term &b) noexcept { return compareTerms(a, b, false); }
int Term::compareExact(const Term &a, const Term &b) noexcept { return compareTerms(a, b, true); }

size_t Term::hash() const noexcept
{
    // Mixes every part in a fixed pre-order walk with an explicit stack (no recursion), so
    // terms equal under compareExact hash alike however deep they nest.
    size_t h = 0;
    std::vector<const Term *> stack;
    const Term *t = this;
    for (;;) {
        h = mix(h, static_cast<size_t>(t->m_kind) * 0x100000001b3ULL);
        switch (t->m_kind) {
        case TermKind::Integer:
        case TermKind::Reference:
            h = mix(h, std::hash<int64_t>{}(t->m_u.i));
            break;
        case TermKind::Float:
            h = mix(h, std::hash<double>{}(t->m_u.f == 0.0 ? 0.0 : t->m_u.f)); // 0.0 =:= -0.0
            break;
        case TermKind::Atom:
            h = mix(h, t->m_u.atom);
            break;
        case TermKind::Pid:
            h = mix(h, t->m_u.pid);
            break;
        case TermKind::Function:
            h = mix(h, std::hash<const void *>{}(t->m_u.p));
            break;
        case TermKind::Binary:
            h = mix(h, std::hash<std::string_view>{}(t->asBinary()));
            break;
        case TermKind::Tuple:
            h = mix(h, t->tupleSize());
            for (size_t i = t->tupleSize(); i-- > 0;)
                stack.push_back(&(*t)[i]);
            break;
        case TermKind::Map: {
            const auto &entries = t->mapEntries();
            h = mix(h, entries.size());
            for (size_t i = entries.size(); i-- > 0;) {
                stack.push_back(&entries[i].second);
                stack.push_back(&entries[i].first);
            }
            break;
        }
        case TermKind::Nil:
            break;
        case TermKind::Cons:
            stack.push_back(&t->tail());
            stack.push_back(&t->head());
            break;
        }
        if (stack.empty())
            return h;
        t = stack.back();
        stack.pop_back();
    }
}

} // namespace mailroom
