# Build information compiled into the binary: version, source revision, build time, compiler.
# The revision and time can be given from outside (a Docker build has no .git directory).

set(HALE_REVISION "" CACHE STRING "Source revision compiled into hale (default: git HEAD)")
set(HALE_BUILD_TIME "" CACHE STRING "Build time compiled into hale, RFC 3339 (default: now)")

if(NOT HALE_REVISION)
    execute_process(COMMAND git rev-parse --short=12 HEAD
        WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
        OUTPUT_VARIABLE HALE_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT HALE_REVISION)
        set(HALE_REVISION "unknown")
    endif()
endif()
if(NOT HALE_BUILD_TIME AND NOT DEFINED ENV{SOURCE_DATE_EPOCH})
    # The commit's time: the same sources give the same binary, and a re-configure does not
    # relink everything.
    execute_process(
        COMMAND env TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ
        WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
        OUTPUT_VARIABLE HALE_BUILD_TIME OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(NOT HALE_BUILD_TIME)
    # string(TIMESTAMP) honours SOURCE_DATE_EPOCH, so reproducible builds can pin it.
    string(TIMESTAMP HALE_BUILD_TIME "%Y-%m-%dT%H:%M:%SZ" UTC)
endif()
if(HALE_STATIC)
    set(HALE_STATIC_BOOL true)
else()
    set(HALE_STATIC_BOOL false)
endif()
set(HALE_COMPILER "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")

configure_file(${CMAKE_SOURCE_DIR}/cmake/build_info.hpp.in
    ${CMAKE_BINARY_DIR}/generated/build_info.hpp @ONLY)
