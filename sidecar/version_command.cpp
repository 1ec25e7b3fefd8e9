#include <cstdio>

#include "build_info.hpp"
#include "sidecar/commands.hpp"

namespace hale::sidecar {

int run_version(const Args& /*args*/) {
    std::printf("hale %s (revision %s, built %s, %s, %s)\n", build::kVersion, build::kRevision,
                build::kBuildTime, build::kCompiler, build::kStatic ? "static" : "dynamic");
    return 0;
}

}  // namespace hale::sidecar
