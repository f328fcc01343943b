// Printing terms: Elixir inspect and Erlang ~p syntax.
#include "term.h"

namespace mailroom {

std::string Term::inspect() const { return "TODO"; }
std::string Term::toErlang() const { return "TODO"; }

} // namespace mailroom
