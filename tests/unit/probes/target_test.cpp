#include "probes/target.hpp"

#include <boost/test/unit_test.hpp>

using hale::probes::parse_target;
using hale::probes::Scheme;

BOOST_AUTO_TEST_SUITE(target_test)

BOOST_AUTO_TEST_CASE(http_url_gives_host_port_and_path) {
    auto target = parse_target("http://127.0.0.1:8080/health");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST((target->scheme == Scheme::Http));
    BOOST_TEST(target->host == "127.0.0.1");
    BOOST_TEST(target->port == 8080);
    BOOST_TEST(target->path == "/health");
    BOOST_TEST(target->host_is_ip);
}

BOOST_AUTO_TEST_CASE(http_port_defaults_to_80_without_services_database) {
    auto target = parse_target("http://app/");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->port == 80);
    BOOST_TEST(target->host_header() == "app");
}

BOOST_AUTO_TEST_CASE(missing_path_becomes_slash) {
    auto target = parse_target("http://localhost:9000");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->path == "/");
}

BOOST_AUTO_TEST_CASE(query_without_path_keeps_query) {
    auto target = parse_target("http://localhost:9000?ready=1");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->path == "/?ready=1");
}

BOOST_AUTO_TEST_CASE(fragment_is_never_sent) {
    auto target = parse_target("http://h/x?y#frag");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->path == "/x?y");
}

BOOST_AUTO_TEST_CASE(scheme_and_host_are_case_insensitive) {
    auto target = parse_target("HTTP://App.Local:81/Path");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->host == "app.local");
    BOOST_TEST(target->path == "/Path");
}

BOOST_AUTO_TEST_CASE(bracketed_ipv6_literal_parses) {
    auto target = parse_target("http://[::1]:8080/");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->host == "::1");
    BOOST_TEST(target->host_is_ipv6);
    BOOST_TEST(target->host_port() == "[::1]:8080");
    BOOST_TEST(target->host_header() == "[::1]:8080");
}

BOOST_AUTO_TEST_CASE(ipv6_zone_is_percent_decoded) {
    auto target = parse_target("http://[fe80::1%251]:8080/");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->host == "fe80::1%1");
}

BOOST_AUTO_TEST_CASE(userinfo_is_decoded_and_left_out_of_url) {
    auto target = parse_target("http://user:p%40ss@h:81/x");
    BOOST_TEST_REQUIRE(target.ok());
    BOOST_TEST(target->userinfo == "user:p@ss");
    BOOST_TEST(target->url() == "http://h:81/x");
}

BOOST_AUTO_TEST_CASE(tcp_target_needs_port) {
    BOOST_TEST(parse_target("tcp://db:5432").ok());
    auto target = parse_target("tcp://db");
    BOOST_TEST_REQUIRE(!target.ok());
    BOOST_TEST(target.error().find("need a port") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tcp_target_takes_no_path) {
    BOOST_TEST(!parse_target("tcp://db:5432/x").ok());
}

BOOST_AUTO_TEST_CASE(missing_scheme_is_rejected_with_the_expected_form) {
    auto target = parse_target("localhost:8080");
    BOOST_TEST_REQUIRE(!target.ok());
    BOOST_TEST(target.error() ==
               "invalid target 'localhost:8080': missing scheme, expected "
               "http://host[:port]/path or tcp://host:port");
}

BOOST_AUTO_TEST_CASE(https_is_rejected_as_unsupported) {
    auto target = parse_target("https://h/");
    BOOST_TEST_REQUIRE(!target.ok());
    BOOST_TEST(target.error().find("https is not supported") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(port_out_of_range_is_rejected) {
    BOOST_TEST(!parse_target("http://h:0/").ok());
    BOOST_TEST(!parse_target("http://h:65536/").ok());
    BOOST_TEST(!parse_target("http://h:80a/").ok());
    BOOST_TEST(!parse_target("http://h:/").ok());
}

BOOST_AUTO_TEST_CASE(unexpanded_variable_is_not_a_port) {
    BOOST_TEST(!parse_target("http://127.0.0.1:${PORT}/health").ok());
}

BOOST_AUTO_TEST_CASE(path_with_space_or_control_is_rejected) {
    BOOST_TEST(!parse_target("http://h/a b").ok());
    BOOST_TEST(!parse_target("http://h/a\r\nX-Injected: 1").ok());
}

BOOST_AUTO_TEST_CASE(malformed_ipv6_literals_are_rejected) {
    BOOST_TEST(!parse_target("http://[::1/").ok());
    BOOST_TEST(!parse_target("http://[not-v6]:80/").ok());
    BOOST_TEST(!parse_target("http://[::1]x/").ok());
}

BOOST_AUTO_TEST_CASE(empty_host_is_rejected) {
    BOOST_TEST(!parse_target("http://:8080/").ok());
    BOOST_TEST(!parse_target("http:///x").ok());
}

BOOST_AUTO_TEST_SUITE_END()
