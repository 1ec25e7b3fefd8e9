// hale: health checks, a probe sidecar, a hardening report and layer analysis in one static
// binary. main() only picks the subcommand; each lives in its own file.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "sidecar/commands.hpp"

namespace {

using hale::sidecar::Args;

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(const Args&);
};

// clang-format off
constexpr Command kCommands[] = {
    {"about",   "report this container's hardening from inside (--json for JSON)",
     hale::sidecar::run_about},
    {"check",   "probe http:// and tcp:// targets once; exit 0 healthy, 1 otherwise",
     hale::sidecar::run_check},
    {"inspect", "analyse image archives: layers, wasted bytes, ghost files, findings",
     hale::sidecar::run_inspect},
    {"serve",   "probe sidecar: /livez, /readyz, /metrics, /about; -- CMD also runs the app",
     hale::sidecar::run_serve},
    {"stamp",   "write the image's provenance file (/etc/hale/image.json) at build time",
     hale::sidecar::run_stamp},
    {"verify",  "exit 1 when the container's hardening fails the policy; print the fixes",
     hale::sidecar::run_verify},
    {"version", "print the version and build information",
     hale::sidecar::run_version},
};
// clang-format on

void print_usage(std::FILE* out) {
    std::fprintf(out, "usage: hale COMMAND [ARGS...]\n\ncommands:\n");
    for (const auto& command : kCommands) {
        std::fprintf(out, "  %-8.*s %.*s\n", static_cast<int>(command.name.size()),
                     command.name.data(), static_cast<int>(command.summary.size()),
                     command.summary.data());
    }
    std::fprintf(out, "\nRun 'hale COMMAND --help' for the options of one command.\n");
}

}  // namespace

int main(int argc, char** argv) {
    // No command: say what there is. Exit 1, never 2, which Docker reserves.
    if (argc < 2) {
        print_usage(stderr);
        return 1;
    }
    std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(stdout);
        return 0;
    }
    if (name == "--version") {
        name = "version";
    }

    // Hand the rest of the arguments to the command.
    Args args(argv + 2, argv + argc);
    for (const auto& command : kCommands) {
        if (command.name == name) {
            return command.run(args);
        }
    }

    std::fprintf(stderr, "hale: unknown command '%s'\n\n", argv[1]);
    print_usage(stderr);
    return 1;
}
