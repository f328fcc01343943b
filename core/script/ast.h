// SPDX-License-Identifier: MIT
#pragma once

// The script language's syntax tree. Nodes are immutable once parsed and shared through
// shared_ptr, so closures (which keep their clauses' bodies) outlive the parse and can run
// on any thread.

#include "script/error.h"
#include "term.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mailroom::script {

enum class NodeKind : uint8_t {
    Literal, ///< a constant term: number, atom, string, alias
    Var, ///< a variable; names starting with `_` are ignored in patterns
    Pin, ///< ^var in a pattern
    Interpolation, ///< "text #{expr}" or 'text #{expr}'
    Tuple,
    List, ///< [a, b | tail]; keyword lists are lists of 2-tuples
    Map, ///< %{k => v} and the update form %{base | k: v}
    Struct, ///< %Mod{k: v} and %Mod{base | k: v}
    Unary, ///< - + ! not
    Binary, ///< arithmetic, comparison, boolean, <> ++ -- in
    Match, ///< pattern = value
    Range, ///< first..last//step
    Call, ///< local call: elem(t, 0)
    Remote, ///< Mod.fun(args), :erlang_mod.fun(args), map.field
    Apply, ///< fun.(args)
    Access, ///< term[key]
    Fn, ///< fn clauses end
    Capture, ///< &(&1 + 1)
    CaptureArg, ///< &1 inside a capture
    FunRef, ///< &Mod.fun/2, &fun/1
    Block, ///< expressions in sequence
    If, ///< if/unless
    Case,
    Cond,
    Receive,
    Try,
    For,
    With,
    Generator, ///< pattern <- enumerable (in for and with)
    Module, ///< defmodule Name do ... end
    Def, ///< one clause of def/defp inside a module
    Attribute, ///< @name value (set, in a module's body) or @name (read)
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

/// One clause: `patterns when guard -> body`. In cond the single pattern is the condition.
struct Clause {
    SourcePos pos;
    std::vector<NodePtr> patterns;
    NodePtr guard; ///< may be null
    NodePtr body; ///< never null (an empty body is the literal nil)
};

// enable_shared_from_this: a closure takes shared ownership of its `fn` node.
struct Node : std::enable_shared_from_this<Node> {
    explicit Node(NodeKind k, SourcePos p)
        : kind(k)
        , pos(p)
    {
    }
    virtual ~Node() = default;
    Node(const Node &) = delete;
    Node &operator=(const Node &) = delete;

    template<class T> [[nodiscard]] const T &as() const { return static_cast<const T &>(*this); }

    const NodeKind kind;
    const SourcePos pos;
};

template<NodeKind K> struct NodeOf : Node {
    static constexpr NodeKind Kind = K;
    explicit NodeOf(SourcePos p)
        : Node(K, p)
    {
    }
};

struct LiteralNode final : NodeOf<NodeKind::Literal> {
    using NodeOf::NodeOf;
    Term value;
    bool isAlias = false; ///< written as a module name (Counter), for messages
};

struct VarNode final : NodeOf<NodeKind::Var> {
    using NodeOf::NodeOf;
    Atom name;
    [[nodiscard]] bool isIgnored() const { return name.name().starts_with('_'); }
};

struct PinNode final : NodeOf<NodeKind::Pin> {
    using NodeOf::NodeOf;
    Atom name;
};

struct InterpolationNode final : NodeOf<NodeKind::Interpolation> {
    using NodeOf::NodeOf;
    std::vector<NodePtr> parts; ///< literal binaries and expressions, converted with to_string
    bool charlist = false;
};

struct TupleNode final : NodeOf<NodeKind::Tuple> {
    using NodeOf::NodeOf;
    std::vector<NodePtr> elements;
};

struct ListNode final : NodeOf<NodeKind::List> {
    using NodeOf::NodeOf;
    std::vector<NodePtr> elements;
    NodePtr tail; ///< [h | tail]; null for a proper list
};

struct MapNode final : NodeOf<NodeKind::Map> {
    using NodeOf::NodeOf;
    NodePtr base; ///< %{base | ...}; null when building a fresh map
    std::vector<std::pair<NodePtr, NodePtr>> entries;
};

struct StructNode final : NodeOf<NodeKind::Struct> {
    using NodeOf::NodeOf;
    Atom module; ///< :"Elixir.Mod"
    NodePtr base;
    std::vector<std::pair<NodePtr, NodePtr>> entries;
};

struct UnaryNode final : NodeOf<NodeKind::Unary> {
    using NodeOf::NodeOf;
    Atom op;
    NodePtr operand;
};

struct BinaryNode final : NodeOf<NodeKind::Binary> {
    using NodeOf::NodeOf;
    Atom op;
    NodePtr lhs;
    NodePtr rhs;
};

struct MatchNode final : NodeOf<NodeKind::Match> {
    using NodeOf::NodeOf;
    NodePtr pattern;
    NodePtr value;
};

struct RangeNode final : NodeOf<NodeKind::Range> {
    using NodeOf::NodeOf;
    NodePtr first;
    NodePtr last;
    NodePtr step; ///< may be null
};

struct CallNode final : NodeOf<NodeKind::Call> {
    using NodeOf::NodeOf;
    Atom name;
    std::vector<NodePtr> args;
    /// Written `name -1` (a call by Elixir's rules); an error when `name` is a variable.
    bool ambiguousOperator = false;
};

struct RemoteNode final : NodeOf<NodeKind::Remote> {
    using NodeOf::NodeOf;
    NodePtr target; ///< usually a Literal module atom
    Atom function;
    std::vector<NodePtr> args;
    bool parens = false; ///< `x.field` without parentheses reads a map key when x is a map
};

struct ApplyNode final : NodeOf<NodeKind::Apply> {
    using NodeOf::NodeOf;
    NodePtr function;
    std::vector<NodePtr> args;
};

struct AccessNode final : NodeOf<NodeKind::Access> {
    using NodeOf::NodeOf;
    NodePtr target;
    NodePtr key;
};

struct FnNode final : NodeOf<NodeKind::Fn> {
    using NodeOf::NodeOf;
    std::vector<Clause> clauses;
    int arity = 0;
};

struct CaptureNode final : NodeOf<NodeKind::Capture> {
    using NodeOf::NodeOf;
    NodePtr body;
    int arity = 0;
};

struct CaptureArgNode final : NodeOf<NodeKind::CaptureArg> {
    using NodeOf::NodeOf;
    int index = 1;
};

struct FunRefNode final : NodeOf<NodeKind::FunRef> {
    using NodeOf::NodeOf;
    Term module; ///< module atom, or nil for a local (Kernel) function
    Atom function;
    int arity = 0;
};

struct BlockNode final : NodeOf<NodeKind::Block> {
    using NodeOf::NodeOf;
    std::vector<NodePtr> exprs;
};

struct IfNode final : NodeOf<NodeKind::If> {
    using NodeOf::NodeOf;
    NodePtr condition;
    NodePtr then;
    NodePtr otherwise; ///< may be null (nil)
};

struct CaseNode final : NodeOf<NodeKind::Case> {
    using NodeOf::NodeOf;
    NodePtr subject;
    std::vector<Clause> clauses;
};

struct CondNode final : NodeOf<NodeKind::Cond> {
    using NodeOf::NodeOf;
    std::vector<Clause> clauses;
};

struct ReceiveNode final : NodeOf<NodeKind::Receive> {
    using NodeOf::NodeOf;
    std::vector<Clause> clauses;
    NodePtr timeout; ///< after TIMEOUT -> ...; null without `after`
    NodePtr afterBody;
};

struct TryNode final : NodeOf<NodeKind::Try> {
    using NodeOf::NodeOf;
    NodePtr body;
    std::vector<Clause> rescues; ///< pattern: `e`, `Mod`, `e in Mod`, `e in [A, B]`
    std::vector<Clause> catches; ///< patterns: [value] (kind :throw) or [kind, value]
    std::vector<Clause> elses;
    NodePtr after; ///< may be null
};

struct GeneratorNode final : NodeOf<NodeKind::Generator> {
    using NodeOf::NodeOf;
    NodePtr pattern;
    NodePtr guard; ///< `pattern when guard <- enum`
    NodePtr source;
};

struct ForNode final : NodeOf<NodeKind::For> {
    using NodeOf::NodeOf;
    std::vector<NodePtr> qualifiers; ///< Generator nodes and filter expressions
    NodePtr into; ///< may be null
    NodePtr uniq; ///< may be null
    NodePtr reduce; ///< initial accumulator; the body's clauses then take it
    NodePtr body; ///< when not reducing
    std::vector<Clause> reduceClauses;
};

struct WithNode final : NodeOf<NodeKind::With> {
    using NodeOf::NodeOf;
    std::vector<NodePtr> qualifiers; ///< Generator nodes (`<-`) and plain expressions (including `=`)
    NodePtr body;
    std::vector<Clause> elses;
};

struct ModuleNode final : NodeOf<NodeKind::Module> {
    using NodeOf::NodeOf;
    Atom name; ///< the full name, :"Elixir.Outer.Inner" for a nested module
    std::vector<NodePtr> body; ///< Def, Attribute, nested Module, `use`/`defstruct` calls, expressions
    uint32_t endLine = 0; ///< the line of its `end`
};

/// `def name(p1, p2 \\ default) when guard do body end`. A head without a body only
/// declares defaults (body is null).
struct DefNode final : NodeOf<NodeKind::Def> {
    using NodeOf::NodeOf;
    Atom name;
    bool isPrivate = false;
    Clause clause; ///< the parameters are the patterns
    std::vector<NodePtr> defaults; ///< one per parameter; null where there is none
    uint32_t endLine = 0; ///< the line of its last token (its `end`); `pos` is its `def`
    [[nodiscard]] int arity() const { return static_cast<int>(clause.patterns.size()); }
    [[nodiscard]] int defaultCount() const
    {
        int n = 0;
        for (const auto &d : defaults)
            n += d ? 1 : 0;
        return n;
    }
};

struct AttributeNode final : NodeOf<NodeKind::Attribute> {
    using NodeOf::NodeOf;
    Atom name;
    NodePtr value; ///< null for a read
};

/// Frees nodes without recursion: a tree thousands of levels deep (a long `a + b + ...`
/// chain) would otherwise overflow the stack in nested destructors.
struct NodeDeleter {
    void operator()(Node *node) const;
};

/// Creates a node of type T at `pos`.
template<class T> [[nodiscard]] std::shared_ptr<T> makeNode(SourcePos pos)
{
    return std::shared_ptr<T>(new T(pos), NodeDeleter{});
}

/// Calls `visit` for each direct child of `node`, clause parts included, in source order.
void forEachChild(const Node &node, const std::function<void(const Node &)> &visit);

/// A compact, stable text form of a tree for tests and debugging: `(+ 1 (* 2 3))`.
[[nodiscard]] std::string dump(const Node &node);

} // namespace mailroom::script
