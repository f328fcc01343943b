# SPDX-License-Identifier: MIT
# Turns the catalog's Elixir files into a C++ source: cmake -DOUT=file.cpp -DSOURCES="a.ex;b.ex" -P this.
# Each file becomes a raw string literal, so the runtime needs no file at run time.
set(body "// Generated from catalog/*.ex by core/embed_catalog.cmake: do not edit.\n#include \"catalog_sources.h\"\n\nnamespace mailroom {\n\nstd::span<const CatalogSource> catalogSources()\n{\n    static const CatalogSource sources[] = {\n")
foreach(file IN LISTS SOURCES)
  file(READ "${file}" text)
  string(FIND "${text}" ")mailroom_ex\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw string delimiter )mailroom_ex\"")
  endif()
  get_filename_component(name "${file}" NAME)
  string(APPEND body "        { \"catalog/${name}\", R\"mailroom_ex(${text})mailroom_ex\" },\n")
endforeach()
string(APPEND body "    };\n    return sources;\n}\n\n} // namespace mailroom\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
