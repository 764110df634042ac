# The C API from a C program: the CLI writes a vector_add shared object, a GEMM bundle
# for sm_80 and sm_90 and a vector_add bundle for maia; the program (C11, warnings as
# errors, linking only the runtime) runs the first on the cpu, the second on the fake
# libcuda.so.1 and the third on maia-sim, and walks every error path. A fresh seed per run, printed (TEGULA_TEST_SEED replays one).
include(${CMAKE_CURRENT_LIST_DIR}/../conformance/test_seed.cmake)
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${TEGULA} compile vector_add --emit so -o ${WORK}/vadd.so RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tegula compile --emit so failed: ${err}")
endif()
execute_process(COMMAND ${TEGULA} compile gemm --dtype bf16 --shape 1024,1024,1024 --target cuda:sm_80+cuda:sm_90
                        --emit bundle -o ${WORK}/gemm.tgb
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tegula compile --emit bundle failed: ${err}")
endif()
execute_process(COMMAND ${TEGULA} compile vector_add --target maia --emit bundle -o ${WORK}/vadd_maia.tgb
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tegula compile --target maia --emit bundle failed: ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env TEGULA_LIBCUDA=${FAKE_LIBCUDA} ${PROGRAM} ${WORK}/vadd.so ${WORK}/gemm.tgb
                        ${WORK}/vadd_maia.tgb ${seed}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "C API: every check passed")
  message(FATAL_ERROR "the C API test failed (${rc}, seed ${seed}):\n${out}\n${err}")
endif()
