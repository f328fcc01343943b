// SPDX-License-Identifier: MIT
#include "script/catalog.h"

#include "catalog_sources.h"
#include "script/error.h"
#include "script/eval.h"
#include "script/host.h"
#include "script/parser.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>

namespace mailroom {

namespace script {

namespace {

/// Defines modules and nothing else: a catalog file's top level is its defmodule, whose
/// body only sets attributes and defines functions, so no process is involved.
class DefinitionHost final : public ScriptHost {
public:
    [[noreturn]] static void none() { throw std::logic_error("a catalog file may only define modules"); }
    Term self() override { none(); }
    void send(const Term &, const Term &) override { none(); }
    std::optional<Term> receive(const std::function<bool(const Term &)> &, std::optional<int64_t>) override
    {
        none();
    }
    Term spawn(const Term &, bool) override { none(); }
    Term callModule(Atom, Atom, std::vector<Term>) override { none(); }
};

struct Loaded {
    std::vector<std::shared_ptr<const ModuleDef>> modules; ///< every module, nested ones too
    std::vector<std::pair<std::shared_ptr<const ModuleDef>, std::string_view>> topLevel; ///< with its source
};

const Loaded &loaded()
{
    static const Loaded result = [] {
        Loaded l;
        const auto host = std::make_shared<DefinitionHost>();
        for (const CatalogSource &source : catalogSources()) {
            try {
                const Program program = parseProgram(source.text, std::string(source.file));
                (void)run(program, *host);
                const auto topLevel = [&](const Node &node) {
                    if (node.kind == NodeKind::Module)
                        if (auto m = host->modules().find(node.as<ModuleNode>().name))
                            l.topLevel.emplace_back(std::move(m), source.text);
                };
                if (program.root->kind == NodeKind::Block) // several top-level expressions
                    forEachChild(*program.root, topLevel);
                else
                    topLevel(*program.root);
            } catch (const std::exception &e) {
                // Embedded at build time and tested: only a broken build gets here.
                std::fprintf(stderr, "mailroom: %s does not load: %s\n", std::string(source.file).c_str(), e.what());
                std::abort();
            }
        }
        l.modules = host->modules().all();
        return l;
    }();
    return result;
}

} // namespace

const std::vector<std::shared_ptr<const ModuleDef>> &catalogModules() { return loaded().modules; }

} // namespace script

namespace {

using script::ModuleDef;
using script::Node;
using script::NodeKind;

/// The term a pattern always matches exactly, or nullopt when it binds or ignores anything.
std::optional<Term> literalOf(const Node &node, const ModuleDef &module)
{
    using namespace script;
    switch (node.kind) {
    case NodeKind::Literal:
        return node.as<LiteralNode>().value;
    case NodeKind::Attribute:
        if (const Term *value = module.attribute(node.as<AttributeNode>().name))
            return *value;
        return std::nullopt;
    case NodeKind::Tuple: {
        std::vector<Term> elements;
        for (const auto &e : node.as<TupleNode>().elements) {
            auto t = literalOf(*e, module);
            if (!t)
                return std::nullopt;
            elements.push_back(std::move(*t));
        }
        return Term::tuple(std::move(elements));
    }
    case NodeKind::List: {
        const auto &list = node.as<ListNode>();
        if (list.tail)
            return std::nullopt;
        std::vector<Term> elements;
        for (const auto &e : list.elements) {
            auto t = literalOf(*e, module);
            if (!t)
                return std::nullopt;
            elements.push_back(std::move(*t));
        }
        return Term::list(elements);
    }
    default:
        return std::nullopt;
    }
}

/// The pattern as code with `«name»` standing for each variable it binds (what a form asks
/// for), each name added to `fields` once; nullopt for a pattern a form cannot fill (a pin,
/// a list's tail, a binary pattern).
std::optional<std::string> templateOf(const Node &node, const ModuleDef &module, std::vector<std::string> &fields)
{
    using namespace script;
    if (auto literal = literalOf(node, module))
        return literal->inspect();
    const auto joined = [&](const std::vector<NodePtr> &elements) -> std::optional<std::string> {
        std::string out;
        for (const auto &e : elements) {
            auto t = templateOf(*e, module, fields);
            if (!t)
                return std::nullopt;
            out += (out.empty() ? "" : ", ") + *t;
        }
        return out;
    };
    switch (node.kind) {
    case NodeKind::Var: {
        std::string name(node.as<VarNode>().name.name());
        while (name.starts_with('_'))
            name.erase(0, 1);
        if (name.empty())
            name = "value";
        if (std::find(fields.begin(), fields.end(), name) == fields.end())
            fields.push_back(name);
        return "«" + name + "»";
    }
    case NodeKind::Tuple:
        if (auto inner = joined(node.as<TupleNode>().elements))
            return "{" + *inner + "}";
        return std::nullopt;
    case NodeKind::List: {
        const auto &list = node.as<ListNode>();
        if (list.tail)
            return std::nullopt;
        if (auto inner = joined(list.elements))
            return "[" + *inner + "]";
        return std::nullopt;
    }
    case NodeKind::Map: {
        const auto &map = node.as<MapNode>();
        if (map.base)
            return std::nullopt;
        std::string out;
        for (const auto &[key, value] : map.entries) {
            auto k = literalOf(*key, module);
            auto v = templateOf(*value, module, fields);
            if (!k || !v)
                return std::nullopt;
            out += (out.empty() ? "" : ", ") + k->inspect() + " => " + *v;
        }
        return "%{" + out + "}";
    }
    case NodeKind::Match: {
        // `{:add, n} = message`: the side that says what the message looks like.
        const auto &match = node.as<MatchNode>();
        return templateOf(match.pattern->kind == NodeKind::Var ? *match.value : *match.pattern, module, fields);
    }
    default:
        return std::nullopt;
    }
}

/// A template as a label: `{:add, n}` for `{:add, «n»}`.
std::string labelOf(std::string_view code)
{
    std::string out;
    for (size_t i = 0; i < code.size();) {
        if (code.substr(i, 2) == "«" || code.substr(i, 2) == "»") {
            i += 2;
            continue;
        }
        out += code[i++];
    }
    return out;
}

/// Line `n` (1-based) of `text`, without its newline.
std::string_view lineOf(std::string_view text, int n)
{
    size_t start = 0;
    for (int i = 1; i < n; ++i) {
        start = text.find('\n', start);
        if (start == std::string_view::npos)
            return {};
        ++start;
    }
    const size_t end = text.find('\n', start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// The `# Try: CODE` lines right above line `line` (past @impl and other comments), in order.
std::vector<std::string> tryLines(std::string_view source, int line)
{
    std::vector<std::string> out;
    for (int n = line - 1; n >= 1; --n) {
        const std::string_view text = trimmed(lineOf(source, n));
        if (text.starts_with("# Try: "))
            out.insert(out.begin(), std::string(trimmed(text.substr(7))));
        else if (!text.starts_with("#") && !text.starts_with("@impl"))
            break;
    }
    return out;
}

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// `code` with the word `pid` (the server, in a Try line) as `{server}`.
std::string withServer(std::string_view code)
{
    std::string out;
    for (size_t i = 0; i < code.size();) {
        if (code.substr(i, 3) == "pid" && (i == 0 || !isWordChar(code[i - 1]))
            && (i + 3 == code.size() || !isWordChar(code[i + 3]))) {
            out += "{server}";
            i += 3;
        } else {
            out += code[i++];
        }
    }
    return out;
}

/// The name `module`'s start_link/0 registers: the `name:` option of its GenServer.start_link.
std::optional<std::string> registeredName(const ModuleDef &module)
{
    using namespace script;
    const FunctionDef *startLink = module.find(Atom::intern("start_link"), 0);
    if (startLink == nullptr || startLink->clauses.empty())
        return std::nullopt;
    std::optional<std::string> found;
    std::function<void(const Node &)> visit = [&](const Node &node) {
        if (node.kind == NodeKind::Tuple) {
            const auto &t = node.as<TupleNode>();
            if (t.elements.size() == 2 && t.elements[0]->kind == NodeKind::Literal
                && t.elements[0]->as<LiteralNode>().value.isAtom("name")) {
                const Node &value = *t.elements[1];
                if (auto literal = literalOf(value, module); literal && literal->isAtom())
                    found = std::string(literal->asAtom().name());
                return;
            }
        }
        forEachChild(node, visit);
    };
    visit(*startLink->clauses[0]->clause.body);
    return found;
}

} // namespace

CatalogEntry describeModule(const ModuleDef &module, std::string_view source)
{
    using namespace script;
    CatalogEntry e;
    const std::string_view name = module.name.name();
    e.module = std::string(name.starts_with("Elixir.") ? name.substr(7) : name);
    if (const Term *doc = module.attribute(Atom::intern("moduledoc")); doc != nullptr && doc->isBinary()) {
        const std::string_view text = doc->asBinary();
        e.summary = std::string(text.substr(0, text.find('\n')));
    }
    e.defaultName = registeredName(module);
    if (const FunctionDef *start = module.find(Atom::intern("start"), 0); start != nullptr && !start->isPrivate)
        e.hasStart = true;
    for (const auto &child : module.node->as<ModuleNode>().body) {
        if (child->kind != NodeKind::Def)
            continue;
        const auto &d = child->as<DefNode>();
        const std::string_view fn = d.name.name();
        MessageKind kind;
        if (fn == "handle_call" && d.arity() == 3)
            kind = MessageKind::Call;
        else if (fn == "handle_cast" && d.arity() == 2)
            kind = MessageKind::Cast;
        else if (fn == "handle_info" && d.arity() == 2)
            kind = MessageKind::Info;
        else
            continue;
        const std::vector<std::string> tries = tryLines(source, d.pos.line);
        std::vector<std::string> fields;
        const Node &pattern = *d.clause.patterns[0];
        // A form only where no `# Try:` line shows how, and none for a catch-all: the menu's
        // plain message is that already.
        if (auto text = templateOf(pattern, module, fields);
            text && (fields.empty() || tries.empty()) && pattern.kind != NodeKind::Var) {
            const char *send = kind == MessageKind::Call ? "GenServer.call({server}, "
                : kind == MessageKind::Cast              ? "GenServer.cast({server}, "
                                                         : "send({server}, ";
            e.messages.push_back({ kind, labelOf(*text), send + *text + ")", std::move(fields) });
        }
        for (const std::string &code : tries) {
            std::string label = code;
            if (label.starts_with(e.module + "."))
                label = label.substr(e.module.size() + 1);
            for (const char *wrapper : { "GenServer.call(pid, ", "GenServer.cast(pid, ", "send(pid, " })
                if (label.starts_with(wrapper) && label.ends_with(")"))
                    label = label.substr(std::string_view(wrapper).size(), label.size() - std::string_view(wrapper).size() - 1);
            e.messages.push_back({ kind, label, withServer(code), {} });
        }
    }
    return e;
}

const std::vector<CatalogEntry> &catalog()
{
    static const std::vector<CatalogEntry> entries = [] {
        std::vector<CatalogEntry> out;
        for (const auto &[module, source] : script::loaded().topLevel)
            if (module->usesGenServer)
                out.push_back(describeModule(*module, source));
        return out;
    }();
    return entries;
}

const CatalogEntry *findCatalogEntry(std::string_view module)
{
    if (module.starts_with("Elixir."))
        module.remove_prefix(7);
    for (const auto &entry : catalog())
        if (entry.module == module)
            return &entry;
    return nullptr;
}

} // namespace mailroom
