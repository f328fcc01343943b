// SPDX-License-Identifier: MIT
#pragma once

// Modules that scripts define (defmodule): their functions, attributes and struct, kept in
// a registry that every process of a runtime shares, as the BEAM's code server is shared.
// A module is immutable once defined; defining it again replaces it for every later call.

#include "script/ast.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailroom::script {

/// One function of a module: name/arity with its clauses in source order.
struct FunctionDef {
    Atom name;
    int arity = 0;
    bool isPrivate = false;
    std::vector<const DefNode *> clauses; ///< owned by the module's tree
    /// Set when this arity exists through the default arguments of a longer head: the call
    /// fills in the defaults and goes on to `defaultsOf->name`/`defaultsOf->arity()`.
    const DefNode *defaultsOf = nullptr;
};

struct ModuleDef {
    Atom name; ///< :"Elixir.My.Server"
    NodePtr node; ///< the defmodule's tree: keeps every clause alive
    std::shared_ptr<const std::string> file;
    /// The text of the code that defined it (a console entry, an editor buffer, a catalog
    /// file), of which node->pos.line .. node->endLine are the module's lines; null when
    /// unknown. A redefinition brings its own.
    std::shared_ptr<const std::string> source;
    std::unordered_map<uint64_t, FunctionDef> functions;
    std::vector<std::pair<Atom, Term>> attributes; ///< the last value set of each
    std::optional<Term> structDefaults; ///< from defstruct
    bool usesGenServer = false;

    [[nodiscard]] static uint64_t key(Atom function, int arity)
    {
        return (uint64_t(function.id()) << 8U) | uint64_t(arity & 0xff);
    }
    [[nodiscard]] const FunctionDef *find(Atom function, int arity) const
    {
        const auto it = functions.find(key(function, arity));
        return it == functions.end() ? nullptr : &it->second;
    }
    [[nodiscard]] const Term *attribute(Atom attributeName) const;
    void setAttribute(Atom attributeName, Term value);
    /// Public functions as {name, arity}, with what `use GenServer` adds, sorted.
    [[nodiscard]] std::vector<std::pair<std::string, int>> exports() const;
};

/// The modules of one runtime (one ScriptHost). Thread-safe.
class ModuleRegistry {
public:
    /// The module's current version, or nullptr.
    [[nodiscard]] std::shared_ptr<const ModuleDef> find(Atom name) const;
    /// The version that was current at `timeNs` of the clock (setClock): the last defined
    /// then or before; the oldest kept for an earlier time; nullptr when none was defined.
    /// What a record's event at that time ran, for a view that shows its source.
    [[nodiscard]] std::shared_ptr<const ModuleDef> findAt(Atom name, int64_t timeNs) const;
    /// Adds or replaces; true when a module of that name was replaced. The versions it
    /// replaces are kept for findAt (the last kMaxVersions of each module).
    bool define(std::shared_ptr<const ModuleDef> module);
    /// Every module, in no particular order.
    [[nodiscard]] std::vector<std::shared_ptr<const ModuleDef>> all() const;
    /// The clock define() stamps versions with (the runtime's virtual time). Set once,
    /// before the first define(); without it every version is stamped 0.
    void setClock(std::function<int64_t()> now) { m_now = std::move(now); }

    static constexpr size_t kMaxVersions = 64;

private:
    struct Version {
        int64_t definedNs = 0;
        std::shared_ptr<const ModuleDef> module;
    };
    mutable std::mutex m_mutex; // protects m_modules and m_versions
    std::unordered_map<uint32_t, std::shared_ptr<const ModuleDef>> m_modules;
    std::unordered_map<uint32_t, std::vector<Version>> m_versions; // oldest first
    std::atomic<bool> m_empty{ true }; // lets lookups skip the lock until a module exists
    std::function<int64_t()> m_now;
};

/// String.jaro_distance/2 (for UndefinedFunctionError's "Did you mean").
[[nodiscard]] double jaroDistance(std::string_view a, std::string_view b);

/// The message of UndefinedFunctionError for a module that exists but lacks
/// name/arity (or has it private), with Elixir's "Did you mean" suggestions.
[[nodiscard]] std::string undefinedFunctionMessage(const ModuleDef &module, Atom function, int arity);

} // namespace mailroom::script
