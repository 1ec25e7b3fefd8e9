#include "sidecar/duration.hpp"

#include <boost/test/unit_test.hpp>

using hale::sidecar::parse_duration;
using std::chrono::milliseconds;

BOOST_AUTO_TEST_SUITE(duration_test)

BOOST_AUTO_TEST_CASE(bare_number_is_seconds) {
    BOOST_TEST(parse_duration("5")->count() == 5000);
}

BOOST_AUTO_TEST_CASE(units_s_ms_and_m) {
    BOOST_TEST(parse_duration("2s")->count() == 2000);
    BOOST_TEST(parse_duration("250ms")->count() == 250);
    BOOST_TEST(parse_duration("1.5s")->count() == 1500);
    BOOST_TEST(parse_duration("2m")->count() == 120000);
}

BOOST_AUTO_TEST_CASE(zero_negative_huge_and_unknown_units_are_rejected) {
    BOOST_TEST(!parse_duration("0").ok());
    BOOST_TEST(!parse_duration("-1s").ok());
    BOOST_TEST(!parse_duration("2h").ok());
    BOOST_TEST(!parse_duration("61m").ok());
    BOOST_TEST(!parse_duration("").ok());
    BOOST_TEST(!parse_duration("s").ok());
    BOOST_TEST(!parse_duration("1..5s").ok());
}

BOOST_AUTO_TEST_SUITE_END()
