// SPDX-License-Identifier: MIT
// DateTime and Time: the few functions the lessons' loggers use to stamp their entries.
#include "script/builtins.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace mailroom::script {

namespace {

using A = std::vector<Term>;

Term atom(std::string_view name)
{
    return Term::atom(name);
}

int64_t field(const Term &t, std::string_view name, std::string_view module, std::string_view fun, int arity)
{
    const Term *v = t.isMap() ? t.mapFind(atom(name)) : nullptr;
    if (v == nullptr || !v->isInteger())
        raiseFunctionClause(module, fun, arity);
    return v->asInteger();
}

// {microseconds, precision} of a DateTime or Time.
std::pair<int64_t, int64_t> microsecond(const Term &t, std::string_view module, std::string_view fun, int arity)
{
    const Term *v = t.isMap() ? t.mapFind(atom("microsecond")) : nullptr;
    if (v == nullptr || !v->isTuple(2) || !(*v)[0].isInteger() || !(*v)[1].isInteger())
        raiseFunctionClause(module, fun, arity);
    return { (*v)[0].asInteger(), (*v)[1].asInteger() };
}

bool isStruct(const Term &t, std::string_view module)
{
    const Term *m = t.structModule();
    return m != nullptr && m->isAtom(module);
}

std::string pad(int64_t value, int width)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%0*lld", width, static_cast<long long>(value));
    return buffer;
}

// "HH:MM:SS" plus the fraction to the precision, as Calendar.ISO prints it.
std::string timeText(const Term &t, std::string_view module, std::string_view fun)
{
    const auto [us, precision] = microsecond(t, module, fun, 1);
    std::string text = pad(field(t, "hour", module, fun, 1), 2) + ":" + pad(field(t, "minute", module, fun, 1), 2)
        + ":" + pad(field(t, "second", module, fun, 1), 2);
    if (precision > 0)
        text += "." + pad(us, 6).substr(0, static_cast<size_t>(precision));
    return text;
}

std::string dateText(const Term &t, std::string_view fun)
{
    return pad(field(t, "year", "DateTime", fun, 1), 4) + "-" + pad(field(t, "month", "DateTime", fun, 1), 2) + "-"
        + pad(field(t, "day", "DateTime", fun, 1), 2);
}

Term utcNow()
{
    const auto now = std::chrono::system_clock::now();
    const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    const auto seconds = static_cast<std::time_t>(us / 1'000'000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return Term::structure("DateTime",
        { { atom("calendar"), atom("Elixir.Calendar.ISO") }, { atom("day"), Term::integer(tm.tm_mday) },
            { atom("hour"), Term::integer(tm.tm_hour) },
            { atom("microsecond"), Term::tuple({ Term::integer(us % 1'000'000), Term::integer(6) }) },
            { atom("minute"), Term::integer(tm.tm_min) }, { atom("month"), Term::integer(tm.tm_mon + 1) },
            { atom("second"), Term::integer(tm.tm_sec) }, { atom("std_offset"), Term::integer(0) },
            { atom("time_zone"), Term::binary("Etc/UTC") }, { atom("utc_offset"), Term::integer(0) },
            { atom("year"), Term::integer(tm.tm_year + 1900) }, { atom("zone_abbr"), Term::binary("UTC") } });
}

Term truncate(const Term &t, const Term &unit, std::string_view module)
{
    const auto [us, precision] = microsecond(t, module, "truncate", 2);
    int64_t keep = 0;
    if (unit.isAtom("microsecond"))
        keep = 6;
    else if (unit.isAtom("millisecond"))
        keep = 3;
    else if (!unit.isAtom("second"))
        raiseFunctionClause(module, "truncate", 2);
    keep = std::min(keep, precision);
    int64_t divisor = 1;
    for (int64_t i = keep; i < 6; ++i)
        divisor *= 10;
    return t.mapPut(atom("microsecond"), Term::tuple({ Term::integer(us / divisor * divisor), Term::integer(keep) }));
}

} // namespace

void addTimeBuiltins(BuiltinTable &t)
{
    t.push_back({ "DateTime", "utc_now", 0, [](Interpreter &, A &) { return utcNow(); } });
    t.push_back({ "DateTime", "truncate", 2, [](Interpreter &, A &a) {
                     if (!isStruct(a[0], "Elixir.DateTime"))
                         raiseFunctionClause("DateTime", "truncate", 2);
                     return truncate(a[0], a[1], "DateTime");
                 } });
    t.push_back({ "DateTime", "to_time", 1, [](Interpreter &, A &a) {
                     if (!isStruct(a[0], "Elixir.DateTime"))
                         raiseFunctionClause("DateTime", "to_time", 1);
                     return Term::structure("Time",
                         { { atom("calendar"), atom("Elixir.Calendar.ISO") }, { atom("hour"), *a[0].mapFind(atom("hour")) },
                             { atom("microsecond"), *a[0].mapFind(atom("microsecond")) },
                             { atom("minute"), *a[0].mapFind(atom("minute")) },
                             { atom("second"), *a[0].mapFind(atom("second")) } });
                 } });
    t.push_back({ "DateTime", "to_string", 1, [](Interpreter &, A &a) {
                     if (!isStruct(a[0], "Elixir.DateTime"))
                         raiseFunctionClause("DateTime", "to_string", 1);
                     return Term::binary(dateText(a[0], "to_string") + " " + timeText(a[0], "DateTime", "to_string") + "Z");
                 } });
    t.push_back({ "DateTime", "to_iso8601", 1, [](Interpreter &, A &a) {
                     if (!isStruct(a[0], "Elixir.DateTime"))
                         raiseFunctionClause("DateTime", "to_iso8601", 1);
                     return Term::binary(dateText(a[0], "to_iso8601") + "T" + timeText(a[0], "DateTime", "to_iso8601") + "Z");
                 } });
    t.push_back({ "Time", "truncate", 2, [](Interpreter &, A &a) {
                     if (!isStruct(a[0], "Elixir.Time"))
                         raiseFunctionClause("Time", "truncate", 2);
                     return truncate(a[0], a[1], "Time");
                 } });
    t.push_back({ "Time", "to_string", 1, [](Interpreter &, A &a) {
                     if (!isStruct(a[0], "Elixir.Time") && !isStruct(a[0], "Elixir.DateTime"))
                         raiseFunctionClause("Time", "to_string", 1);
                     return Term::binary(timeText(a[0], "Time", "to_string"));
                 } });
}

} // namespace mailroom::script
