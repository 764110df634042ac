# The Python package as a user gets it: a fresh venv from the image's python3,
# `pip install ./python[test]` against the prefix install_and_consume made (the pinned
# build tools and test dependencies come from PyPI), then the pytest suite.
#   -DPYTHON -DSOURCE -DPREFIX -DWORK [-DCCACHE]
include(${CMAKE_CURRENT_LIST_DIR}/../conformance/test_seed.cmake)

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

if(NOT EXISTS ${PREFIX}/lib/cmake/Tegula/TegulaConfig.cmake)
  message(FATAL_ERROR "no installed Tegula at ${PREFIX} (install_and_consume makes it)")
endif()
file(REMOVE_RECURSE ${WORK}/venv)
file(MAKE_DIRECTORY ${WORK})
run("python3 -m venv" ${PYTHON} -m venv ${WORK}/venv)
set(pip ${WORK}/venv/bin/python -m pip --disable-pip-version-check)
set(config -C build-dir=${WORK}/wheel-build)
if(CCACHE)
  list(APPEND config -C cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
set(ENV{CMAKE_PREFIX_PATH} ${PREFIX})
run("pip install ./python[test]" ${pip} install -q ${config} "${SOURCE}/python[test]")
set(ENV{TEGULA_TEST_SEED} ${seed})
set(ENV{PYTHONDONTWRITEBYTECODE} 1)
# From outside the checkout, so that `import tegula` is the installed package.
run("pytest" ${WORK}/venv/bin/python -m pytest -q -p no:cacheprovider -rs ${SOURCE}/python/tests
    WORKING_DIRECTORY ${WORK})
message(STATUS "${run_output}")
