// SPDX-License-Identifier: MIT
#include "script/modules.h"

#include "script/exceptions.h"
#include "script/host.h"

#include <algorithm>

namespace mailroom::script {

ScriptHost::ScriptHost()
    : m_modules(std::make_shared<ModuleRegistry>())
{
}

const Term *ModuleDef::attribute(Atom attributeName) const
{
    for (const auto &[n, v] : attributes)
        if (n == attributeName)
            return &v;
    return nullptr;
}

void ModuleDef::setAttribute(Atom attributeName, Term value)
{
    for (auto &[n, v] : attributes)
        if (n == attributeName) {
            v = std::move(value);
            return;
        }
    attributes.emplace_back(attributeName, std::move(value));
}

std::vector<std::pair<std::string, int>> ModuleDef::exports() const
{
    std::vector<std::pair<std::string, int>> out;
    for (const auto &[k, f] : functions)
        if (!f.isPrivate)
            out.emplace_back(std::string(f.name.name()), f.arity);
    if (usesGenServer)
        for (const auto &[n, a] : std::initializer_list<std::pair<const char *, int>>{ { "child_spec", 1 },
                 { "code_change", 3 }, { "handle_call", 3 }, { "handle_cast", 2 }, { "handle_info", 2 },
                 { "init", 1 }, { "terminate", 2 } })
            if (find(Atom::intern(n), a) == nullptr)
                out.emplace_back(n, a);
    out.emplace_back("__info__", 1);
    out.emplace_back("module_info", 0);
    out.emplace_back("module_info", 1);
    std::sort(out.begin(), out.end());
    return out;
}

std::shared_ptr<const ModuleDef> ModuleRegistry::find(Atom name) const
{
    if (m_empty.load(std::memory_order_acquire))
        return nullptr;
    std::lock_guard lock(m_mutex);
    const auto it = m_modules.find(name.id());
    return it == m_modules.end() ? nullptr : it->second;
}

std::shared_ptr<const ModuleDef> ModuleRegistry::findAt(Atom name, int64_t timeNs) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_versions.find(name.id());
    if (it == m_versions.end() || it->second.empty())
        return nullptr;
    const auto &versions = it->second;
    const auto after = std::upper_bound(versions.begin(), versions.end(), timeNs,
        [](int64_t t, const Version &v) { return t < v.definedNs; });
    return after == versions.begin() ? versions.front().module : std::prev(after)->module;
}

bool ModuleRegistry::define(std::shared_ptr<const ModuleDef> module)
{
    const int64_t now = m_now ? m_now() : 0;
    std::lock_guard lock(m_mutex);
    auto &versions = m_versions[module->name.id()];
    if (versions.size() == kMaxVersions)
        versions.erase(versions.begin());
    versions.push_back({ now, module });
    auto &slot = m_modules[module->name.id()];
    const bool replaced = slot != nullptr;
    slot = std::move(module);
    m_empty.store(false, std::memory_order_release);
    return replaced;
}

std::vector<std::shared_ptr<const ModuleDef>> ModuleRegistry::all() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::shared_ptr<const ModuleDef>> out;
    out.reserve(m_modules.size());
    for (const auto &[id, m] : m_modules)
        out.push_back(m);
    return out;
}

double jaroDistance(std::string_view a, std::string_view b)
{
    if (a.empty() && b.empty())
        return 1.0;
    if (a.empty() || b.empty())
        return 0.0;
    if (a == b)
        return 1.0;
    const size_t range = std::max<size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;
    std::vector<bool> aMatched(a.size(), false);
    std::vector<bool> bMatched(b.size(), false);
    size_t matches = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const size_t from = i > range ? i - range : 0;
        const size_t to = std::min(b.size(), i + range + 1);
        for (size_t j = from; j < to; ++j) {
            if (bMatched[j] || a[i] != b[j])
                continue;
            aMatched[i] = bMatched[j] = true;
            ++matches;
            break;
        }
    }
    if (matches == 0)
        return 0.0;
    size_t transpositions = 0;
    size_t k = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!aMatched[i])
            continue;
        while (!bMatched[k])
            ++k;
        if (a[i] != b[k])
            ++transpositions;
        ++k;
    }
    const auto m = static_cast<double>(matches);
    return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size())
               + (m - static_cast<double>(transpositions) / 2.0) / m)
        / 3.0;
}

std::string undefinedFunctionMessage(const ModuleDef &module, Atom function, int arity)
{
    std::string text = "function " + moduleText(module.name) + "." + std::string(function.name()) + "/"
        + std::to_string(arity) + " is undefined or private";
    // As Elixir 1.14: the other arities of the same name, else names at least 0.77 alike
    // by Jaro distance; the 5 closest, listed by name.
    struct Candidate {
        double distance;
        std::string name;
        int arity;
    };
    std::vector<Candidate> candidates;
    const auto exports = module.exports();
    for (const auto &[name, a] : exports)
        if (name == function.name())
            candidates.push_back({ 1.0, name, a });
    if (candidates.empty())
        for (const auto &[name, a] : exports) {
            const double d = jaroDistance(function.name(), name);
            if (d >= 0.77)
                candidates.push_back({ d, name, a });
        }
    std::stable_sort(candidates.begin(), candidates.end(),
        [](const Candidate &x, const Candidate &y) { return x.distance > y.distance; });
    if (candidates.size() > 5)
        candidates.resize(5);
    std::stable_sort(candidates.begin(), candidates.end(),
        [](const Candidate &x, const Candidate &y) { return x.name < y.name; });
    if (candidates.empty())
        return text;
    text += ". Did you mean:\n\n";
    for (const auto &c : candidates)
        text += "      * " + c.name + "/" + std::to_string(c.arity) + "\n";
    return text;
}

} // namespace mailroom::script
