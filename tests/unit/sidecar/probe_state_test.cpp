#include "sidecar/probe_state.hpp"

#include <boost/test/unit_test.hpp>

using hale::probes::ProbeResult;
using hale::sidecar::ProbeStatus;
using hale::sidecar::record_attempt;
using hale::sidecar::Thresholds;
using hale::sidecar::Verdict;

namespace {

ProbeResult pass() {
    ProbeResult result;
    result.healthy = true;
    result.status = 200;
    result.elapsed = std::chrono::milliseconds(3);
    return result;
}

ProbeResult fail(const std::string& reason = "connection refused") {
    ProbeResult result;
    result.reason = reason;
    return result;
}

const auto kWhen = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));

}  // namespace

BOOST_AUTO_TEST_SUITE(probe_state_test)

BOOST_AUTO_TEST_CASE(a_probe_starts_pending_without_a_result) {
    ProbeStatus status;
    BOOST_TEST((status.verdict == Verdict::Pending));
    BOOST_TEST(!status.has_result);
}

BOOST_AUTO_TEST_CASE(first_pass_turns_passing_with_success_threshold_one) {
    ProbeStatus status;
    auto change = record_attempt(status, pass(), Thresholds{3, 1}, kWhen);
    BOOST_REQUIRE(change.has_value());
    BOOST_TEST((change->from == Verdict::Pending));
    BOOST_TEST((change->to == Verdict::Passing));
    BOOST_TEST(status.last_latency.count() == 3);
    BOOST_TEST((status.last_time == kWhen));
}

BOOST_AUTO_TEST_CASE(success_threshold_needs_that_many_passes_in_a_row) {
    ProbeStatus status;
    Thresholds thresholds{3, 3};
    BOOST_TEST(!record_attempt(status, pass(), thresholds, kWhen).has_value());
    BOOST_TEST(!record_attempt(status, pass(), thresholds, kWhen).has_value());
    BOOST_TEST((status.verdict == Verdict::Pending));
    BOOST_TEST(record_attempt(status, pass(), thresholds, kWhen).has_value());
    BOOST_TEST((status.verdict == Verdict::Passing));
}

BOOST_AUTO_TEST_CASE(passing_probe_fails_only_after_failure_threshold_failures_in_a_row) {
    ProbeStatus status;
    Thresholds thresholds{3, 1};
    record_attempt(status, pass(), thresholds, kWhen);
    BOOST_TEST(!record_attempt(status, fail(), thresholds, kWhen).has_value());
    BOOST_TEST(!record_attempt(status, fail(), thresholds, kWhen).has_value());
    BOOST_TEST((status.verdict == Verdict::Passing));
    auto change = record_attempt(status, fail("timeout after 2s"), thresholds, kWhen);
    BOOST_REQUIRE(change.has_value());
    BOOST_TEST((change->to == Verdict::Failing));
    BOOST_TEST(status.last_reason == "timeout after 2s");
}

BOOST_AUTO_TEST_CASE(a_pass_between_failures_restarts_the_failure_count) {
    ProbeStatus status;
    Thresholds thresholds{2, 1};
    record_attempt(status, pass(), thresholds, kWhen);
    record_attempt(status, fail(), thresholds, kWhen);
    record_attempt(status, pass(), thresholds, kWhen);
    record_attempt(status, fail(), thresholds, kWhen);
    BOOST_TEST((status.verdict == Verdict::Passing));
    BOOST_TEST(status.failures == 2U);
    BOOST_TEST(status.attempts == 4U);
}

BOOST_AUTO_TEST_CASE(failing_probe_recovers_after_success_threshold_passes) {
    ProbeStatus status;
    Thresholds thresholds{1, 2};
    record_attempt(status, fail(), thresholds, kWhen);
    BOOST_TEST((status.verdict == Verdict::Failing));
    BOOST_TEST(!record_attempt(status, pass(), thresholds, kWhen).has_value());
    BOOST_TEST((status.verdict == Verdict::Failing));
    BOOST_TEST(status.last_reason.empty());
    auto change = record_attempt(status, pass(), thresholds, kWhen);
    BOOST_REQUIRE(change.has_value());
    BOOST_TEST((change->from == Verdict::Failing));
    BOOST_TEST((change->to == Verdict::Passing));
}

BOOST_AUTO_TEST_CASE(repeated_failures_report_the_change_once) {
    ProbeStatus status;
    Thresholds thresholds{1, 1};
    BOOST_TEST(record_attempt(status, fail(), thresholds, kWhen).has_value());
    BOOST_TEST(!record_attempt(status, fail(), thresholds, kWhen).has_value());
    BOOST_TEST(!record_attempt(status, fail(), thresholds, kWhen).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
