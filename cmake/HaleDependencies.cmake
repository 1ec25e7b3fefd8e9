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

# libarchive for `hale inspect`: only its read side (tar, raw) and the gzip and zstd filters
# are referenced, so static linking pulls in zlib and libzstd and nothing else it was built with.
hale_find_library(HALE_ARCHIVE_LIBRARY archive)
hale_find_library(HALE_ZSTD_LIBRARY zstd)
hale_find_library(HALE_ZLIB_LIBRARY z)
find_path(HALE_ARCHIVE_INCLUDE archive.h REQUIRED)
add_library(hale_archive INTERFACE)
target_include_directories(hale_archive SYSTEM INTERFACE ${HALE_ARCHIVE_INCLUDE})
target_link_libraries(hale_archive INTERFACE
    ${HALE_ARCHIVE_LIBRARY} ${HALE_ZSTD_LIBRARY} ${HALE_ZLIB_LIBRARY})

if(NOT TARGET hale_json)
    add_library(hale_json INTERFACE)
    target_include_directories(hale_json SYSTEM INTERFACE ${HALE_JSON_INCLUDE})
endif()
