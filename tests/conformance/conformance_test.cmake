# The language conformance suite on every target, with a fresh seed (TEGULA_TEST_SEED
# replays one): no case may fail, and each target must refuse exactly what its list in
# LISTS says. Then the list check itself must fail on a list that lost an entry or
# gained one, and the records' cpu-vs-maia pairs are compared.
include(${CMAKE_CURRENT_LIST_DIR}/test_seed.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

set(backend_args "")
if(BACKENDS)
  set(backend_args --backend ${BACKENDS})
endif()
# Of the targets to run in their first dtype only, those this run includes.
string(REPLACE "," ";" quick "${FIRST_DTYPE_ON}")
if(BACKENDS)
  string(REPLACE "," ";" running "${BACKENDS}")
  string(REPLACE ";" "|" running_alternatives "${running}")
  set(quick_all "${quick}")
  set(quick "")
  foreach(b ${quick_all})
    if(b MATCHES "^(${running_alternatives})$")
      list(APPEND quick ${b})
    endif()
  endforeach()
endif()
if(quick)
  string(REPLACE ";" "," quick "${quick}")
  list(APPEND backend_args --first-dtype-on ${quick})
endif()
execute_process(COMMAND ${TEGULA} xcheck --suite language --seed ${seed} --jobs 2 --expect-refused ${LISTS} ${backend_args}
                        --json ${WORK}/suite.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "cpu: [^\n]*" cpu_line "${out}")
string(REGEX MATCH "maia: [0-9][^\n]*" maia_line "${out}")
string(REGEX MATCH "gpu-emu: [0-9][^\n]*" emu_line "${out}")
message(STATUS "${cpu_line}")
message(STATUS "${maia_line}")
message(STATUS "${emu_line}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the conformance suite failed (seed ${seed}): ${rc}\n${out}\n${err}")
endif()
# Targets with options the suite runs too (AMD's wave64 through gpu-emu), each held to its
# own list.
if(EXTRA_BACKENDS AND NOT BACKENDS)
  string(REPLACE "," ";" extras "${EXTRA_BACKENDS}")
  execute_process(COMMAND ${TEGULA} xcheck --suite language --seed ${seed} --jobs 2 --expect-refused ${LISTS}
                          --backend ${EXTRA_BACKENDS}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  foreach(extra ${extras})
    string(REGEX MATCH "${extra}: [0-9][^\n]*" line "${out}")
    message(STATUS "${line}")
  endforeach()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the conformance suite failed on ${EXTRA_BACKENDS} (seed ${seed}): ${rc}\n${out}\n${err}")
  endif()
endif()

# A list missing a refusal, and a list with one entry the target does not refuse: the
# check must name each (on the cases they concern, to keep this quick). The refusal is a
# machine limit: a Maia machine with 64 KiB of TSRAM (the description file's least)
# cannot hold random.randint's tiles, and its (empty) list does not say so.
file(MAKE_DIRECTORY ${WORK}/lost ${WORK}/gained)
file(READ ${LISTS}/../../../backends/maia/machines/maia100.machine machine)
string(REGEX REPLACE "\ntsram_bytes = [^\n]*" "\ntsram_bytes = 64 KiB" machine "${machine}")
file(WRITE ${WORK}/lost/small.machine "${machine}")
file(WRITE "${WORK}/lost/maia:machine=small.machine.txt" "")
execute_process(COMMAND ${TEGULA} xcheck --suite language random.randint --backend maia:machine=small.machine
                        --expect-refused .
                WORKING_DIRECTORY ${WORK}/lost RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc EQUAL 0 OR NOT out MATCHES "NEWLY REFUSED on maia:machine=small.machine[^\n]*random.randint")
  message(FATAL_ERROR "a refusal missing from the list went unnoticed: ${rc}\n${out}")
endif()
file(WRITE ${WORK}/gained/cpu.txt "math.exp f32 1000  # not refused: the check must say so\n")
execute_process(COMMAND ${TEGULA} xcheck --suite language math.exp --backend cpu --expect-refused ${WORK}/gained
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(rc EQUAL 0 OR NOT out MATCHES "NO LONGER REFUSED on cpu[^\n]*math.exp f32 1000")
  message(FATAL_ERROR "a listed refusal that no longer happens went unnoticed: ${rc}\n${out}")
endif()

# Vendor against vendor: the suite's records hold cpu-vs-maia pairs for every case both ran.
execute_process(COMMAND ${TEGULA} xcheck --compare ${WORK}/suite.json RESULT_VARIABLE rc OUTPUT_VARIABLE out)
string(REGEX MATCH "backend against backend: [^\n]*" pairs "${out}")
message(STATUS "${pairs}")
if(NOT rc EQUAL 0 OR NOT pairs MATCHES "backend against backend: [1-9]")
  message(FATAL_ERROR "the suite's cpu and maia records did not pair: ${rc}\n${out}")
endif()
