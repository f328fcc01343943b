# SPDX-License-Identifier: MIT
# mailroom-run --trace writes the record as the trace pane shows it: a call to a server, its
# handling and its reply, one *DBG* line each, with the time in ms first.
#   cmake -DRUN=<mailroom-run> -DOUT=<file> -P run_trace.cmake
execute_process(
  COMMAND ${RUN} --trace ${OUT} -e "{:ok, _} = GenServer.start(Counter, 0, name: Counter)\nGenServer.call(Counter, :get_count)"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mailroom-run exited with ${status}")
endif()
file(READ ${OUT} trace)
foreach(expected
    "*DBG* 'Elixir.Counter' init done, state 0"
    "},get_count} to 'Elixir.Counter'"
    "*DBG* 'Elixir.Counter' got call get_count from <0.96.0>"
    "*DBG* 'Elixir.Counter' sent 0 to <0.96.0>, new state 0")
  string(FIND "${trace}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no line with \"${expected}\" in:\n${trace}")
  endif()
endforeach()
string(REGEX MATCH "^ +[0-9]+\\.[0-9][0-9][0-9]  \\*DBG\\* " first "${trace}")
if(first STREQUAL "")
  message(FATAL_ERROR "lines do not start with the time in ms:\n${trace}")
endif()
