#include "sidecar/scheduler.hpp"

#include <boost/test/unit_test.hpp>

using hale::probes::ProbeResult;
using hale::sidecar::ProbeKind;
using hale::sidecar::ProbeSpec;
using hale::sidecar::Scheduler;
using hale::sidecar::Thresholds;
using hale::sidecar::Verdict;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// Time is whatever the test says it is: no clock is read and nothing sleeps.
const Scheduler::Clock::time_point kStart{seconds(1000)};
const auto kWall = std::chrono::system_clock::time_point(seconds(1700000000));

std::vector<ProbeSpec> specs(std::initializer_list<std::string> names) {
    std::vector<ProbeSpec> out;
    for (const auto& name : names) {
        ProbeSpec spec;
        spec.name = name;
        out.push_back(spec);
    }
    return out;
}

ProbeResult result(bool healthy) {
    ProbeResult r;
    r.healthy = healthy;
    r.reason = healthy ? "" : "connection refused";
    return r;
}

using Indexes = std::vector<size_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(scheduler_test)

BOOST_AUTO_TEST_CASE(every_probe_is_due_at_start) {
    Scheduler scheduler(specs({"db", "app"}), seconds(5), Thresholds{}, kStart);
    BOOST_TEST(scheduler.start_due(kStart) == (Indexes{0, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_probe_in_flight_is_never_started_again) {
    Scheduler scheduler(specs({"db"}), seconds(5), Thresholds{}, kStart);
    scheduler.start_due(kStart);
    BOOST_TEST(scheduler.start_due(kStart + seconds(5)).empty());
    BOOST_TEST(scheduler.start_due(kStart + seconds(60)).empty());
    BOOST_TEST(scheduler.in_flight_count() == 1U);
    BOOST_TEST(!scheduler.next_due().has_value());
}

BOOST_AUTO_TEST_CASE(next_attempt_is_due_one_interval_after_the_last_start) {
    Scheduler scheduler(specs({"db"}), seconds(5), Thresholds{}, kStart);
    scheduler.start_due(kStart);
    scheduler.finish(0, result(true), kWall);
    BOOST_REQUIRE(scheduler.next_due().has_value());
    BOOST_TEST((*scheduler.next_due() == kStart + seconds(5)));
    BOOST_TEST(scheduler.start_due(kStart + milliseconds(4999)).empty());
    BOOST_TEST(scheduler.start_due(kStart + seconds(5)) == Indexes{0},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_attempt_longer_than_the_interval_is_followed_at_once) {
    Scheduler scheduler(specs({"db"}), seconds(1), Thresholds{}, kStart);
    scheduler.start_due(kStart);
    // The attempt takes 3 intervals; the next one starts on the first tick after it, alone.
    scheduler.finish(0, result(false), kWall);
    BOOST_TEST(scheduler.start_due(kStart + seconds(3)) == Indexes{0},
               boost::test_tools::per_element());
    BOOST_TEST(scheduler.start_due(kStart + seconds(3)).empty());
}

BOOST_AUTO_TEST_CASE(probes_keep_their_own_schedules) {
    Scheduler scheduler(specs({"fast", "slow"}), seconds(5), Thresholds{}, kStart);
    scheduler.start_due(kStart);
    scheduler.finish(0, result(true), kWall);
    // "slow" is still in flight when "fast" is due again.
    BOOST_TEST(scheduler.start_due(kStart + seconds(5)) == Indexes{0},
               boost::test_tools::per_element());
    BOOST_TEST(scheduler.in_flight(1));
}

BOOST_AUTO_TEST_CASE(snapshot_is_pending_until_the_first_result) {
    Scheduler scheduler(specs({"db"}), seconds(5), Thresholds{}, kStart);
    scheduler.start_due(kStart);
    auto before = scheduler.snapshot();
    BOOST_TEST((before->probes.at(0).verdict == Verdict::Pending));
    BOOST_TEST(!before->probes.at(0).has_result);

    scheduler.finish(0, result(true), kWall);
    auto after = scheduler.snapshot();
    BOOST_TEST((after->probes.at(0).verdict == Verdict::Passing));
    // A snapshot once taken never changes under its reader.
    BOOST_TEST((before->probes.at(0).verdict == Verdict::Pending));
}

BOOST_AUTO_TEST_CASE(finish_reports_threshold_changes_over_time) {
    Scheduler scheduler(specs({"db"}), seconds(5), Thresholds{2, 1}, kStart);
    auto now = kStart;
    std::vector<Verdict> changes;
    for (bool healthy : {true, false, false, false, true}) {
        BOOST_TEST_REQUIRE(scheduler.start_due(now) == Indexes{0},
                           boost::test_tools::per_element());
        if (auto change = scheduler.finish(0, result(healthy), kWall)) {
            changes.push_back(change->to);
        }
        now += seconds(5);
    }
    BOOST_TEST(
        (changes == std::vector<Verdict>{Verdict::Passing, Verdict::Failing, Verdict::Passing}));
}

BOOST_AUTO_TEST_CASE(probe_kinds_and_names_reach_the_snapshot) {
    auto list = specs({"db", "self"});
    list[1].kind = ProbeKind::Liveness;
    Scheduler scheduler(list, seconds(5), Thresholds{}, kStart);
    auto snapshot = scheduler.snapshot();
    BOOST_TEST(snapshot->probes.at(1).name == "self");
    BOOST_TEST((snapshot->probes.at(1).kind == ProbeKind::Liveness));
}

BOOST_AUTO_TEST_SUITE_END()
