#include "sidecar/prometheus.hpp"

#include <boost/test/unit_test.hpp>

using namespace hale::sidecar;

namespace {

HealthView view_with_db(Verdict verdict) {
    ProbeStatus db;
    db.name = "db";
    db.verdict = verdict;
    db.last_latency = std::chrono::milliseconds(1500);
    db.attempts = 7;
    db.failures = 2;
    HealthView view;
    view.probes = std::make_shared<const ProbeSnapshot>(ProbeSnapshot{{db}});
    return view;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prometheus_test)

BOOST_AUTO_TEST_CASE(per_probe_series_carry_probe_and_kind_labels) {
    auto text = render_metrics(view_with_db(Verdict::Passing));
    BOOST_TEST(has_line(text, "hale_probe_up{probe=\"db\",kind=\"readiness\"} 1"));
    BOOST_TEST(has_line(text, "hale_probe_latency_seconds{probe=\"db\",kind=\"readiness\"} 1.500"));
    BOOST_TEST(has_line(text, "hale_probe_attempts_total{probe=\"db\",kind=\"readiness\"} 7"));
    BOOST_TEST(has_line(text, "hale_probe_failures_total{probe=\"db\",kind=\"readiness\"} 2"));
}

BOOST_AUTO_TEST_CASE(readiness_and_liveness_follow_the_checks) {
    auto text = render_metrics(view_with_db(Verdict::Failing));
    BOOST_TEST(has_line(text, "hale_probe_up{probe=\"db\",kind=\"readiness\"} 0"));
    BOOST_TEST(has_line(text, "hale_ready 0"));
    BOOST_TEST(has_line(text, "hale_live 1"));
    BOOST_TEST(has_line(text, "hale_draining 0"));
}

BOOST_AUTO_TEST_CASE(every_family_has_help_and_type) {
    auto text = render_metrics(view_with_db(Verdict::Passing));
    for (const char* name : {"hale_probe_up", "hale_probe_latency_seconds", "hale_ready",
                             "hale_live", "hale_draining", "hale_build_info"}) {
        BOOST_TEST(text.find(std::string("# HELP ") + name + " ") != std::string::npos, name);
        BOOST_TEST(text.find(std::string("# TYPE ") + name + " ") != std::string::npos, name);
    }
    BOOST_TEST(text.find("hale_build_info{version=\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
