// SPDX-License-Identifier: MIT
#pragma once

// What the suites that drive the real window and the window's benchmark (bench/ui_bench)
// share: finding what a user could click, and a flood typed in the console as a user would.

#include "genserver.h"
#include "runtime.h"

#include <QQuickItem>
#include <QString>
#include <memory>

namespace mailroom::testing {

/// The visible item named `name` in the window's item tree (what a user could click).
inline QQuickItem *findItem(QQuickItem *item, const QString &name)
{
    if (!item->isVisible())
        return nullptr;
    if (item->objectName() == name)
        return item;
    for (QQuickItem *child : item->childItems())
        if (QQuickItem *found = findItem(child, name))
            return found;
    return nullptr;
}

/// A server that counts the casts of :hit it handled: its state is the count, as its card shows.
class FloodSink final : public GenServer {
public:
    [[nodiscard]] std::string module() const override { return "FloodSink"; }
    Term init(const Term & /*arg*/) override { return gen::ok(Term::integer(0)); }
    Term handleCast(const Term &request, const Term &state) override
    {
        if (!request.isAtom("hit"))
            throw NoClause();
        return gen::noreply(Term::integer(state.asInteger() + 1));
    }
};

/// Starts a FloodSink registered as :flood_sink; what GenServer.start returned.
inline Term startFloodSink(Runtime &runtime)
{
    gen::StartOptions options;
    options.name = Atom::intern("flood_sink");
    return gen::start(runtime, std::make_shared<FloodSink>(), Term(), options);
}

/// The flood as typed in the console: `burst` casts of :hit to :flood_sink, then a wait for a
/// send_after of `tickMs` set before them, `ticks` times (burst * 1000 / tickMs casts a
/// second, a little less by how late the timer is).
inline QString floodScript(int tickMs, int burst, int ticks)
{
    return QStringLiteral(R"(flood = fn
  _flood, 0 -> :done
  flood, ticks ->
    Process.send_after(self(), :tick, %1)
    Enum.each(1..%2, fn _ -> GenServer.cast(:flood_sink, :hit) end)
    receive do
      :tick -> :ok
    end
    flood.(flood, ticks - 1)
end
flood.(flood, %3))")
        .arg(tickMs)
        .arg(burst)
        .arg(ticks);
}

} // namespace mailroom::testing
