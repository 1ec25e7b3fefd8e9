#include <boost/test/unit_test.hpp>
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
    return handlers::Context{[view] { return view; }};
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
