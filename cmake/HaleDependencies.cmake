# Every dependency comes from Debian's packages (scripts/install-deps), except cpp-httplib's
# single header, which scripts/fetch-httplib takes from Debian's source package.

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Header-only libraries.
find_path(HALE_ASIO_INCLUDE asio.hpp REQUIRED)
find_path(HALE_CLI11_INCLUDE CLI/CLI.hpp REQUIRED)
find_path(HALE_JSON_INCLUDE nlohmann/json.hpp REQUIRED)
find_path(HALE_SPDLOG_INCLUDE spdlog/spdlog.h REQUIRED)
find_path(HALE_HTTPLIB_INCLUDE httplib.h
    PATHS ${CMAKE_SOURCE_DIR}/third_party/httplib NO_DEFAULT_PATH)
if(NOT HALE_HTTPLIB_INCLUDE)
    message(FATAL_ERROR "hale: third_party/httplib/httplib.h is missing; run scripts/fetch-httplib")
endif()

# Compiled libraries: the static archive when the binary is linked statically.
function(hale_find_library var name)
    if(HALE_STATIC)
        find_library(${var} NAMES lib${name}.a REQUIRED)
    else()
        find_library(${var} NAMES ${name} REQUIRED)
    endif()
endfunction()

hale_find_library(HALE_CARES_LIBRARY cares)
find_path(HALE_CARES_INCLUDE ares.h REQUIRED)

add_library(hale_cares INTERFACE)
target_include_directories(hale_cares SYSTEM INTERFACE ${HALE_CARES_INCLUDE})
target_link_libraries(hale_cares INTERFACE ${HALE_CARES_LIBRARY})
if(HALE_STATIC)
    target_compile_definitions(hale_cares INTERFACE CARES_STATICLIB)
endif()

add_library(hale_cli11 INTERFACE)
target_include_directories(hale_cli11 SYSTEM INTERFACE ${HALE_CLI11_INCLUDE})

hale_find_library(HALE_NETTLE_LIBRARY nettle)
add_library(hale_nettle INTERFACE)
target_link_libraries(hale_nettle INTERFACE ${HALE_NETTLE_LIBRARY})

# hale serve: standalone Asio (event loop, timers, signals), spdlog with fmt (Debian ships only
# shared libraries, so both are used header-only), cpp-httplib's single header, nlohmann/json.
add_library(hale_asio INTERFACE)
target_include_directories(hale_asio SYSTEM INTERFACE ${HALE_ASIO_INCLUDE})
target_compile_definitions(hale_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)

add_library(hale_spdlog INTERFACE)
target_include_directories(hale_spdlog SYSTEM INTERFACE ${HALE_SPDLOG_INCLUDE})
target_compile_definitions(hale_spdlog INTERFACE SPDLOG_HEADER_ONLY FMT_HEADER_ONLY)

# poll() instead of select(): select() cannot watch descriptors above 1023, and a sidecar
# holding many idle connections gets there. The keep-alive check interval only bounds how fast
# an idle connection notices a shutdown; httplib's 10 ms default wakes every idle connection
# 100 times a second.
add_library(hale_httplib INTERFACE)
target_include_directories(hale_httplib SYSTEM INTERFACE ${HALE_HTTPLIB_INCLUDE})
target_compile_definitions(hale_httplib INTERFACE
    CPPHTTPLIB_USE_POLL CPPHTTPLIB_LISTEN_BACKLOG=1024
    CPPHTTPLIB_KEEPALIVE_TIMEOUT_CHECK_INTERVAL_USECOND=250000)

add_library(hale_json INTERFACE)
target_include_directories(hale_json SYSTEM INTERFACE ${HALE_JSON_INCLUDE})

# libarchive for `hale inspect`: only its read side (tar, raw) and the gzip and zstd filters
# are referenced, so static linking pulls in zlib and libzstd and nothing else it was built with.
# TODO: Debian's libzstd.a decodes the legacy v0.5-v0.7 formats too (about 90 KB of the 220 KB it
# adds); a decoder built from the source package with ZSTD_LEGACY_SUPPORT=0 would drop them, at
# the cost of a fetch-and-build step like scripts/fetch-httplib.
hale_find_library(HALE_ARCHIVE_LIBRARY archive)
hale_find_library(HALE_ZSTD_LIBRARY zstd)
hale_find_library(HALE_ZLIB_LIBRARY z)
find_path(HALE_ARCHIVE_INCLUDE archive.h REQUIRED)
add_library(hale_archive INTERFACE)
target_include_directories(hale_archive SYSTEM INTERFACE ${HALE_ARCHIVE_INCLUDE})
target_link_libraries(hale_archive INTERFACE
    ${HALE_ARCHIVE_LIBRARY} ${HALE_ZSTD_LIBRARY} ${HALE_ZLIB_LIBRARY})

