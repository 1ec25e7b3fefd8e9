// cgroup memory, CPU and PIDs limits as verdicts.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;
using test::check;

BOOST_AUTO_TEST_SUITE(resource_checks_test)

BOOST_AUTO_TEST_CASE(limits_set_pass_with_their_values) {
    auto facts = test::facts_for("numeric-uid-root-group");
    auto memory = check(facts, "memory-limit");
    BOOST_TEST(memory.status == Status::Pass);
    BOOST_TEST(memory.observed == "256 MiB (cgroup v2)");
    BOOST_TEST(check(facts, "cpu-limit").observed == "0.50 CPUs (cgroup v2)");
    BOOST_TEST(check(facts, "pids-limit").observed == "100 processes (cgroup v2)");
}

BOOST_AUTO_TEST_CASE(no_limits_warn_on_cgroup_v1) {
    auto facts = test::facts_for("readonly-root-docker-sock");
    for (auto id : {"memory-limit", "cpu-limit", "pids-limit"}) {
        auto finding = check(facts, id);
        BOOST_TEST(finding.status == Status::Warn, id);
        BOOST_TEST(finding.observed == "no limit (cgroup v1)", id);
    }
}

BOOST_AUTO_TEST_CASE(unreadable_limits_skip) {
    auto facts = test::facts_for("gvisor-like");
    for (auto id : {"memory-limit", "cpu-limit", "pids-limit"}) {
        BOOST_TEST(check(facts, id).status == Status::Skip, id);
    }
}

BOOST_AUTO_TEST_SUITE_END()
