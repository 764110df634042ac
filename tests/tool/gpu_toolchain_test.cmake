# The GPU toolchain the design relies on, on the smallest kernel: llc-22's NVPTX backend
# writes PTX that CUDA 13's ptxas assembles for sm_80 and sm_90 (a cubin that says which
# registers it uses), and llc-22's AMDGPU backend with ld.lld-22 links a gfx942 code
# object that holds a v_fma. Inputs: LLC, PTXAS, LLD, OBJDUMP, SRC (this folder), WORK.
file(MAKE_DIRECTORY ${WORK})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " line "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${line}\n${out}${err}")
  endif()
  set(run_output "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect_elf path)
  file(READ ${path} magic LIMIT 4 HEX)
  if(NOT magic STREQUAL "7f454c46")
    message(FATAL_ERROR "${path} is not an ELF file (starts with ${magic})")
  endif()
endfunction()

foreach(arch sm_80 sm_90)
  run(${LLC} -mtriple=nvptx64-nvidia-cuda -mcpu=${arch} ${SRC}/Inputs/axpy.nvptx.ll -o ${WORK}/axpy_${arch}.ptx)
  run(${PTXAS} -arch=${arch} -v ${WORK}/axpy_${arch}.ptx -o ${WORK}/axpy_${arch}.cubin)
  if(NOT run_output MATCHES "Compiling entry function 'axpy' for '${arch}'.*Used [0-9]+ registers")
    message(FATAL_ERROR "ptxas -v did not report axpy's registers for ${arch}:\n${run_output}")
  endif()
  expect_elf(${WORK}/axpy_${arch}.cubin)
  message(STATUS "${arch}: assembled by ptxas")
endforeach()

run(${LLC} -mtriple=amdgcn-amd-amdhsa -mcpu=gfx942 -filetype=obj ${SRC}/Inputs/axpy.amdgcn.ll -o ${WORK}/axpy_gfx942.o)
run(${LLD} -shared ${WORK}/axpy_gfx942.o -o ${WORK}/axpy_gfx942.hsaco)
expect_elf(${WORK}/axpy_gfx942.hsaco)
run(${OBJDUMP} -d ${WORK}/axpy_gfx942.hsaco)
if(NOT run_output MATCHES "v_fma")
  message(FATAL_ERROR "the gfx942 code object holds no v_fma:\n${run_output}")
endif()
message(STATUS "gfx942: linked by ld.lld")
