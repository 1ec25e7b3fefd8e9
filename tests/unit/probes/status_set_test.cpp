#include "probes/status_set.hpp"

#include <boost/test/unit_test.hpp>

using hale::probes::StatusSet;

BOOST_AUTO_TEST_SUITE(status_set_test)

BOOST_AUTO_TEST_CASE(default_matches_kubelet_http_get_verdict) {
    StatusSet set;
    BOOST_TEST(!set.contains(199));
    BOOST_TEST(set.contains(200));
    BOOST_TEST(set.contains(302));
    BOOST_TEST(set.contains(399));
    BOOST_TEST(!set.contains(400));
    BOOST_TEST(set.to_string() == "200-399");
}

BOOST_AUTO_TEST_CASE(list_of_codes_and_ranges) {
    auto set = StatusSet::parse("200-299, 404,418");
    BOOST_TEST_REQUIRE(set.ok());
    BOOST_TEST(set->contains(250));
    BOOST_TEST(set->contains(404));
    BOOST_TEST(set->contains(418));
    BOOST_TEST(!set->contains(302));
    BOOST_TEST(set->to_string() == "200-299,404,418");
}

BOOST_AUTO_TEST_CASE(class_shorthand) {
    auto set = StatusSet::parse("2xx,3XX");
    BOOST_TEST_REQUIRE(set.ok());
    BOOST_TEST(set->contains(204));
    BOOST_TEST(set->contains(399));
    BOOST_TEST(!set->contains(400));
}

BOOST_AUTO_TEST_CASE(invalid_lists_are_rejected) {
    BOOST_TEST(!StatusSet::parse("").ok());
    BOOST_TEST(!StatusSet::parse("200-").ok());
    BOOST_TEST(!StatusSet::parse("399-200").ok());
    BOOST_TEST(!StatusSet::parse("99").ok());
    BOOST_TEST(!StatusSet::parse("600").ok());
    BOOST_TEST(!StatusSet::parse("200,,300").ok());
    BOOST_TEST(!StatusSet::parse("6xx").ok());
    BOOST_TEST(!StatusSet::parse("ok").ok());
}

BOOST_AUTO_TEST_CASE(error_names_the_bad_item) {
    auto set = StatusSet::parse("200,abc");
    BOOST_TEST_REQUIRE(!set.ok());
    BOOST_TEST(set.error().find("found 'abc'") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
