# Include folders and the direction of dependencies. No folder is included globally:
# every target names the folders it includes (its own, or through what it links), and
# tegula_write_dependency_manifest() writes, for each target of the project, its layer,
# its include folders and its sources. tests/tool/dependency_direction.py reads that
# manifest beside `cmake --graphviz` and fails on an edge that runs the wrong way.

# mlir_tablegen() passes the directory's include folders to mlir-tblgen, and there are
# none: name MLIR's .td folder for each call.
function(tegula_tablegen output)
  mlir_tablegen(${output} ${ARGN} EXTRA_INCLUDES ${MLIR_INCLUDE_DIRS})
  set(TABLEGEN_OUTPUT ${TABLEGEN_OUTPUT} PARENT_SCOPE)
endfunction()

function(tegula_collect_targets directory out)
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory ${subdirectories})
    tegula_collect_targets(${subdirectory} more)
    list(APPEND targets ${more})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# One line per fact, tab-separated:
#   target <name> <type> <source folder, relative> <role>
#   includes <name> <folder>;<folder>...   (with what its links bring)
#   sources <name> <file>;<file>...        (absolute)
# Roles come from the plug-in calls (cmake/TegulaPlugins.cmake): driver, compile-target,
# cli-command, or "-".
function(tegula_write_dependency_manifest)
  tegula_collect_targets(${PROJECT_SOURCE_DIR} targets)
  get_property(drivers GLOBAL PROPERTY TEGULA_DRIVER_OBJECTS)
  get_property(compile_targets GLOBAL PROPERTY TEGULA_TARGET_LIBRARIES)
  get_property(commands GLOBAL PROPERTY TEGULA_COMMAND_LIBRARIES)
  set(content "")
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    get_target_property(target_folder ${target} SOURCE_DIR)
    file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${target_folder})
    set(role "-")
    if(target IN_LIST drivers)
      set(role driver)
    elseif(target IN_LIST compile_targets)
      set(role compile-target)
    elseif(target IN_LIST commands)
      set(role cli-command)
    endif()
    get_target_property(sources ${target} SOURCES)
    set(files "")
    foreach(source ${sources})
      if(source MATCHES "^\\$<") # objects of another target
        continue()
      endif()
      get_filename_component(source ${source} ABSOLUTE BASE_DIR ${target_folder})
      list(APPEND files ${source})
    endforeach()
    string(JOIN ";" files ${files})
    string(APPEND content "target\t${target}\t${type}\t${folder}\t${role}\n"
                          "includes\t${target}\t$<JOIN:$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>,;>\n"
                          "sources\t${target}\t${files}\n")
  endforeach()
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/tegula-dependencies.txt CONTENT "${content}")
endfunction()
