#include <boost/test/unit_test.hpp>

#include "probes/http_probe.hpp"

using hale::probes::parse_header_arg;
using hale::probes::parse_target;
using hale::probes::resolve_location;

namespace {

std::string resolved(std::string_view location) {
    auto base = parse_target("http://h:8080/a/b?q");
    auto next = resolve_location(*base, location);
    return next ? next->url() : "error: " + next.error();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(location_test)

BOOST_AUTO_TEST_CASE(absolute_path_keeps_host_and_port) {
    BOOST_TEST(resolved("/login") == "http://h:8080/login");
}

BOOST_AUTO_TEST_CASE(relative_path_is_resolved_against_the_directory) {
    BOOST_TEST(resolved("c") == "http://h:8080/a/c");
}

BOOST_AUTO_TEST_CASE(query_only_replaces_the_query) {
    BOOST_TEST(resolved("?x") == "http://h:8080/a/b?x");
}

BOOST_AUTO_TEST_CASE(scheme_relative_takes_the_new_host) {
    BOOST_TEST(resolved("//other/") == "http://other/");
}

BOOST_AUTO_TEST_CASE(absolute_url_is_taken_as_is) {
    BOOST_TEST(resolved("http://h:9090/z") == "http://h:9090/z");
}

BOOST_AUTO_TEST_CASE(https_location_is_a_scheme_change) {
    BOOST_TEST(resolved("https://h:8443/healthz") == "error: redirect changes scheme");
}

BOOST_AUTO_TEST_CASE(header_argument_splits_at_the_first_colon) {
    auto header = parse_header_arg("X-Token: a:b");
    BOOST_TEST_REQUIRE(header.ok());
    BOOST_TEST(header->first == "X-Token");
    BOOST_TEST(header->second == "a:b");
}

BOOST_AUTO_TEST_CASE(header_argument_with_empty_value_is_kept_empty) {
    auto header = parse_header_arg("User-Agent:");
    BOOST_TEST_REQUIRE(header.ok());
    BOOST_TEST(header->second.empty());
}

BOOST_AUTO_TEST_CASE(header_argument_without_colon_or_with_line_break_is_rejected) {
    BOOST_TEST(!parse_header_arg("NoColon").ok());
    BOOST_TEST(!parse_header_arg("Bad Name: x").ok());
    BOOST_TEST(!parse_header_arg("X: a\r\nInjected: 1").ok());
}

BOOST_AUTO_TEST_SUITE_END()
