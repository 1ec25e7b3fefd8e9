#include "sidecar/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <optional>
#include <string>

using hale::sidecar::Args;
using hale::sidecar::parse_flags;
using hale::sidecar::Usage;

namespace {

constexpr Usage kUsage{"demo", "[OPTIONS] URL...", 7};

// What parse_flags returns and writes to stderr; stderr goes to a temporary file meanwhile.
struct Outcome {
    std::optional<int> status;
    std::string stderr_text;
};

Outcome parse(const Args& args) {
    CLI::App app{"demo", "hale demo"};
    std::string timeout;
    app.add_option("--timeout", timeout);

    std::fflush(stderr);
    std::FILE* capture = std::tmpfile();
    int saved = ::dup(STDERR_FILENO);
    ::dup2(::fileno(capture), STDERR_FILENO);
    auto status = parse_flags(app, kUsage, args);
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);

    std::string text;
    std::rewind(capture);
    for (int c = std::fgetc(capture); c != EOF; c = std::fgetc(capture)) {
        text += static_cast<char>(c);
    }
    std::fclose(capture);
    return {status, text};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_test)

BOOST_AUTO_TEST_CASE(known_flags_let_the_command_go_on) {
    auto outcome = parse({"--timeout", "2s"});
    BOOST_TEST(!outcome.status.has_value());
    BOOST_TEST(outcome.stderr_text.empty());
}

BOOST_AUTO_TEST_CASE(an_unknown_flag_exits_with_the_commands_usage_status) {
    BOOST_TEST(parse({"--bogus"}).status.value_or(0) == 7);
}

BOOST_AUTO_TEST_CASE(a_usage_error_is_the_reason_in_lowercase_then_a_pointer_to_help) {
    BOOST_TEST(parse({"--bogus"}).stderr_text ==
               "hale demo: the following argument was not expected: --bogus\n"
               "usage: hale demo [OPTIONS] URL... (hale demo --help for more)\n");
}

BOOST_AUTO_TEST_SUITE_END()
