# SPDX-License-Identifier: MIT
# mailroom-run --mermaid writes the record as a Mermaid sequence diagram: the script and the
# server as participants, the call as an arrow with the server active until its reply; a file
# that cannot be written is an error (status 2), not a silent success.
#   cmake -DRUN=<mailroom-run> -DOUT=<file> -P run_mermaid.cmake
file(REMOVE ${OUT})
execute_process(
  COMMAND ${RUN} --mermaid ${OUT} -e "{:ok, _} = GenServer.start(Counter, 0, name: Counter)\nGenServer.call(Counter, :get_count)"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mailroom-run exited with ${status}")
endif()
file(READ ${OUT} diagram)
string(FIND "${diagram}" "sequenceDiagram\n" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "the file does not start with sequenceDiagram:\n${diagram}")
endif()
# The participants' ids are their pid numbers, which differ between builds (the sanitizer
# presets start other processes first): read them from the diagram.
string(REGEX MATCH "participant (p[0-9]+) as iex " found "${diagram}")
set(shell ${CMAKE_MATCH_1})
string(REGEX MATCH "participant (p[0-9]+) as Elixir.Counter" found "${diagram}")
set(counter ${CMAKE_MATCH_1})
if(shell STREQUAL "" OR counter STREQUAL "")
  message(FATAL_ERROR "no iex or Elixir.Counter participant in:\n${diagram}")
endif()
# In the order they must come: the call, the server busy, its reply, the server idle.
set(from 0)
foreach(expected
    "participant ${shell} as iex"
    "participant ${counter} as Elixir.Counter"
    "${shell}->>${counter}: call :get_count"
    "activate ${counter}"
    "${counter}-->>${shell}: 0"
    "deactivate ${counter}")
  string(SUBSTRING "${diagram}" ${from} -1 rest)
  string(FIND "${rest}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no \"${expected}\" (in this order) in:\n${diagram}")
  endif()
  math(EXPR from "${from} + ${at}")
endforeach()

execute_process(
  COMMAND ${RUN} --mermaid ${OUT}.missing/dir/out.mmd -e ":ok"
  RESULT_VARIABLE status ERROR_VARIABLE stderr)
if(NOT status EQUAL 2 OR NOT stderr MATCHES "cannot write")
  message(FATAL_ERROR "an unwritable file gave status ${status} and stderr:\n${stderr}")
endif()
