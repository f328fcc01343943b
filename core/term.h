// SPDX-License-Identifier: MIT
#pragma once

// Term: the value type Elixir code exchanges. Immutable, cheap to copy (heap
// parts are shared and reference counted), safe to share between threads.

#include <atomic>
#include <compare>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailroom {

/// An interned atom. Interning is thread-safe; names live for the program's life.
class Atom {
public:
    constexpr Atom() = default;
    /// Thread-safe.
    static Atom intern(std::string_view name);
    [[nodiscard]] std::string_view name() const;
    [[nodiscard]] constexpr uint32_t id() const { return m_id; }
    /// The atom with this id; only ids from id() are valid.
    static constexpr Atom fromId(uint32_t id) { return Atom(id); }
    constexpr bool operator==(const Atom &) const = default;

private:
    explicit constexpr Atom(uint32_t id)
        : m_id(id) {}
    uint32_t m_id = 0;
};

/// A process identifier; prints as <0.N.0>.
struct Pid {
    uint32_t number = 0;
    constexpr bool operator==(const Pid &) const = default;
    constexpr auto operator<=>(const Pid &) const = default; // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    [[nodiscard]] constexpr bool isValid() const { return number != 0; }
};

/// A unique reference; prints as #Reference<0.A.B.C>.
struct Ref {
    uint64_t value = 0;
    constexpr bool operator==(const Ref &) const = default;
    constexpr auto operator<=>(const Ref &) const = default; // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    /// Thread-safe; never returns the same value twice.
    static Ref make();
};

// In Erlang term order, as the enum order.
enum class TermKind : uint8_t {
    Integer,
    Float,
    Atom,
    Reference,
    Function,
    Pid,
    Tuple,
    Map,
    Nil,
    Cons,
    Binary,
};

namespace detail {
struct HeapObject {
    mutable std::atomic<uint32_t> refs{ 1 };
    virtual ~HeapObject() = default;
};
} // namespace detail

class Term;
class HeapWeigher;

/// A function value: closures of the script language, or C++ callables.
class FunctionValue : public detail::HeapObject {
public:
    [[nodiscard]] virtual int arity() const = 0;
    /// Printed by inspect as #Function<...>.
    [[nodiscard]] virtual std::string describe() const = 0;
    /// Applies the function in the calling process (script closures need a running
    /// process for send/receive). Throws what the body throws.
    [[nodiscard]] virtual Term call(const std::vector<Term> &args) const = 0;
    /// Shows `weigher` the terms the function holds (a closure's captured variables), so
    /// that they count towards its holder's max_heap_size (heap.h). Default: none.
    virtual void holdTerms(HeapWeigher &weigher) const { (void)weigher; }
};

class Term {
public:
    /// The empty list [].
    Term() noexcept
        : m_kind(TermKind::Nil) { m_u.i = 0; }
    Term(const Term &other) noexcept
        : m_kind(other.m_kind), m_u(other.m_u) { retain(); }
    Term(Term &&other) noexcept
        : m_kind(other.m_kind), m_u(other.m_u)
    {
        other.m_kind = TermKind::Nil;
        other.m_u.i = 0;
    }
    Term &operator=(const Term &other) noexcept
    {
        Term copy(other);
        swap(copy);
        return *this;
    }
    Term &operator=(Term &&other) noexcept
    {
        Term moved(std::move(other));
        swap(moved);
        return *this;
    }
    ~Term() { release(); }
    void swap(Term &other) noexcept
    {
        std::swap(m_kind, other.m_kind);
        std::swap(m_u, other.m_u);
    }

    // Construction -----------------------------------------------------------
    Term(Atom a) noexcept
        : m_kind(TermKind::Atom)
    {
        m_u.i = 0;
        m_u.atom = a.id();
    } // NOLINT(google-explicit-constructor)
    Term(Pid p) noexcept
        : m_kind(TermKind::Pid)
    {
        m_u.i = 0;
        m_u.pid = p.number;
    } // NOLINT(google-explicit-constructor)
    Term(Ref r) noexcept
        : m_kind(TermKind::Reference) { m_u.ref = r.value; } // NOLINT(google-explicit-constructor)
    static Term integer(int64_t v) noexcept;
    static Term floating(double v) noexcept;
    static Term atom(std::string_view name) { return Atom::intern(name); }
    static Term boolean(bool b);
    static Term nil() noexcept { return {}; }
    static Term binary(std::string bytes);
    static Term tuple(std::vector<Term> elements);
    static Term tuple(std::initializer_list<Term> elements);
    /// A proper list of the elements, with `tail` as the final tail (improper when not []).
    static Term list(const std::vector<Term> &elements, Term tail = {});
    static Term list(std::initializer_list<Term> elements) { return list(std::vector<Term>(elements)); }
    static Term cons(Term head, Term tail);
    /// A charlist: the list of the code points of a UTF-8 string.
    static Term charlist(std::string_view utf8);
    /// A map; later duplicates of a key win.
    static Term map(std::vector<std::pair<Term, Term>> entries);
    /// %Module{...}: a map with :__struct__ => :"Elixir.Module".
    static Term structure(std::string_view elixirModule, std::vector<std::pair<Term, Term>> fields);
    static Term function(FunctionValue *adopted); // takes ownership of a fresh object (refs == 1)

    // Inspection -------------------------------------------------------------
    [[nodiscard]] TermKind kind() const noexcept { return m_kind; }
    [[nodiscard]] bool isInteger() const noexcept { return m_kind == TermKind::Integer; }
    [[nodiscard]] bool isFloat() const noexcept { return m_kind == TermKind::Float; }
    [[nodiscard]] bool isNumber() const noexcept { return isInteger() || isFloat(); }
    [[nodiscard]] bool isAtom() const noexcept { return m_kind == TermKind::Atom; }
    [[nodiscard]] bool isAtom(std::string_view name) const;
    [[nodiscard]] bool isBoolean() const;
    [[nodiscard]] bool isPid() const noexcept { return m_kind == TermKind::Pid; }
    [[nodiscard]] bool isReference() const noexcept { return m_kind == TermKind::Reference; }
    [[nodiscard]] bool isTuple() const noexcept { return m_kind == TermKind::Tuple; }
    [[nodiscard]] bool isTuple(size_t arity) const noexcept { return isTuple() && tupleSize() == arity; }
    [[nodiscard]] bool isMap() const noexcept { return m_kind == TermKind::Map; }
    [[nodiscard]] bool isNil() const noexcept { return m_kind == TermKind::Nil; }
    [[nodiscard]] bool isCons() const noexcept { return m_kind == TermKind::Cons; }
    [[nodiscard]] bool isList() const noexcept { return isNil() || isCons(); }
    /// A list ending in [].
    [[nodiscard]] bool isProperList() const;
    [[nodiscard]] bool isBinary() const noexcept { return m_kind == TermKind::Binary; }
    [[nodiscard]] bool isFunction() const noexcept { return m_kind == TermKind::Function; }
    /// Truthy in Elixir: anything but nil and false.
    [[nodiscard]] bool isTruthy() const;

    [[nodiscard]] int64_t asInteger() const noexcept { return m_u.i; }
    [[nodiscard]] double asFloat() const noexcept { return m_u.f; }
    /// Integer or float as double.
    [[nodiscard]] double asNumber() const noexcept { return isInteger() ? double(m_u.i) : m_u.f; }
    [[nodiscard]] Atom asAtom() const noexcept;
    [[nodiscard]] Pid asPid() const noexcept { return Pid{ m_u.pid }; }
    [[nodiscard]] Ref asRef() const noexcept { return Ref{ m_u.ref }; }
    [[nodiscard]] std::string_view asBinary() const noexcept;
    [[nodiscard]] const FunctionValue *asFunction() const noexcept;

    [[nodiscard]] size_t tupleSize() const noexcept;
    [[nodiscard]] const Term &operator[](size_t index) const noexcept; // tuple element
    [[nodiscard]] std::vector<Term> tupleElements() const;

    [[nodiscard]] const Term &head() const noexcept; // Cons only
    [[nodiscard]] const Term &tail() const noexcept; // Cons only
    /// Elements of a (possibly improper) list; `tailOut` receives the final tail.
    [[nodiscard]] std::vector<Term> listElements(Term *tailOut = nullptr) const;
    [[nodiscard]] size_t listLength() const; // proper lists

    [[nodiscard]] size_t mapSize() const noexcept;
    /// Entries sorted in term order of the keys.
    [[nodiscard]] const std::vector<std::pair<Term, Term>> &mapEntries() const noexcept;
    [[nodiscard]] const Term *mapFind(const Term &key) const noexcept;
    [[nodiscard]] Term mapPut(const Term &key, const Term &value) const;
    /// The module name of a struct ("Elixir.X.Y" atom) or nullptr when not a struct.
    [[nodiscard]] const Term *structModule() const noexcept;

    // Comparison (Erlang term order) ----------------------------------------
    /// Exact equality (=:=): 1 and 1.0 differ.
    friend bool operator==(const Term &a, const Term &b) noexcept { return compareExact(a, b) == 0; }
    /// Elixir ==: numbers compare by value (1 == 1.0).
    [[nodiscard]] static bool equalValue(const Term &a, const Term &b) noexcept { return compare(a, b) == 0; }
    /// Erlang term order with numbers by value: <0, 0, >0.
    [[nodiscard]] static int compare(const Term &a, const Term &b) noexcept;
    /// Total order, integers before equal floats (used for map keys and =:=).
    [[nodiscard]] static int compareExact(const Term &a, const Term &b) noexcept;
    [[nodiscard]] size_t hash() const noexcept;
    /// True when both are one value without looking inside: the same immediate (a float bit
    /// for bit) or the same shared heap object. O(1); false says nothing about equality.
    [[nodiscard]] bool isSameObject(const Term &other) const noexcept;
    /// The shared object behind a tuple, list cell, map, binary or function (what tells
    /// one copy from another), or null for an immediate.
    [[nodiscard]] const void *heapAddress() const noexcept { return isHeap() ? m_u.p : nullptr; }
    /// True when more than one term holds that object (a moment's answer: other threads may
    /// take or drop references meanwhile). A walk that reaches an unshared object through
    /// its only holder cannot reach it again, so it need not remember it.
    [[nodiscard]] bool heapShared() const noexcept
    {
        return isHeap() && m_u.p->refs.load(std::memory_order_relaxed) > 1;
    }

    // Printing (term_format.cpp) ---------------------------------------------
    /// As Elixir 1.14 `inspect/1` prints it.
    [[nodiscard]] std::string inspect() const;
    /// As Erlang's io_lib:format("~tp") prints it on one line (no wrapping).
    [[nodiscard]] std::string toErlang() const;
    /// As "~tp" prints it when `startColumn` characters already precede it on its line
    /// (0 = line start): io_lib_pretty's layout for 80 columns, breaking long terms over
    /// lines. Continuation lines are indented relative to `startColumn`.
    [[nodiscard]] std::string toErlangWrapped(size_t startColumn) const;
    /// As Elixir 1.14's IO.inspect/1 prints it: Inspect.Algebra's layout for `width` columns.
    [[nodiscard]] std::string inspectPretty(size_t width = 80) const;
    // (All printers: functions print as #Function<describe()> in Elixir, #Fun<...> in Erlang;
    // refs as #Reference<0.0.0.N> / #Ref<0.0.0.N>.)
    /// Declares the fields of struct `elixirModule` ("Mod.State") in `defstruct` order, which
    /// inspect follows as Elixir does; a struct whose keys differ from the declared ones prints
    /// as a plain map, as in Elixir. Structs of undeclared modules print their fields sorted.
    /// Thread-safe.
    static void declareStructFields(std::string_view elixirModule, std::vector<Atom> fields);

private:
    void retain() const noexcept
    {
        if (isHeap())
            m_u.p->refs.fetch_add(1, std::memory_order_relaxed);
    }
    void release() noexcept
    {
        if (isHeap())
            releaseHeap();
    }
    void releaseHeap() noexcept;
    /// Frees `object`, whose last reference is gone, and every part of it that this frees in
    /// turn, without recursing on the machine stack (a term may nest a million levels deep).
    static void destroyHeap(TermKind kind, detail::HeapObject *object) noexcept;
    /// Destroys `object` after handing its heap children whose last reference it held to `pending`.
    static void destroyShallow(TermKind kind, detail::HeapObject *object,
        std::vector<std::pair<TermKind, detail::HeapObject *>> &pending) noexcept;
    [[nodiscard]] bool isHeap() const noexcept
    {
        return m_kind == TermKind::Function || m_kind == TermKind::Tuple || m_kind == TermKind::Map
            || m_kind == TermKind::Cons || m_kind == TermKind::Binary;
    }
    static Term adopt(TermKind kind, detail::HeapObject *object) noexcept;

    TermKind m_kind;
    union Payload {
        int64_t i;
        double f;
        uint32_t atom;
        uint32_t pid;
        uint64_t ref;
        detail::HeapObject *p;
    } m_u;
};

namespace detail {
/// A tuple: its elements follow the header in the same allocation.
struct TupleObject final : HeapObject {
    explicit TupleObject(uint32_t n)
        : size(n) {}
    ~TupleObject() override
    {
        for (uint32_t i = 0; i < size; ++i)
            elements()[i].~Term();
    }
    TupleObject(const TupleObject &) = delete;
    TupleObject &operator=(const TupleObject &) = delete;
    /// Room for `n` elements after the header; the caller constructs them.
    static TupleObject *make(size_t n);
    static void operator delete(void *p) { ::operator delete(p); }
    [[nodiscard]] Term *elements() noexcept { return reinterpret_cast<Term *>(this + 1); }
    [[nodiscard]] const Term *elements() const noexcept { return reinterpret_cast<const Term *>(this + 1); }

    uint32_t size;
};
static_assert(sizeof(TupleObject) % alignof(Term) == 0);
} // namespace detail

inline size_t Term::tupleSize() const noexcept
{
    return isTuple() ? static_cast<const detail::TupleObject *>(m_u.p)->size : 0;
}

inline const Term &Term::operator[](size_t index) const noexcept
{
    return static_cast<const detail::TupleObject *>(m_u.p)->elements()[index];
}

inline void swap(Term &a, Term &b) noexcept { a.swap(b); }

struct TermHash {
    size_t operator()(const Term &t) const noexcept { return t.hash(); }
};

namespace atoms {
// Frequently used atoms, interned once.
Atom ok();
Atom error();
Atom trueAtom();
Atom falseAtom();
Atom nilAtom();
Atom normal();
Atom shutdown();
Atom kill();
Atom killed();
Atom timeout();
Atom noproc();
Atom exitAtom(); // :EXIT
Atom down(); // :DOWN
Atom process();
Atom noreply();
Atom reply();
Atom stop();
Atom structKey(); // :__struct__
} // namespace atoms

namespace literals {
inline Term operator""_a(const char *s, size_t n) { return Atom::intern(std::string_view(s, n)); }
inline Term operator""_s(const char *s, size_t n) { return Term::binary(std::string(s, n)); }
inline Term operator""_i(unsigned long long v) { return Term::integer(static_cast<int64_t>(v)); }
} // namespace literals

} // namespace mailroom
