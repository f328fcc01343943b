// SPDX-License-Identifier: MIT
#pragma once

// The catalog's servers as Elixir source: the files of catalog/ at the repository root,
// embedded at build time (core/embed_catalog.cmake). Every script and console session
// defines these modules before it runs anything (script/catalog.h).

#include <span>
#include <string_view>

namespace mailroom {

struct CatalogSource {
    std::string_view file; ///< "catalog/counter.ex", as Elixir names it in warnings
    std::string_view text;
};

/// Every file of catalog/, in file name order.
[[nodiscard]] std::span<const CatalogSource> catalogSources();

} // namespace mailroom
