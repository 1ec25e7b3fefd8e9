#include "probes/hardening/capabilities.hpp"

#include <boost/test/unit_test.hpp>

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(capabilities_test)

BOOST_AUTO_TEST_CASE(docker_default_set_decodes_to_its_fourteen_names) {
    auto names = capability_names(kDockerDefaultCaps);
    BOOST_TEST(names.size() == 14U);
    BOOST_TEST(names.front() == "cap_chown");
    BOOST_TEST(names.back() == "cap_setfcap");
    BOOST_TEST(capability_list(1ULL << 21) == "cap_sys_admin");
}

BOOST_AUTO_TEST_CASE(unknown_bits_keep_a_numbered_name) {
    BOOST_TEST(capability_name(41) == "cap_41");
    BOOST_TEST(capability_list((1ULL << 63) | 1ULL) == "cap_chown,cap_63");
}

BOOST_AUTO_TEST_CASE(empty_mask_reads_none) {
    BOOST_TEST(capability_list(0) == "none");
}

BOOST_AUTO_TEST_CASE(full_mask_follows_cap_last_cap) {
    BOOST_TEST(full_capability_mask(40) == 0x1ffffffffffULL);
    BOOST_TEST(full_capability_mask(37) == 0x3fffffffffULL);
    BOOST_TEST(full_capability_mask(63) == ~0ULL);
}

BOOST_AUTO_TEST_CASE(cap_last_cap_accepts_only_a_small_number) {
    BOOST_TEST(*parse_last_cap("40\n") == 40U);
    BOOST_TEST(!parse_last_cap("").has_value());
    BOOST_TEST(!parse_last_cap("64").has_value());
    BOOST_TEST(!parse_last_cap("forty").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
