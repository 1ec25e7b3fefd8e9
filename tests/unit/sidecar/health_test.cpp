#include "sidecar/health.hpp"

#include <boost/test/unit_test.hpp>

using namespace hale::sidecar;
using std::chrono::milliseconds;

namespace {

ProbeStatus probe(const std::string& name,
                  ProbeKind kind,
                  Verdict verdict,
                  const std::string& reason = "") {
    ProbeStatus status;
    status.name = name;
    status.kind = kind;
    status.verdict = verdict;
    status.has_result = verdict != Verdict::Pending || !reason.empty();
    status.last_reason = reason;
    return status;
}

HealthView view_of(std::vector<ProbeStatus> probes) {
    HealthView view;
    view.probes = std::make_shared<const ProbeSnapshot>(ProbeSnapshot{std::move(probes)});
    return view;
}

const Check& find(const std::vector<Check>& checks, const std::string& name) {
    for (const auto& check : checks) {
        if (check.name == name) {
            return check;
        }
    }
    BOOST_FAIL("no check named " + name);
    return checks.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(health_test)

BOOST_AUTO_TEST_CASE(readiness_fails_before_a_probe_has_a_result) {
    auto checks = readiness_checks(view_of({probe("db", ProbeKind::Readiness, Verdict::Pending)}));
    BOOST_TEST(!all_ok(checks));
    BOOST_TEST(find(checks, "db").reason == "no result yet");
}

BOOST_AUTO_TEST_CASE(readiness_passes_when_every_readiness_probe_passes) {
    auto checks = readiness_checks(view_of({probe("db", ProbeKind::Readiness, Verdict::Passing),
                                            probe("app", ProbeKind::Readiness, Verdict::Passing)}));
    BOOST_TEST(all_ok(checks));
}

BOOST_AUTO_TEST_CASE(pending_probe_shows_the_reason_of_its_failed_attempts) {
    auto checks = readiness_checks(
        view_of({probe("db", ProbeKind::Readiness, Verdict::Pending, "timeout after 2s")}));
    BOOST_TEST(find(checks, "db").reason == "timeout after 2s");
}

BOOST_AUTO_TEST_CASE(liveness_ignores_failing_readiness_probes) {
    auto view = view_of({probe("db", ProbeKind::Readiness, Verdict::Failing, "refused")});
    BOOST_TEST(all_ok(liveness_checks(view)));
    BOOST_TEST(!all_ok(readiness_checks(view)));
}

BOOST_AUTO_TEST_CASE(liveness_fails_when_a_liveness_probe_fails) {
    auto view = view_of({probe("self", ProbeKind::Liveness, Verdict::Failing, "refused")});
    BOOST_TEST(!all_ok(liveness_checks(view)));
    BOOST_TEST(all_ok(readiness_checks(view)));
}

BOOST_AUTO_TEST_CASE(pending_liveness_probe_does_not_fail_liveness) {
    auto view = view_of({probe("self", ProbeKind::Liveness, Verdict::Pending)});
    BOOST_TEST(all_ok(liveness_checks(view)));
}

BOOST_AUTO_TEST_CASE(draining_fails_readiness_and_keeps_liveness) {
    auto view = view_of({probe("db", ProbeKind::Readiness, Verdict::Passing)});
    view.draining = true;
    BOOST_TEST(find(readiness_checks(view), "shutdown").reason == "draining");
    BOOST_TEST(!all_ok(readiness_checks(view)));
    BOOST_TEST(all_ok(liveness_checks(view)));
}

BOOST_AUTO_TEST_CASE(stalled_event_loop_fails_liveness_and_readiness) {
    auto view = view_of({});
    view.since_beat = milliseconds(7000);
    BOOST_TEST(!all_ok(liveness_checks(view)));
    BOOST_TEST(!all_ok(readiness_checks(view)));
    BOOST_TEST(find(liveness_checks(view), "scheduler").reason == "event loop stalled for 7s");
}

BOOST_AUTO_TEST_CASE(exited_app_fails_liveness_and_readiness) {
    auto view = view_of({});
    view.supervising = true;
    BOOST_TEST(all_ok(liveness_checks(view)));
    view.app_exit = "exited with status 3";
    BOOST_TEST(!all_ok(liveness_checks(view)));
    BOOST_TEST(!all_ok(readiness_checks(view)));
    BOOST_TEST(find(liveness_checks(view), "process").reason == "app exited with status 3");
}

BOOST_AUTO_TEST_CASE(process_check_exists_only_when_supervising) {
    for (const auto& check : liveness_checks(view_of({}))) {
        BOOST_TEST(check.name != "process");
    }
}

BOOST_AUTO_TEST_SUITE_END()
