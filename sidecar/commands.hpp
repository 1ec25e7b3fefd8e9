// The subcommands of the one hale binary. Each takes the arguments after its own name.
#pragma once

#include <string>
#include <vector>

namespace hale::sidecar {

using Args = std::vector<std::string>;

int run_about(const Args& args);
int run_check(const Args& args);
int run_inspect(const Args& args);
int run_serve(const Args& args);
int run_stamp(const Args& args);
int run_verify(const Args& args);
int run_version(const Args& args);

}  // namespace hale::sidecar
