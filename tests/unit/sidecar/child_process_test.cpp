#include "sidecar/child_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>

using namespace hale::sidecar;

BOOST_AUTO_TEST_SUITE(child_process_test)

BOOST_AUTO_TEST_CASE(exit_code_passes_through) {
    auto pid = spawn_child({"sh", "-c", "exit 3"});
    BOOST_REQUIRE(pid.ok());
    int status = 0;
    BOOST_REQUIRE(waitpid(*pid, &status, 0) == *pid);
    BOOST_TEST(exit_status_of(status) == 3);
    BOOST_TEST(describe_wait_status(status) == "exited with status 3");
}

BOOST_AUTO_TEST_CASE(killed_child_gives_128_plus_signal) {
    auto pid = spawn_child({"sh", "-c", "kill -KILL $$"});
    BOOST_REQUIRE(pid.ok());
    int status = 0;
    BOOST_REQUIRE(waitpid(*pid, &status, 0) == *pid);
    BOOST_TEST(exit_status_of(status) == 137);
    BOOST_TEST(describe_wait_status(status) == "was killed by signal 9 (SIGKILL)");
}

BOOST_AUTO_TEST_CASE(child_starts_with_default_signal_dispositions) {
    // hale ignores SIGPIPE (its server writes to sockets peers may close); the app must not
    // inherit that.
    auto previous = std::signal(SIGPIPE, SIG_IGN);
    // Bit 12 of SigIgn is SIGPIPE (13); awk reads the mask it inherited through sh.
    auto pid = spawn_child(
        {"sh", "-c",
         "m=$(awk '/^SigIgn/{print $2}' /proc/self/status); [ $((0x$m & 0x1000)) = 0 ]"});
    std::signal(SIGPIPE, previous);
    BOOST_REQUIRE(pid.ok());
    int status = 0;
    BOOST_REQUIRE(waitpid(*pid, &status, 0) == *pid);
    BOOST_TEST(exit_status_of(status) == 0);
}

BOOST_AUTO_TEST_CASE(missing_program_is_a_one_line_error) {
    auto pid = spawn_child({"/nonexistent/app"});
    BOOST_TEST(!pid.ok());
    BOOST_TEST(pid.error() == "cannot start '/nonexistent/app': no such file or directory");
}

BOOST_AUTO_TEST_CASE(reaping_returns_the_watched_child_status) {
    auto pid = spawn_child({"sh", "-c", "exit 5"});
    BOOST_REQUIRE(pid.ok());
    std::optional<int> status;
    for (int i = 0; i < 5000 && !status; ++i) {
        status = reap_children(*pid, false);
        if (!status) {
            usleep(1000);  // polling the child's exit; no signal to wait on in a unit test
        }
    }
    BOOST_REQUIRE(status.has_value());
    BOOST_TEST(exit_status_of(*status) == 5);
}

BOOST_AUTO_TEST_SUITE_END()
