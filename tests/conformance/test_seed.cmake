# A fresh seed per run, or TEGULA_TEST_SEED to replay one; printed either way.
if(DEFINED ENV{TEGULA_TEST_SEED})
  set(seed $ENV{TEGULA_TEST_SEED})
else()
  string(TIMESTAMP seed "%s")
endif()
message(STATUS "TEGULA_TEST_SEED=${seed} (set it to replay this run)")
