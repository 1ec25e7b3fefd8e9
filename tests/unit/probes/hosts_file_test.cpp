#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "probes/resolve.hpp"

using hale::probes::Deadline;
using hale::probes::find_in_hosts_file;
using hale::probes::IpAddress;
using hale::probes::is_localhost_name;
using hale::probes::resolve_host;
using hale::probes::ResolverConfig;
using hale::probes::ResolveSource;

namespace {

std::string fixture_path(const std::string& name) {
    return std::string(HALE_TEST_DATA) + "/hosts/" + name;
}

std::string read_fixture(const std::string& name) {
    std::ifstream in(fixture_path(name));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> as_text(const std::vector<IpAddress>& addresses) {
    std::vector<std::string> out;
    for (const auto& ip : addresses) {
        out.push_back(ip.to_string());
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hosts_file_test)

BOOST_AUTO_TEST_CASE(every_line_for_a_name_is_returned_in_file_order) {
    auto found = as_text(find_in_hosts_file(read_fixture("docker-ipv6-first"), "app"));
    std::vector<std::string> expected{"10.0.0.5", "10.0.0.6", "[2001:db8::5]"};
    BOOST_TEST(found == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(aliases_match_case_insensitively) {
    auto found = as_text(find_in_hosts_file(read_fixture("docker-ipv6-first"), "APP.internal"));
    BOOST_TEST(found == std::vector<std::string>{"10.0.0.5"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(trailing_dots_are_ignored_on_both_sides) {
    auto found = as_text(find_in_hosts_file(read_fixture("odd"), "db."));
    std::vector<std::string> expected{"10.3.3.3", "10.4.4.4"};
    BOOST_TEST(found == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(comments_bad_addresses_and_nis_lines_are_skipped) {
    auto contents = read_fixture("odd");
    BOOST_TEST(find_in_hosts_file(contents, "bad").empty());
    BOOST_TEST(find_in_hosts_file(contents, "garbage").empty());
    BOOST_TEST(find_in_hosts_file(contents, "+::nis-line").empty());
}

BOOST_AUTO_TEST_CASE(empty_file_finds_nothing) {
    BOOST_TEST(find_in_hosts_file(read_fixture("empty"), "localhost").empty());
}

BOOST_AUTO_TEST_CASE(localhost_names_are_recognised) {
    BOOST_TEST(is_localhost_name("localhost"));
    BOOST_TEST(is_localhost_name("localhost."));
    BOOST_TEST(is_localhost_name("LocalHost"));
    BOOST_TEST(is_localhost_name("app.localhost"));
    BOOST_TEST(is_localhost_name("a.b.localhost."));
    BOOST_TEST(!is_localhost_name("notlocalhost"));
    BOOST_TEST(!is_localhost_name(".localhost"));
    BOOST_TEST(!is_localhost_name("localhost.example"));
}

BOOST_AUTO_TEST_CASE(localhost_maps_to_both_loopbacks_without_any_file) {
    ResolverConfig config{"/nonexistent/hosts", "/nonexistent/resolv.conf"};
    auto resolution = resolve_host("localhost", config, Deadline(std::chrono::seconds(1)));
    BOOST_TEST_REQUIRE(resolution.ok());
    BOOST_TEST((resolution->source == ResolveSource::Localhost));
    std::vector<std::string> expected{"127.0.0.1", "[::1]"};
    BOOST_TEST(as_text(resolution->addresses) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(localhost_ignores_a_hosts_file_that_lists_ipv6_first) {
    ResolverConfig config{fixture_path("docker-ipv6-first"), "/nonexistent/resolv.conf"};
    auto resolution = resolve_host("localhost", config, Deadline(std::chrono::seconds(1)));
    BOOST_TEST_REQUIRE(resolution.ok());
    BOOST_TEST(resolution->addresses.size() == 2U);
}

BOOST_AUTO_TEST_CASE(hosts_file_answers_before_dns) {
    ResolverConfig config{fixture_path("docker-ipv6-first"), "/nonexistent/resolv.conf"};
    auto resolution = resolve_host("app", config, Deadline(std::chrono::seconds(1)));
    BOOST_TEST_REQUIRE(resolution.ok());
    BOOST_TEST((resolution->source == ResolveSource::HostsFile));
    BOOST_TEST(resolution->addresses.size() == 3U);
}

BOOST_AUTO_TEST_CASE(ip_literal_needs_no_lookup) {
    ResolverConfig config{"/nonexistent/hosts", "/nonexistent/resolv.conf"};
    auto resolution = resolve_host("::1", config, Deadline(std::chrono::seconds(1)));
    BOOST_TEST_REQUIRE(resolution.ok());
    BOOST_TEST((resolution->source == ResolveSource::Literal));
}

BOOST_AUTO_TEST_SUITE_END()
