#include "probes/hardening/policy.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

namespace {

Finding finding(const std::string& id, Status status) {
    Finding f;
    f.id = id;
    f.status = status;
    return f;
}

std::vector<Finding> sample() {
    return {finding("non-root-user", Status::Pass), finding("read-only-root", Status::Warn),
            finding("seccomp", Status::Fail), finding("lsm-confined", Status::Skip)};
}

Policy valid(Policy policy) {
    return *validate_policy(std::move(policy));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_test)

BOOST_AUTO_TEST_CASE(default_policy_fails_on_fail_only) {
    auto verdict = evaluate_policy(sample(), valid({}));
    BOOST_TEST(!verdict.passed);
    BOOST_TEST_REQUIRE(verdict.failures.size() == 1U);
    BOOST_TEST(verdict.failures[0].finding.id == "seccomp");
}

BOOST_AUTO_TEST_CASE(fail_on_warn_also_fails_warnings_but_not_skips) {
    Policy policy;
    policy.fail_on = Status::Warn;
    auto verdict = evaluate_policy(sample(), valid(policy));
    BOOST_TEST(verdict.failures.size() == 2U);
}

BOOST_AUTO_TEST_CASE(ignored_checks_never_fail) {
    Policy policy;
    policy.ignore = {"seccomp"};
    BOOST_TEST(evaluate_policy(sample(), valid(policy)).passed);
}

BOOST_AUTO_TEST_CASE(required_checks_must_pass_outright) {
    Policy policy;
    policy.require = {"read-only-root", "lsm-confined"};
    policy.ignore = {"seccomp"};
    auto verdict = evaluate_policy(sample(), valid(policy));
    BOOST_TEST_REQUIRE(verdict.failures.size() == 2U);
    BOOST_TEST(verdict.failures[0].reason == "required, but warn");
    BOOST_TEST(verdict.failures[1].reason == "required, but skip");
}

BOOST_AUTO_TEST_CASE(min_uid_sets_the_threshold_and_requires_high_uid) {
    Policy policy;
    policy.min_uid = 20000;
    auto checked = valid(policy);
    BOOST_TEST(checked.check_options().min_uid == 20000U);
    BOOST_TEST(checked.require == std::vector<std::string>{"high-uid"});
}

BOOST_AUTO_TEST_CASE(required_and_ignored_at_once_is_rejected) {
    Policy policy;
    policy.require = {"seccomp"};
    policy.ignore = {"seccomp"};
    BOOST_TEST(!validate_policy(policy).ok());
    Policy uid;
    uid.min_uid = 1;
    uid.ignore = {"high-uid"};
    BOOST_TEST(!validate_policy(uid).ok());
}

BOOST_AUTO_TEST_CASE(id_lists_are_trimmed_deduplicated_and_checked) {
    auto ids = parse_check_ids(" seccomp, capabilities ,seccomp,,");
    BOOST_TEST_REQUIRE(ids.ok());
    BOOST_TEST(*ids == (std::vector<std::string>{"seccomp", "capabilities"}));
    auto bad = parse_check_ids("seccomp,no-such-check");
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(test::contains(bad.error(), "invalid check id 'no-such-check'"));
}

BOOST_AUTO_TEST_CASE(fail_on_and_min_uid_values_are_validated) {
    BOOST_TEST(*parse_fail_on("warn") == Status::Warn);
    BOOST_TEST(!parse_fail_on("skip").ok());
    BOOST_TEST(*parse_min_uid("10000") == 10000U);
    BOOST_TEST(!parse_min_uid("-1").ok());
    BOOST_TEST(!parse_min_uid("4294967296").ok());
    BOOST_TEST(!parse_min_uid("").ok());
}

BOOST_AUTO_TEST_SUITE_END()
