# The device check without a GPU: the small cases are prepared here (sm_90 bundles,
# Philox inputs, fp64 references, gpu-emu's bytes, which must agree with the reference
# first); the runner, linking only the runtime, runs them on the fake libcuda.so.1. That
# driver loads modules and takes launches but runs no kernel, so every output stays as
# it was and every case must be reported failing, by both of its checks: a runner that
# passed here would pass anything. A cases file with a malformed line is refused with
# that line named.
include(${CMAKE_CURRENT_LIST_DIR}/../conformance/test_seed.cmake)
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${PREPARE} ${WORK} --small-only --seed ${seed}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${err}")
string(REGEX MATCH "([0-9]+) cases written" written "${err}")
if(NOT rc EQUAL 0 OR NOT written)
  message(FATAL_ERROR "gpu_check_prepare failed (${rc}, seed ${seed}): ${err}")
endif()
set(cases ${CMAKE_MATCH_1})

execute_process(COMMAND ${CMAKE_COMMAND} -E env TEGULA_LIBCUDA=${FAKE_LIBCUDA} ${RUNNER} ${WORK}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the runner passed cases whose kernels never ran")
endif()
if(NOT out MATCHES "\n0 of ${cases} cases passed")
  message(FATAL_ERROR "the runner did not report all ${cases} cases failing")
endif()
# Each case: elements over their bound, and bytes unlike gpu-emu's (a failure where the
# case requires the bits); outputs that start poisoned (all but LoRA's expand, which
# updates y in place) reported unwritten.
string(REGEX MATCHALL "FAIL [1-9][0-9]* of [0-9]+ over bound" over "${out}")
string(REGEX MATCHALL "[1-9][0-9]* of [0-9]+ differ" differ "${out}")
string(REGEX MATCHALL "FAIL [1-9][0-9]* of [0-9]+ differ" bits_failed "${out}")
file(STRINGS ${WORK}/cases.txt bits_required REGEX "^bits required$")
list(LENGTH bits_failed bits_failed_count)
list(LENGTH bits_required bits_required_count)
if(bits_required_count EQUAL 0 OR NOT bits_failed_count EQUAL bits_required_count)
  message(FATAL_ERROR "${bits_required_count} cases require gpu-emu's bits, ${bits_failed_count} failed for them")
endif()
string(REGEX MATCHALL "over bound, [1-9][0-9]* unwritten" unwritten "${out}")
list(LENGTH over over_count)
list(LENGTH differ differ_count)
list(LENGTH unwritten unwritten_count)
math(EXPR poisoned "${cases} - 1")
if(NOT over_count EQUAL cases OR NOT differ_count EQUAL cases OR NOT unwritten_count EQUAL poisoned)
  message(FATAL_ERROR "of ${cases} cases, ${over_count} were reported over their bounds, ${differ_count} "
                      "different from gpu-emu and ${unwritten_count} unwritten (expected ${cases}, ${cases} "
                      "and ${poisoned})")
endif()
if(out MATCHES "ERROR")
  message(FATAL_ERROR "a case failed to load or launch on the fake driver")
endif()

# A cases file broken on one line: refused, naming it.
file(READ ${WORK}/cases.txt text)
string(REPLACE "grid " "grid 0 " broken "${text}")
file(MAKE_DIRECTORY ${WORK}/broken)
file(WRITE ${WORK}/broken/cases.txt "${broken}")
file(COPY ${WORK}/cases.bin DESTINATION ${WORK}/broken)
execute_process(COMMAND ${CMAKE_COMMAND} -E env TEGULA_LIBCUDA=${FAKE_LIBCUDA} ${RUNNER} ${WORK}/broken
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "load error: gpu-check cases: cases.txt line 3: expected three positive grid sizes")
  message(FATAL_ERROR "a malformed cases file was not refused by line (${rc}): ${out}${err}")
endif()
