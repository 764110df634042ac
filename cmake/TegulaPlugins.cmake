# Plug-in points. A backend (or any folder, e.g. tests/toy_target) adds what it provides
# with these calls; tegula_write_registries(), called once everything is configured,
# generates the registerAll*() functions that call each registration and links the
# libraries into the targets that need them. Static initializers would be dropped from
# static archives, so registration is explicit.

# A compile target: a library implementing tegula::compiler::TargetBackend, and the
# function that registers it. Linked whole into the compiler library.
function(tegula_add_compile_target library register_function)
  set_property(GLOBAL APPEND PROPERTY TEGULA_TARGET_LIBRARIES ${library})
  set_property(GLOBAL APPEND PROPERTY TEGULA_TARGET_FUNCTIONS ${register_function})
endfunction()

# A runtime driver: an object library (LLVM-free: it becomes part of libtegula_runtime)
# implementing tegula::Driver, and the function that registers it.
function(tegula_add_runtime_driver object_library register_function)
  set_property(GLOBAL APPEND PROPERTY TEGULA_DRIVER_OBJECTS ${object_library})
  set_property(GLOBAL APPEND PROPERTY TEGULA_DRIVER_FUNCTIONS ${register_function})
endfunction()

# What a folder adds to every MLIR context and to the pass registry: a library and two
# functions, void(mlir::DialectRegistry &) and void() ("" for none).
function(tegula_add_mlir_registration library dialects_function passes_function)
  set_property(GLOBAL APPEND PROPERTY TEGULA_REGISTRATION_LIBRARIES ${library})
  if(dialects_function)
    set_property(GLOBAL APPEND PROPERTY TEGULA_DIALECT_FUNCTIONS ${dialects_function})
  endif()
  if(passes_function)
    set_property(GLOBAL APPEND PROPERTY TEGULA_PASS_FUNCTIONS ${passes_function})
  endif()
endfunction()

# A command of the `tegula` CLI (tools/tegula/command.h).
function(tegula_add_cli_command library register_function)
  set_property(GLOBAL APPEND PROPERTY TEGULA_COMMAND_LIBRARIES ${library})
  set_property(GLOBAL APPEND PROPERTY TEGULA_COMMAND_FUNCTIONS ${register_function})
endfunction()

# Sets <prefix>DECLARATIONS (a declaration of each function of the global property, with
# `signature`, in which @NAME@ stands for its unqualified name) and <prefix>CALLS (one
# `call` per function, @FN@ standing for its qualified name).
function(tegula_registry_code prefix property signature call)
  get_property(functions GLOBAL PROPERTY ${property})
  set(declarations "")
  set(calls "")
  foreach(fn ${functions})
    string(REGEX REPLACE "::[^:]+$" "" ns "${fn}")
    string(REGEX REPLACE "^.*::" "" base "${fn}")
    string(REPLACE "@NAME@" "${base}" declaration "${signature}")
    string(APPEND declarations "namespace ${ns} {\n${declaration};\n}\n")
    string(REPLACE "@FN@" "${fn}" one "${call}")
    string(APPEND calls "${one}\n")
  endforeach()
  set(${prefix}DECLARATIONS "${declarations}" PARENT_SCOPE)
  set(${prefix}CALLS "${calls}" PARENT_SCOPE)
endfunction()

function(tegula_write_registries)
  set(source ${PROJECT_SOURCE_DIR})
  set(binary ${PROJECT_BINARY_DIR})

  tegula_registry_code("" TEGULA_DRIVER_FUNCTIONS "void @NAME@()" "    @FN@();")
  configure_file(${source}/lib/runtime/RegisterAllDrivers.cpp.in ${binary}/lib/runtime/RegisterAllDrivers.cpp @ONLY)
  get_property(objects GLOBAL PROPERTY TEGULA_DRIVER_OBJECTS)
  foreach(library ${objects})
    target_sources(tegula_runtime PRIVATE $<TARGET_OBJECTS:${library}>)
  endforeach()

  tegula_registry_code("" TEGULA_DIALECT_FUNCTIONS "void @NAME@(mlir::DialectRegistry &)" "  @FN@(registry);")
  tegula_registry_code(PASS_ TEGULA_PASS_FUNCTIONS "void @NAME@()" "  @FN@();")
  configure_file(${source}/lib/compiler/Registration.cpp.in ${binary}/lib/compiler/Registration.cpp @ONLY)
  get_property(libraries GLOBAL PROPERTY TEGULA_REGISTRATION_LIBRARIES)
  target_link_libraries(TegulaRegistration PUBLIC ${libraries})

  tegula_registry_code("" TEGULA_TARGET_FUNCTIONS "void @NAME@()" "    @FN@();")
  configure_file(${source}/lib/compiler/RegisterAllTargets.cpp.in ${binary}/lib/compiler/RegisterAllTargets.cpp @ONLY)
  # Whole: a target's objects are the compiler's, whether or not the driver calls them
  # (a backend's public functions, like its text emitter).
  get_property(libraries GLOBAL PROPERTY TEGULA_TARGET_LIBRARIES)
  foreach(library ${libraries})
    target_link_libraries(TegulaCompiler PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${library}>")
  endforeach()

  tegula_registry_code("" TEGULA_COMMAND_FUNCTIONS "void @NAME@()" "    @FN@();")
  configure_file(${source}/tools/tegula/RegisterAllCommands.cpp.in ${binary}/tools/tegula/RegisterAllCommands.cpp @ONLY)
  get_property(libraries GLOBAL PROPERTY TEGULA_COMMAND_LIBRARIES)
  target_link_libraries(tegula PRIVATE ${libraries})
endfunction()
