# The build's link graph (`cmake --graphviz`, re-run on the configured build tree with
# its cache) and its manifest of layers, include folders and sources, checked by
# dependency_direction.py: no dependency may run upward.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --graphviz=${WORK}/targets.dot -S ${SOURCE} -B ${BUILD}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --graphviz failed: ${rc}\n${out}\n${err}")
endif()
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/tool/dependency_direction.py --graph ${WORK}/targets.dot
                        --manifest ${BUILD}/tegula-dependencies.txt --source ${SOURCE} --build ${BUILD}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dependencies run the wrong way (or the check broke): ${rc}\n${err}")
endif()
# And gpu-emu reaches nothing of the GPU compiler it checks.
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/tool/emulator_independence.py --graph ${WORK}/targets.dot
                        --manifest ${BUILD}/tegula-dependencies.txt --source ${SOURCE}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gpu-emu depends on the GPU compiler (or the check broke): ${rc}\n${err}")
endif()
