// SPDX-License-Identifier: MIT
// Operators: arithmetic (with 64-bit overflow checks), comparison, boolean, list and
// binary operators, unary minus and not, and ranges.

#include "script/builtins.h"
#include "script/interpreter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mailroom::script {

namespace {

Term atom(std::string_view name)
{
    return Term::atom(name);
}

[[noreturn]] void raiseArithmetic(const std::string &blame)
{
    ScriptException e(ErrorKind::Error, atom("badarith"));
    e.setBlame(": " + blame);
    throw e;
}

[[noreturn]] void raiseBadBool(Atom op, const Term &lhs)
{
    raise(Term::tuple({ atom("badbool"), Term(op), lhs }));
}

[[noreturn]] void raiseOverflow()
{
    raise(exceptionStruct("SystemLimitError",
        { { "message", Term::binary("integer overflow: Mailroom's integers are 64-bit") } }));
}

Term checkedFloat(double v, const std::string &blame)
{
    if (!std::isfinite(v))
        raiseArithmetic(blame);
    return Term::floating(v);
}

std::string binaryBlame(const Term &a, std::string_view op, const Term &b)
{
    return a.inspect() + " " + std::string(op) + " " + b.inspect();
}

Term arithmetic(std::string_view op, const Term &a, const Term &b)
{
    if (!a.isNumber() || !b.isNumber())
        raiseArithmetic(binaryBlame(a, op, b));
    if (op == "/") {
        if (b.asNumber() == 0.0)
            raiseArithmetic(binaryBlame(a, op, b));
        return checkedFloat(a.asNumber() / b.asNumber(), binaryBlame(a, op, b));
    }
    if (a.isInteger() && b.isInteger()) {
        int64_t r = 0;
        bool overflow = false;
        if (op == "+")
            overflow = __builtin_add_overflow(a.asInteger(), b.asInteger(), &r);
        else if (op == "-")
            overflow = __builtin_sub_overflow(a.asInteger(), b.asInteger(), &r);
        else
            overflow = __builtin_mul_overflow(a.asInteger(), b.asInteger(), &r);
        if (overflow)
            raiseOverflow();
        return Term::integer(r);
    }
    const double x = a.asNumber();
    const double y = b.asNumber();
    const double r = op == "+" ? x + y : (op == "-" ? x - y : x * y);
    return checkedFloat(r, binaryBlame(a, op, b));
}

Term power(const Term &a, const Term &b)
{
    if (!a.isNumber() || !b.isNumber())
        raiseArithmetic(binaryBlame(a, "**", b));
    if (a.isInteger() && b.isInteger()) {
        if (b.asInteger() < 0)
            raiseArithmetic(binaryBlame(a, "**", b));
        int64_t result = 1;
        int64_t base = a.asInteger();
        int64_t exp = b.asInteger();
        while (exp > 0) {
            if ((exp & 1) != 0 && __builtin_mul_overflow(result, base, &result))
                raiseOverflow();
            exp >>= 1;
            if (exp > 0 && __builtin_mul_overflow(base, base, &base))
                raiseOverflow();
        }
        return Term::integer(result);
    }
    return checkedFloat(std::pow(a.asNumber(), b.asNumber()), binaryBlame(a, "**", b));
}

// %Range{} as Elixir 1.14 builds it.
Term makeRange(int64_t first, int64_t last, int64_t step)
{
    return Term::structure("Range",
        { { atom("first"), Term::integer(first) }, { atom("last"), Term::integer(last) },
            { atom("step"), Term::integer(step) } });
}

} // namespace

bool listContainsExact(const Term &list, const Term &value)
{
    for (const Term *cell = &list; cell->isCons(); cell = &cell->tail())
        if (Term::compareExact(cell->head(), value) == 0)
            return true;
    return false;
}

Term Interpreter::evalRange(const RangeNode &node, Env &env)
{
    const Term first = eval(*node.first, env);
    const Term last = eval(*node.last, env);
    if (!node.step) {
        if (!first.isInteger() || !last.isInteger())
            raiseArgumentError("ranges (first..last) expect both sides to be integers, got: "
                + first.inspect() + ".." + last.inspect());
        return makeRange(first.asInteger(), last.asInteger(), first.asInteger() <= last.asInteger() ? 1 : -1);
    }
    const Term step = eval(*node.step, env);
    if (!first.isInteger() || !last.isInteger() || !step.isInteger() || step.asInteger() == 0)
        raiseArgumentError("ranges (first..last//step) expect both sides to be integers and the step to be a "
                           "non-zero integer, got: "
            + first.inspect() + ".." + last.inspect() + "//" + step.inspect());
    return makeRange(first.asInteger(), last.asInteger(), step.asInteger());
}

Term Interpreter::evalUnary(const UnaryNode &node, Env &env)
{
    const std::string_view op = node.op.name();
    Term v = eval(*node.operand, env);
    if (op == "!")
        return boolTerm(!v.isTruthy());
    if (op == "not") {
        if (!v.isBoolean())
            raise(atom("badarg"));
        return boolTerm(v.isAtom("false"));
    }
    if (!v.isNumber())
        raiseArithmetic(std::string(op) + "(" + v.inspect() + ")");
    if (op == "+")
        return v;
    if (v.isFloat())
        return Term::floating(-v.asFloat());
    if (v.asInteger() == std::numeric_limits<int64_t>::min())
        raiseOverflow();
    return Term::integer(-v.asInteger());
}

Term Interpreter::evalBinary(const BinaryNode &node, Env &env)
{
    const std::string_view op = node.op.name();
    // Short-circuiting operators evaluate their right side in a scope of its own.
    if (op == "&&" || op == "||" || op == "and" || op == "or") {
        Term lhs = eval(*node.lhs, env);
        if (op == "and" || op == "or") {
            if (!lhs.isBoolean())
                raiseBadBool(node.op, lhs);
            if (lhs.isAtom(op == "and" ? "false" : "true"))
                return lhs;
        } else if (lhs.isTruthy() == (op == "||")) {
            return lhs;
        }
        ScopeGuard scope(env);
        return eval(*node.rhs, env);
    }
    const Term a = eval(*node.lhs, env);
    const Term b = eval(*node.rhs, env);
    return applyOperator(node.op, a, b);
}

Term Interpreter::applyOperator(Atom opAtom, const Term &a, const Term &b)
{
    const std::string_view op = opAtom.name();
    if (op == "and" || op == "or") {
        if (!a.isBoolean())
            raiseBadBool(opAtom, a);
        return a.isAtom(op == "and" ? "false" : "true") ? a : b;
    }
    if (op == "&&" || op == "||")
        return a.isTruthy() == (op == "||") ? a : b;
    if (op == "+" || op == "-" || op == "*" || op == "/")
        return arithmetic(op, a, b);
    if (op == "==")
        return boolTerm(Term::equalValue(a, b));
    if (op == "!=")
        return boolTerm(!Term::equalValue(a, b));
    if (op == "===")
        return boolTerm(Term::compareExact(a, b) == 0);
    if (op == "!==")
        return boolTerm(Term::compareExact(a, b) != 0);
    if (op == "<")
        return boolTerm(Term::compare(a, b) < 0);
    if (op == ">")
        return boolTerm(Term::compare(a, b) > 0);
    if (op == "<=")
        return boolTerm(Term::compare(a, b) <= 0);
    if (op == ">=")
        return boolTerm(Term::compare(a, b) >= 0);
    if (op == "<>") {
        // Elixir compiles `a <> b` to <<a::binary, b::binary>>: a bad operand fails that
        // construction (`catch` sees :badarg), naming its segment.
        for (const auto &[segment, operand] : { std::pair{ 1, &a }, std::pair{ 2, &b } }) {
            if (operand->isBinary())
                continue;
            ScriptException e(ErrorKind::Error, atom("badarg"));
            e.setException(exceptionStruct("ArgumentError",
                { { "message",
                    Term::binary("construction of binary failed: segment " + std::to_string(segment)
                        + " of type 'binary': expected a binary but got: " + operand->inspect()) } }));
            throw e;
        }
        checkBinarySize(double(a.asBinary().size()) + double(b.asBinary().size()));
        std::string s(a.asBinary());
        s += b.asBinary();
        return Term::binary(std::move(s));
    }
    if (op == "++") {
        if (!a.isProperList())
            raise(atom("badarg"));
        reserveHeap(2.0 * double(a.listLength()));
        return Term::list(a.listElements(), b);
    }
    if (op == "--") {
        if (!a.isProperList() || !b.isProperList())
            raise(atom("badarg"));
        std::vector<Term> items = a.listElements();
        for (const auto &remove : b.listElements()) {
            const auto it = std::find_if(items.begin(), items.end(),
                [&](const Term &t) { return Term::compareExact(t, remove) == 0; });
            if (it != items.end())
                items.erase(it);
        }
        return Term::list(items);
    }
    if (op == "in") {
        if (b.isList())
            return boolTerm(listContainsExact(b, a));
        if (const auto range = rangeOf(b))
            return boolTerm(range->contains(a));
        bool found = false;
        enumerate(b, [&](const Term &t) {
            found = isRange(b) ? Term::equalValue(t, a) && a.isInteger() : Term::compareExact(t, a) == 0;
            return !found;
        });
        return boolTerm(found);
    }
    if (op == "**")
        return power(a, b);
    if (op == "=~") {
        if (!a.isBinary() || !b.isBinary())
            raiseArgumentError(
                "=~ in Mailroom's script language takes two strings (regular expressions are not "
                "supported)");
        return boolTerm(a.asBinary().find(b.asBinary()) != std::string_view::npos);
    }
    raiseArgumentError("the operator " + std::string(op) + " cannot be used here");
}

} // namespace mailroom::script
