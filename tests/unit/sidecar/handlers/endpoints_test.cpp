#include <boost/test/unit_test.hpp>
#include <map>
#include <set>

#include "../fake_request.hpp"
#include "sidecar/handlers/handler.hpp"

using namespace hale::sidecar;
using hale::sidecar::testing::FakeRequest;

namespace {

const handlers::Endpoint& endpoint(std::string_view path) {
    for (const auto& e : handlers::endpoints()) {
        if (e.path == path) {
            return e;
        }
    }
    BOOST_FAIL("no endpoint " + std::string(path));
    return handlers::endpoints().front();
}

handlers::Context context_with(HealthView view) {
    return handlers::Context{[view] { return view; }, {}};
}

// A context whose hardening report has one failing check.
handlers::Context context_with_report() {
    auto snapshot = std::make_shared<AboutSnapshot>();
    hale::probes::hardening::Finding finding;
    finding.id = "non-root-user";
    finding.status = hale::probes::hardening::Status::Fail;
    snapshot->report.findings.push_back(finding);
    snapshot->json = "{\"status\":\"fail\"}\n";
    snapshot->text = "hale about: fail\n";
    snapshot->html = "<p>hale about: fail</p>\n";
    std::shared_ptr<const AboutSnapshot> shared = snapshot;
    return handlers::Context{[] { return HealthView{}; }, [shared] { return shared; }};
}

HealthView failing_db_view() {
    ProbeStatus db;
    db.name = "db";
    db.verdict = Verdict::Failing;
    db.has_result = true;
    db.last_reason = "timeout after 2s";
    HealthView view;
    view.probes = std::make_shared<const ProbeSnapshot>(ProbeSnapshot{{db}});
    return view;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(endpoints_test)

BOOST_AUTO_TEST_CASE(table_has_livez_readyz_and_metrics_once_each) {
    std::set<std::string_view> paths;
    for (const auto& e : handlers::endpoints()) {
        BOOST_TEST(paths.insert(e.path).second, e.path);
        BOOST_TEST(e.handler != nullptr);
    }
    BOOST_TEST(paths.count("/livez") == 1U);
    BOOST_TEST(paths.count("/readyz") == 1U);
    BOOST_TEST(paths.count("/metrics") == 1U);
    BOOST_TEST(paths.count("/about") == 1U);
}

BOOST_AUTO_TEST_CASE(about_answers_the_report_as_json_by_default) {
    auto about = endpoint("/about").handler(FakeRequest("/about"), context_with_report());
    BOOST_TEST(about.status == 200);
    BOOST_TEST(about.content_type == "application/json");
    BOOST_TEST(about.body == "{\"status\":\"fail\"}\n");
}

BOOST_AUTO_TEST_CASE(about_answers_text_when_asked_by_query_or_accept) {
    auto context = context_with_report();
    auto by_query =
        endpoint("/about").handler(FakeRequest("/about").param("format", "text"), context);
    BOOST_TEST(by_query.body == "hale about: fail\n");
    auto by_accept =
        endpoint("/about").handler(FakeRequest("/about").header("Accept", "text/plain"), context);
    BOOST_TEST(by_accept.body == "hale about: fail\n");
}

BOOST_AUTO_TEST_CASE(about_answers_a_browser_with_the_html_page) {
    const std::string chrome_accept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    auto about = endpoint("/about").handler(FakeRequest("/about").header("Accept", chrome_accept),
                                            context_with_report());
    BOOST_TEST(about.content_type == "text/html; charset=utf-8");
    BOOST_TEST(about.body == "<p>hale about: fail</p>\n");
}

BOOST_AUTO_TEST_CASE(about_html_page_forbids_scripts_and_loads) {
    auto about = endpoint("/about").handler(FakeRequest("/about").param("format", "html"),
                                            context_with_report());
    BOOST_TEST(about.content_type == "text/html; charset=utf-8");
    std::map<std::string, std::string> headers(about.headers.begin(), about.headers.end());
    BOOST_TEST(headers["Content-Security-Policy"] ==
               "default-src 'none'; style-src 'unsafe-inline'");
    BOOST_TEST(headers["X-Content-Type-Options"] == "nosniff");
}

BOOST_AUTO_TEST_CASE(about_stays_json_for_curl_and_for_clients_naming_json) {
    auto context = context_with_report();
    for (std::string accept :
         {"*/*", "application/json, text/html", "text/html;q=0.1, application/json"}) {
        auto about =
            endpoint("/about").handler(FakeRequest("/about").header("Accept", accept), context);
        BOOST_TEST(about.content_type == "application/json", accept);
    }
}

BOOST_AUTO_TEST_CASE(about_without_a_report_is_unavailable) {
    auto about = endpoint("/about").handler(FakeRequest("/about"), context_with(HealthView{}));
    BOOST_TEST(about.status == 503);
}

BOOST_AUTO_TEST_CASE(metrics_carry_each_hardening_check_with_its_status) {
    auto metrics = endpoint("/metrics").handler(FakeRequest("/metrics"), context_with_report());
    BOOST_TEST(
        metrics.body.find("hale_hardening_check{check=\"non-root-user\",status=\"fail\"} 1\n") !=
        std::string::npos);
}

BOOST_AUTO_TEST_CASE(livez_stays_200_while_a_readiness_dependency_fails) {
    auto context = context_with(failing_db_view());
    auto live = endpoint("/livez").handler(FakeRequest("/livez"), context);
    BOOST_TEST(live.status == 200);
    BOOST_TEST(live.body == "ok");
}

BOOST_AUTO_TEST_CASE(readyz_names_the_failing_dependency) {
    auto context = context_with(failing_db_view());
    auto ready = endpoint("/readyz").handler(FakeRequest("/readyz").param("verbose"), context);
    BOOST_TEST(ready.status == 503);
    BOOST_TEST(ready.body.find("[-]db failed: timeout after 2s\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(metrics_is_prometheus_text) {
    auto context = context_with(failing_db_view());
    auto metrics = endpoint("/metrics").handler(FakeRequest("/metrics"), context);
    BOOST_TEST(metrics.status == 200);
    BOOST_TEST(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
    BOOST_TEST(metrics.body.find("hale_ready 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
