# Runs one fuzzer for SECONDS from its seed corpus (CORPUS, read only) with new inputs
# going to WORK, so the checkout is never written. Fails on any crash, leak, timeout or
# sanitizer report; prints the fuzzer's closing statistics.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=30 -rss_limit_mb=6144 -print_final_stats=1
          -artifact_prefix=${WORK}/ ${WORK} ${CORPUS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCHALL "stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb): *[0-9]+" stats "${err}")
string(REGEX MATCH "INITED[^\n]*" inited "${err}")
message(STATUS "${inited}")
foreach(s ${stats})
  message(STATUS "${s}")
endforeach()
if(NOT rc EQUAL 0)
  file(GLOB artifacts ${WORK}/crash-* ${WORK}/leak-* ${WORK}/timeout-* ${WORK}/oom-*)
  message(FATAL_ERROR "fuzzer failed (${rc}); artifacts: ${artifacts}\n${err}")
endif()
