# PROGRAMS random tile programs on cpu and maia against their fp64 evaluation, from a
# fresh seed (TEGULA_TEST_SEED replays a run): every program must pass on both; a
# refusal is a construct a target does not lower, and fails the test too.
include(${CMAKE_CURRENT_LIST_DIR}/test_seed.cmake)
execute_process(COMMAND ${TEGULA} xcheck --programs ${PROGRAMS} --seed ${seed} --backend cpu,maia
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "differential testing failed (seed ${seed}): ${rc}\n${err}")
endif()
if(NOT out MATCHES "cpu: ${PROGRAMS} programs")
  message(FATAL_ERROR "expected a summary of ${PROGRAMS} programs on cpu:\n${out}")
endif()
foreach(backend cpu maia)
  if(NOT out MATCHES "${backend}: ${PROGRAMS} programs \\(seed [0-9]+\\): ${PROGRAMS} pass, 0 fail, 0 refused")
    message(FATAL_ERROR "not every program passed on ${backend} (seed ${seed}):\n${out}")
  endif()
endforeach()
