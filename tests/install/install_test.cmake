# Tegula as an integrator gets it: `cmake --install` into a fresh prefix, which is then
# moved (the package, the pkg-config file and the libraries' run paths are relative);
# every public header compiles alone against it; examples/ configures, builds and runs
# from outside the source tree through find_package(Tegula); the C API test is built
# with the C compiler through pkg-config and run; a program linking Tegula::runtime
# loads no LLVM, MLIR or compiler library.
#   -DBUILD -DSOURCE -DWORK -DC_COMPILER -DCXX_COMPILER -DMAKE_PROGRAM -DPKG_CONFIG -DFAKE_LIBCUDA
include(${CMAKE_CURRENT_LIST_DIR}/../conformance/test_seed.cmake)

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(staging ${WORK}/staging)
set(prefix ${WORK}/prefix)
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${staging})
file(RENAME ${staging} ${prefix})

# --- what the prefix holds ---------------------------------------------------------
foreach(file lib/libtegula_runtime.so lib/libTegulaCompiler.so lib/libTegulaKernels.so bin/tegula
             lib/cmake/Tegula/TegulaConfig.cmake lib/cmake/Tegula/TegulaConfigVersion.cmake
             lib/pkgconfig/tegula-runtime.pc include/tegula/c/runtime.h include/tegula/dsl.h)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "the install lacks ${file}")
  endif()
endforeach()
file(GLOB_RECURSE headers RELATIVE ${prefix}/include ${prefix}/include/*)
list(LENGTH headers header_count)
message(STATUS "${header_count} public headers installed")
foreach(header ${headers})
  file(READ ${prefix}/include/${header} text)
  foreach(place ${SOURCE} ${BUILD})
    string(FIND "${text}" "${place}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${header} names ${place}")
    endif()
  endforeach()
endforeach()

# --- each public header alone: C headers as C11 and as C++, the rest as C++20 -------
file(WRITE ${WORK}/empty.c "")
foreach(header ${headers})
  if(header MATCHES "^tegula/c/")
    run("${header} alone as C11" ${C_COMPILER} -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only
        -I${prefix}/include -include ${header} ${WORK}/empty.c)
  endif()
  run("${header} alone as C++20" ${CXX_COMPILER} -std=c++20 -Wall -Wextra -Werror -fsyntax-only
      -I${prefix}/include -x c++ -include ${header} ${WORK}/empty.c)
endforeach()

# --- the examples, from outside the tree --------------------------------------------
run("configuring examples/ against the prefix"
    ${CMAKE_COMMAND} -S ${SOURCE}/examples -B ${WORK}/examples -G Ninja -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run("building examples/" ${CMAKE_COMMAND} --build ${WORK}/examples)
file(READ ${WORK}/examples/CMakeCache.txt cache)
string(REGEX MATCH "Tegula_DIR:PATH=[^\n]*" tegula_dir "${cache}")
if(NOT tegula_dir STREQUAL "Tegula_DIR:PATH=${prefix}/lib/cmake/Tegula")
  message(FATAL_ERROR "examples/ found Tegula elsewhere: ${tegula_dir}")
endif()
run("examples/own_kernel" ${WORK}/examples/own_kernel ${seed})
message(STATUS "${run_output}")
run("examples/aot_softmax" ${WORK}/examples/aot_softmax ${WORK}/examples/softmax_f32.so ${seed})
message(STATUS "${run_output}")

# A runtime-only program loads no LLVM, MLIR or compiler library, and the libraries it
# loads are the prefix's.
run("ldd aot_softmax" ldd ${WORK}/examples/aot_softmax)
if(run_output MATCHES "(libLLVM|libMLIR|libTegulaCompiler|libTegulaDsl)")
  message(FATAL_ERROR "aot_softmax loads ${CMAKE_MATCH_1}:\n${run_output}")
endif()
if(NOT run_output MATCHES "libtegula_runtime.so => ${prefix}/lib/libtegula_runtime.so")
  message(FATAL_ERROR "aot_softmax does not load the prefix's runtime:\n${run_output}")
endif()

# --- C through pkg-config -------------------------------------------------------------
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run("pkg-config" ${PKG_CONFIG} --cflags --libs tegula-runtime)
string(STRIP "${run_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run("pkg-config --modversion" ${PKG_CONFIG} --modversion tegula-runtime)
message(STATUS "tegula-runtime ${run_output}")
run("building the C API test through pkg-config"
    ${C_COMPILER} -std=c11 -Wall -Wextra -Werror ${SOURCE}/tests/c/runtime_c_test.c -o ${WORK}/runtime_c_test
    ${flags} -lm -Wl,-rpath,${prefix}/lib)
run("the C API test against the prefix"
    ${CMAKE_COMMAND} -DTEGULA=${prefix}/bin/tegula -DPROGRAM=${WORK}/runtime_c_test -DFAKE_LIBCUDA=${FAKE_LIBCUDA}
    -DWORK=${WORK}/c_api -P ${SOURCE}/tests/c/runtime_c_test.cmake)
message(STATUS "install: every check passed")
