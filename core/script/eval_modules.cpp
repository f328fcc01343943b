// SPDX-License-Identifier: MIT
// defmodule and what its body may hold (def, defp, @attributes, use GenServer, defstruct),
// and the structs the evaluator itself knows (exceptions, Range).

#include "script/builtins.h"
#include "script/checker.h"
#include "script/interpreter.h"
#include "script/unsupported.h"

namespace mailroom::script {

namespace {

Term atom(std::string_view name)
{
    return Term::atom(name);
}

} // namespace

// Default fields of the structs the evaluator itself knows: exceptions and Range.
std::optional<Term> builtinStructDefaults(Atom module)
{
    const std::string_view name = module.name();
    if (name == "Elixir.Range")
        return Term::structure("Range",
            { { atom("first"), atom("nil") }, { atom("last"), atom("nil") }, { atom("step"), atom("nil") } });
    if (!name.starts_with("Elixir."))
        return std::nullopt;
    const std::string_view short_ = name.substr(7);
    const Term probe = Term::structure(short_, {});
    if (!isException(probe))
        return std::nullopt;
    // Build from the normalized empty exception so that every field is present.
    static const std::vector<std::pair<std::string_view, std::string_view>> defaultMessages = {
        { "RuntimeError", "runtime error" },
        { "ArgumentError", "argument error" },
        { "ArithmeticError", "bad argument in arithmetic expression" },
        { "SystemLimitError", "a system limit has been reached" },
        { "Enum.EmptyError", "empty error" },
        { "Enum.OutOfBoundsError", "out of bounds error" },
    };
    for (const auto &[mod, message] : defaultMessages)
        if (mod == short_)
            return exceptionStruct(mod, { { "message", Term::binary(std::string(message)) } });
    const Term nil = atom("nil");
    if (short_ == "MatchError" || short_ == "CaseClauseError" || short_ == "WithClauseError"
        || short_ == "TryClauseError" || short_ == "BadFunctionError" || short_ == "BadMapError")
        return exceptionStruct(short_, { { "term", nil } });
    if (short_ == "CondClauseError")
        return exceptionStruct(short_, {});
    if (short_ == "KeyError")
        return exceptionStruct(short_, { { "key", nil }, { "term", nil }, { "message", nil } });
    if (short_ == "ErlangError")
        return exceptionStruct(short_, { { "original", nil }, { "reason", nil } });
    return std::nullopt;
}

bool moduleAvailable(ScriptHost &host, Atom module)
{
    return isBuiltinModule(module) || host.modules().find(module) != nullptr;
}

Term exceptionFromModule(Atom module, const Term &arg)
{
    auto defaults = builtinStructDefaults(module);
    if (!defaults || module.name() == "Elixir.Range")
        raiseUndefinedFunction(module, Atom::intern("exception"), 1, false);
    Term e = *defaults;
    if (arg.isBinary())
        return e.mapPut(atom("message"), arg);
    if (arg.isList()) {
        for (const auto &kv : arg.listElements()) {
            if (!kv.isTuple(2) || !kv[0].isAtom())
                raiseArgumentError(
                    "expected a keyword list as the second argument of raise, got: " + arg.inspect());
            if (e.mapFind(kv[0]) == nullptr)
                raise(Term::tuple({ atom("badkey"), kv[0], e }));
            e = e.mapPut(kv[0], kv[1]);
        }
        return e;
    }
    raiseArgumentError(
        "expected a keyword list or a string as the second argument of raise, got: " + arg.inspect());
}

// Modules ----------------------------------------------------------------------------------

Term Interpreter::evalModule(const ModuleNode &node)
{
    // Elixir compiles a module when its defmodule runs: its compile errors come now.
    checkModule(node, *m_file);
    auto module = std::make_shared<ModuleDef>();
    module->name = node.name;
    module->node = node.shared_from_this();
    module->file = m_file;
    module->source = m_source;
    Term last = nilTerm();
    {
        ModuleRestore restore(m_module);
        ModuleDef *const outer = m_building;
        m_building = module.get();
        m_module = nullptr;
        try {
            Env env;
            for (const auto &expr : node.body)
                defineInModule(*module, *expr, env, last);
        } catch (...) {
            m_building = outer;
            throw;
        }
        m_building = outer;
    }
    if (module->usesGenServer && module->find(Atom::intern("init"), 1) == nullptr)
        // `use GenServer` then injects init/1 (see callRemote and ScriptGenServer::init).
        m_host.errorOutput("warning: function init/1 required by behaviour GenServer is not implemented (in module "
            + moduleText(node.name)
            + ").\n\nWe will inject a default implementation for now:\n\n    def init(init_arg) do\n      "
              "{:ok, init_arg}\n    end\n\nYou can copy the implementation above or define your own that "
              "converts the arguments given to GenServer.start_link/3 to the server state.\n\n  "
            + *m_file + ":" + std::to_string(node.pos.line) + ": " + moduleText(node.name) + " (module)\n\n");
    if (m_host.modules().define(module))
        m_host.errorOutput("warning: redefining module " + moduleText(node.name)
            + " (current version defined in memory)\n  " + *m_file + ":" + std::to_string(node.pos.line) + "\n\n");
    return Term::tuple({ atom("module"), Term(node.name), Term::binary(""), last });
}

void Interpreter::defineInModule(ModuleDef &module, const Node &expr, Env &env, Term &last)
{
    if (expr.kind == NodeKind::Def) {
        const auto &d = expr.as<DefNode>();
        const auto conflict = [&](const std::string &message) {
            throw ScriptError(ScriptError::Kind::CompileError, *m_file, d.pos, message);
        };
        const std::string kind = d.isPrivate ? "defp" : "def";
        FunctionDef &f = module.functions[ModuleDef::key(d.name, d.arity())];
        const bool fresh = f.clauses.empty() && f.defaultsOf == nullptr;
        if (fresh) {
            f.name = d.name;
            f.arity = d.arity();
            f.isPrivate = d.isPrivate;
        } else if (f.isPrivate != d.isPrivate) {
            conflict(kind + " " + std::string(d.name.name()) + "/" + std::to_string(d.arity())
                + " already defined as " + (f.isPrivate ? "defp" : "def"));
        } else if (f.defaultsOf != nullptr) {
            conflict(kind + " " + std::string(d.name.name()) + "/" + std::to_string(f.defaultsOf->arity())
                + " defaults conflicts with " + std::string(d.name.name()) + "/" + std::to_string(d.arity()));
        }
        if (d.clause.body)
            f.clauses.push_back(&d);
        for (int k = d.arity() - d.defaultCount(); k < d.arity(); ++k) {
            FunctionDef &g = module.functions[ModuleDef::key(d.name, k)];
            if (!g.clauses.empty())
                conflict(kind + " " + std::string(d.name.name()) + "/" + std::to_string(d.arity())
                    + " defaults conflicts with " + std::string(d.name.name()) + "/" + std::to_string(k));
            g.name = d.name;
            g.arity = k;
            g.isPrivate = d.isPrivate;
            g.defaultsOf = &d;
        }
        last = nilTerm();
        return;
    }
    if (expr.kind == NodeKind::Attribute && expr.as<AttributeNode>().value) {
        const auto &a = expr.as<AttributeNode>();
        last = eval(*a.value, env);
        module.setAttribute(a.name, last);
        return;
    }
    if (expr.kind == NodeKind::Call) {
        const auto &c = expr.as<CallNode>();
        if (c.name.name() == "use") {
            const Term target = eval(*c.args.at(0), env);
            if (!target.isAtom("Elixir.GenServer"))
                raiseArgumentError(unsupportedMessage("use " + target.inspect())
                    + ": modules can use GenServer only");
            module.usesGenServer = true;
            last = nilTerm();
            return;
        }
        if (c.name.name() == "defstruct") {
            const Term fields = c.args.size() == 1 ? eval(*c.args[0], env) : Term();
            std::vector<std::pair<Term, Term>> entries;
            if (fields.isList())
                for (const Term &field : fields.listElements()) {
                    if (field.isAtom())
                        entries.emplace_back(field, nilTerm());
                    else if (field.isTuple(2) && field[0].isAtom())
                        entries.emplace_back(field[0], field[1]);
                    else
                        raiseArgumentError("struct field names must be atoms, got: " + field.inspect());
                }
            else
                raiseArgumentError("defstruct takes a list of fields, got: " + fields.inspect());
            const std::string_view name = module.name.name();
            const std::string_view shortName = name.starts_with("Elixir.") ? name.substr(7) : name;
            std::vector<Atom> order; // inspect prints a struct's fields in defstruct's order
            order.reserve(entries.size());
            for (const auto &[k, v] : entries)
                order.push_back(k.asAtom());
            Term::declareStructFields(shortName, std::move(order));
            module.structDefaults = Term::structure(shortName, entries);
            last = nilTerm();
            return;
        }
    }
    last = eval(expr, env);
}

Term Interpreter::evalAttribute(const AttributeNode &node)
{
    if (node.value)
        raiseArgumentError("module attributes can only be set directly inside defmodule, not in a function");
    const ModuleDef *module = m_building != nullptr ? m_building : m_module.get();
    if (module != nullptr)
        if (const Term *value = module->attribute(node.name))
            return *value;
    return nilTerm();
}
} // namespace mailroom::script
