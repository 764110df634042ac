# The runtime must not depend on LLVM or MLIR: read its DT_NEEDED entries (and the AOT
# runners', which link only the runtime). Nor on CUDA: its cuda driver loads
# libcuda.so.1 with dlopen when a CUDA launch asks for it.
foreach(binary ${LIB} ${RUNNER} ${BUNDLE_RUNNER} ${GPU_CHECK_RUNNER} ${C_PROGRAM})
  execute_process(COMMAND readelf -d ${binary} OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf failed on ${binary}")
  endif()
  string(REGEX MATCHALL "Shared library: \\[[^]]+\\]" needed "${dyn}")
  message(STATUS "${binary}: ${needed}")
  if(NOT needed)
    message(FATAL_ERROR "no DT_NEEDED entries read from ${binary}")
  endif()
  foreach(entry ${needed})
    if(entry MATCHES "LLVM|MLIR|mlir|llvm|TegulaCompiler|TegulaDsl|libcuda")
      message(FATAL_ERROR "${binary} depends on ${entry}")
    endif()
  endforeach()
endforeach()
