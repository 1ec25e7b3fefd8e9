# Warnings and hardening flags, applied per target rather than through global flags.

function(hale_enable_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wold-style-cast
        -Wnull-dereference -Wformat=2 -Wcast-qual -Wundef -Wimplicit-fallthrough)
    if(HALE_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# Options every hale object is compiled with: small code that the linker can garbage-collect
# by section, and the usual hardening of a binary that parses untrusted input.
add_library(hale_compile_options INTERFACE)
target_compile_options(hale_compile_options INTERFACE
    -ffunction-sections -fdata-sections -fstack-protector-strong)
if(NOT HALE_SANITIZE)
    target_compile_definitions(hale_compile_options INTERFACE _FORTIFY_SOURCE=2)
endif()

if(HALE_SANITIZE OR HALE_FUZZ)
    set(hale_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    target_compile_options(hale_compile_options INTERFACE ${hale_sanitizers})
    target_link_options(hale_compile_options INTERFACE ${hale_sanitizers})
endif()
if(HALE_FUZZ)
    # Coverage instrumentation for the library code the fuzz targets drive.
    target_compile_options(hale_compile_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
