# An installed reqtrace finds its own scenarios from any working directory.
# Run by ctest: cmake -DBUILD_DIR=... -DPREFIX=... -P install_test.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE result OUTPUT_QUIET)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
execute_process(COMMAND "${PREFIX}/bin/reqtrace" validate hello-wsgi
                WORKING_DIRECTORY /
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "installed reqtrace failed: ${err}")
endif()
if(NOT out MATCHES "${PREFIX}/share/reqtrace/scenarios/hello-wsgi.json: ok")
  message(FATAL_ERROR "installed reqtrace did not use its installed scenarios: ${out}")
endif()
