# `cmake --install`: the public headers, the libraries, the CLI tools, a CMake package
# (find_package(Tegula) with Tegula::runtime, Tegula::compiler, Tegula::kernels, ...)
# and a pkg-config file for the runtime. tests/install checks all of it from outside
# the tree against a fresh prefix.
include(CMakePackageConfigHelpers)

# What a consumer links, by the name it links it with. The runtime needs nothing else;
# the others bring LLVM and MLIR as private dependencies of their shared objects, so the
# package asks nothing of LLVM's CMake files.
set(TEGULA_EXPORTED runtime:tegula_runtime dsl:TegulaDsl compiler:TegulaCompiler
    kernels:TegulaKernels xcheck:TegulaXcheck conformance:TegulaConformance difftest:TegulaDifftest)
set(exported_targets "")
foreach(pair ${TEGULA_EXPORTED})
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 name)
  list(GET pair 1 target)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  # The same names inside a build that includes this tree (python/ without a prefix).
  add_library(Tegula::${name} ALIAS ${target})
  list(APPEND exported_targets ${target})
endforeach()
install(TARGETS ${exported_targets} EXPORT TegulaTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tegula tegula-opt RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Headers: everything under include/tegula but what only an in-tree plug-in can use (a
# compile target's interface, which needs MLIR's headers and is linked into the
# compiler when it is built) and the Maia backend's own headers (its simulator is
# reached through the runtime's device API).
install(DIRECTORY include/tegula DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        PATTERN "target_backend.h" EXCLUDE
        PATTERN "diagnostics.h" EXCLUDE
        PATTERN "Registration.h" EXCLUDE
        PATTERN "maia" EXCLUDE)

set(TEGULA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Tegula)
install(EXPORT TegulaTargets NAMESPACE Tegula:: DESTINATION ${TEGULA_CMAKE_DIR})
configure_package_config_file(cmake/TegulaConfig.cmake.in ${PROJECT_BINARY_DIR}/TegulaConfig.cmake
                              INSTALL_DESTINATION ${TEGULA_CMAKE_DIR}
                              PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
# 0.x: a minor version may change the API, so only the same minor version fits.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TegulaConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/TegulaConfig.cmake ${PROJECT_BINARY_DIR}/TegulaConfigVersion.cmake
        DESTINATION ${TEGULA_CMAKE_DIR})

# pkg-config, for the runtime alone (C or C++). The prefix is found from the file's own
# place, so the installed tree can be moved.
file(RELATIVE_PATH TEGULA_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
configure_file(cmake/tegula-runtime.pc.in ${PROJECT_BINARY_DIR}/tegula-runtime.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tegula-runtime.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
