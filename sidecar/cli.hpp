// Flag parsing and usage errors, the same for every command.
#pragma once

#include <optional>
#include <string>

#include "sidecar/commands.hpp"

namespace CLI {  // NOLINT(readability-identifier-naming): the library's own name
class App;
}  // namespace CLI

namespace hale::sidecar {

// What a command prints on a usage error, and the status it exits with then. check and serve
// exit 1, the only failure status Docker and the kubelet know; the report commands exit 2 so
// that scripts can tell a mistyped flag from a failed verdict.
struct Usage {
    const char* command;   // "check"
    const char* synopsis;  // "[OPTIONS] URL..."
    int exit_status;
};

// Prints the reason and a pointer to --help, two lines on stderr, and returns the exit status.
// Never the full help: Docker keeps only 4096 bytes of a health check's output, and the reason
// must not scroll away behind it.
int usage_error(const Usage& usage, const std::string& message);

// Parses ARGS into APP. An exit status when there is nothing more to do: --help was printed
// (0) or a usage error was reported; nullopt when the command goes on.
std::optional<int> parse_flags(CLI::App& app, const Usage& usage, Args args);

}  // namespace hale::sidecar
