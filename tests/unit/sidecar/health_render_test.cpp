#include "sidecar/health_render.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "fake_request.hpp"

using namespace hale::sidecar;
using hale::sidecar::testing::FakeRequest;

namespace {

Check ok_check(const std::string& name) {
    Check check;
    check.name = name;
    check.ok = true;
    return check;
}

Check failed_check(const std::string& name, const std::string& reason) {
    Check check;
    check.name = name;
    check.reason = reason;
    return check;
}

Check probe_check(const std::string& name, bool ok, const std::string& reason = "") {
    Check check = ok ? ok_check(name) : failed_check(name, reason);
    check.is_probe = true;
    check.has_result = true;
    check.latency = std::chrono::milliseconds(12);
    check.time = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
    return check;
}

HealthQuery query_of(const FakeRequest& request) {
    auto query = parse_health_query(request);
    BOOST_REQUIRE(query.ok());
    return *query;
}

std::string header(const handlers::Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
        if (key == name) {
            return value;
        }
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(health_render_test)

BOOST_AUTO_TEST_CASE(passing_checks_answer_ok_with_200) {
    auto response = render_health("readyz", {ok_check("scheduler"), ok_check("db")}, {});
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body == "ok");
    BOOST_TEST(response.content_type == "text/plain; charset=utf-8");
    BOOST_TEST(header(response, "X-Content-Type-Options") == "nosniff");
}

BOOST_AUTO_TEST_CASE(verbose_lists_every_check_and_the_verdict) {
    HealthQuery query;
    query.verbose = true;
    auto response = render_health("livez", {ok_check("scheduler"), ok_check("db")}, query);
    BOOST_TEST(response.body == "[+]scheduler ok\n[+]db ok\nlivez check passed\n");
}

BOOST_AUTO_TEST_CASE(failure_answers_503_and_always_lists_the_checks) {
    auto response = render_health(
        "readyz", {ok_check("scheduler"), failed_check("db", "timeout after 2s")}, {});
    BOOST_TEST(response.status == 503);
    BOOST_TEST(response.body ==
               "[+]scheduler ok\n[-]db failed: timeout after 2s\nreadyz check failed\n");
}

BOOST_AUTO_TEST_CASE(excluded_failing_check_does_not_count) {
    auto request = FakeRequest("/readyz").param("exclude", "db").param("verbose");
    auto response = render_health("readyz", {ok_check("scheduler"), failed_check("db", "refused")},
                                  query_of(request));
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body == "[+]scheduler ok\n[+]db excluded: ok\nreadyz check passed\n");
}

BOOST_AUTO_TEST_CASE(several_exclusions_are_honoured) {
    auto request = FakeRequest("/readyz").param("exclude", "db").param("exclude", "cache");
    auto response = render_health("readyz", {failed_check("db", "x"), failed_check("cache", "y")},
                                  query_of(request));
    BOOST_TEST(response.status == 200);
}

BOOST_AUTO_TEST_CASE(excluding_an_unknown_check_warns_like_the_apiserver) {
    auto request = FakeRequest("/readyz").param("exclude", "nope").param("verbose");
    auto response = render_health("readyz", {ok_check("db")}, query_of(request));
    BOOST_TEST(response.body ==
               "[+]db ok\nwarn: some health checks cannot be excluded: no matches for "
               "\"nope\"\nreadyz check passed\n");
}

BOOST_AUTO_TEST_CASE(format_json_gives_health_json) {
    auto request = FakeRequest("/readyz").param("format", "json");
    auto response = render_health("readyz",
                                  {ok_check("scheduler"), probe_check("app", true),
                                   probe_check("db", false, "timeout after 2s")},
                                  query_of(request));
    BOOST_TEST(response.status == 503);
    BOOST_TEST(response.content_type == "application/health+json");
    auto json = nlohmann::json::parse(response.body);
    BOOST_TEST(json["status"] == "fail");
    BOOST_TEST(json["output"] == "db failed: timeout after 2s");
    BOOST_TEST(json["checks"]["db:responseTime"][0]["status"] == "fail");
    BOOST_TEST(json["checks"]["db:responseTime"][0]["output"] == "timeout after 2s");
    BOOST_TEST(json["checks"]["db:responseTime"][0]["componentId"] == "db");
    BOOST_TEST(json["checks"]["app:responseTime"][0]["status"] == "pass");
    BOOST_TEST(json["checks"]["app:responseTime"][0]["observedValue"] == 12);
    BOOST_TEST(json["checks"]["app:responseTime"][0]["observedUnit"] == "ms");
    BOOST_TEST(json["checks"]["app:responseTime"][0]["time"] == "2023-11-14T22:13:20.000Z");
    BOOST_TEST(json["checks"]["scheduler"][0]["componentType"] == "system");
}

BOOST_AUTO_TEST_CASE(passing_json_has_no_output) {
    auto request = FakeRequest("/livez").param("format", "json");
    auto json = nlohmann::json::parse(
        render_health("livez", {ok_check("scheduler")}, query_of(request)).body);
    BOOST_TEST(json["status"] == "pass");
    BOOST_TEST(!json.contains("output"));
}

BOOST_AUTO_TEST_CASE(accept_health_json_or_json_selects_json) {
    BOOST_TEST(query_of(FakeRequest().header("Accept", "application/health+json")).json);
    BOOST_TEST(query_of(FakeRequest().header("Accept", "application/json, */*;q=0.5")).json);
}

BOOST_AUTO_TEST_CASE(kubelet_and_browser_accept_headers_get_text) {
    BOOST_TEST(!query_of(FakeRequest().header("Accept", "*/*")).json);
    BOOST_TEST(
        !query_of(FakeRequest().header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"))
             .json);
    BOOST_TEST(!query_of(FakeRequest()).json);
}

BOOST_AUTO_TEST_CASE(format_text_wins_over_accept) {
    auto request =
        FakeRequest().header("Accept", "application/health+json").param("format", "text");
    BOOST_TEST(!query_of(request).json);
}

BOOST_AUTO_TEST_CASE(unknown_format_is_a_400_naming_the_value) {
    auto response =
        health_response("readyz", {ok_check("db")}, FakeRequest("/readyz").param("format", "xml"));
    BOOST_TEST(response.status == 400);
    BOOST_TEST(response.body == "invalid format 'xml': expected text or json\n");
}

BOOST_AUTO_TEST_CASE(bodies_stay_under_10_kib_with_many_long_failures) {
    std::vector<Check> checks;
    for (int i = 0; i < 200; ++i) {
        checks.push_back(probe_check("probe-" + std::to_string(i), false, std::string(5000, 'x')));
    }
    auto text = render_health("readyz", checks, {});
    BOOST_TEST(text.body.size() < kHealthBodyCap);
    BOOST_TEST(text.body.find("more checks not shown") != std::string::npos);
    BOOST_TEST(text.body.substr(text.body.size() - 20) == "readyz check failed\n");

    HealthQuery json_query;
    json_query.json = true;
    auto json = render_health("readyz", checks, json_query);
    BOOST_TEST(json.body.size() < kHealthBodyCap);
    BOOST_TEST(nlohmann::json::parse(json.body)["status"] == "fail");
}

BOOST_AUTO_TEST_CASE(bodies_stay_under_10_kib_with_a_huge_exclude_list) {
    HealthQuery query;
    query.excluded.assign(500, std::string(100, 'n'));
    query.verbose = true;
    BOOST_TEST(render_health("readyz", {ok_check("db")}, query).body.size() < kHealthBodyCap);
    query.json = true;
    BOOST_TEST(render_health("readyz", {ok_check("db")}, query).body.size() < kHealthBodyCap);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_query_never_breaks_json) {
    HealthQuery query;
    query.json = true;
    query.excluded = {"\xff\xfe"};
    auto response = render_health("readyz", {ok_check("db")}, query);
    BOOST_TEST(response.status == 200);
    BOOST_TEST(nlohmann::json::parse(response.body)["status"] == "pass");
}

BOOST_AUTO_TEST_SUITE_END()
