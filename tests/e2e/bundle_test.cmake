# AOT bundle round trip: the CLI compiles GEMM for sm_80 and sm_90, each specialized (K
# and N multiples of 16, aligned buffers) and generic, into one file; a program linking
# only the runtime loads it and launches on a CUDA device (the fake libcuda.so.1: no GPU
# here), which runs sm_90 code. K and N multiples of 16 take the specialized sm_90
# entry, N = 500 the generic one; sm_80's never run there.
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${TEGULA} compile gemm --dtype bf16 --shape 1024,1024,1024 --target cuda:sm_80+cuda:sm_90
                        --emit bundle -o ${WORK}/gemm.tgb
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT err MATCHES "wrote a bundle of 4 entries")
  message(FATAL_ERROR "tegula compile --emit bundle failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env TEGULA_LIBCUDA=${FAKE_LIBCUDA} ${RUNNER} ${WORK}/gemm.tgb
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bundle_runner failed (${rc}): ${err}")
endif()
foreach(expected "entry cuda:sm_80 gemm_bf16 a%16 b%16 c%16 N%16 K%16" "entry cuda:sm_90 gemm_bf16 generic"
                 "N=512 runs cuda:sm_90 a%16 b%16 c%16 N%16 K%16" "N=500 runs cuda:sm_90 generic"
                 "truncated: load error: bundle: entry")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "bundle_runner did not print '${expected}'")
  endif()
endforeach()
