#include "sidecar/cli.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

namespace hale::sidecar {
namespace {

// CLI11 writes sentences ("The following argument was not expected: ..."); hale's messages
// start in lowercase. An acronym ("URL ...") keeps its case.
std::string lowercase_first_word(std::string message) {
    auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (message.size() >= 2 && is_upper(message[0]) && !is_upper(message[1])) {
        message[0] = static_cast<char>(message[0] - 'A' + 'a');
    }
    return message;
}

}  // namespace

int usage_error(const Usage& usage, const std::string& message) {
    std::fprintf(stderr, "hale %s: %s\nusage: hale %s %s (hale %s --help for more)\n",
                 usage.command, message.c_str(), usage.command, usage.synopsis, usage.command);
    return usage.exit_status;
}

std::optional<int> parse_flags(CLI::App& app, const Usage& usage, Args args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes its argument vector reversed
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    } catch (const CLI::ParseError& error) {
        return usage_error(usage, lowercase_first_word(error.what()));
    }
    return std::nullopt;
}

}  // namespace hale::sidecar
