#include "probes/hardening/proc_status.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(proc_status_test)

BOOST_AUTO_TEST_CASE(reads_ids_groups_and_capability_masks) {
    auto status = read_proc_status(Roots::under(test::fixture("numeric-uid-root-group")));
    BOOST_TEST_REQUIRE(status.ok());
    BOOST_TEST(*status->effective_uid() == 10001U);
    BOOST_TEST(*status->effective_gid() == 0U);
    BOOST_TEST(*status->groups == std::vector<uint32_t>{0});
    BOOST_TEST(*status->cap_bounding == 0xa80425fbULL);
    BOOST_TEST(*status->cap_effective == 0ULL);
    BOOST_TEST(*status->no_new_privs == 0);
    BOOST_TEST(*status->seccomp == 2);
    BOOST_TEST(*status->seccomp_filters == 1);
}

BOOST_AUTO_TEST_CASE(missing_fields_stay_unknown) {
    auto status = parse_proc_status("Name:\thale\nUid:\t1\t1\t1\t1\nCapEff:\t0000000000000000\n");
    BOOST_TEST(status.uid.has_value());
    BOOST_TEST(!status.gid.has_value());
    BOOST_TEST(!status.no_new_privs.has_value());
    BOOST_TEST(!status.seccomp.has_value());
    BOOST_TEST(!status.cap_ambient.has_value());
}

BOOST_AUTO_TEST_CASE(malformed_values_are_left_unset) {
    auto status = parse_proc_status(
        "Uid:\t1\t2\t3\nGid:\tx\ty\tz\tw\nCapEff:\tnothex\nCapBnd:\t00000000000000000001\n"
        "Seccomp:\t2 3\nGroups:\t1 two\n");
    BOOST_TEST(!status.uid.has_value());
    BOOST_TEST(!status.gid.has_value());
    BOOST_TEST(!status.cap_effective.has_value());
    BOOST_TEST(!status.cap_bounding.has_value());
    BOOST_TEST(!status.seccomp.has_value());
    BOOST_TEST(!status.groups.has_value());
}

BOOST_AUTO_TEST_CASE(garbage_lines_and_no_final_newline_are_tolerated) {
    auto status = parse_proc_status("garbage\n\n:::\nNoNewPrivs:\t1");
    BOOST_TEST(*status.no_new_privs == 1);
}

BOOST_AUTO_TEST_CASE(empty_group_list_is_known_and_empty) {
    auto status = parse_proc_status("Groups:\t\n");
    BOOST_TEST_REQUIRE(status.groups.has_value());
    BOOST_TEST(status.groups->empty());
}

BOOST_AUTO_TEST_CASE(missing_proc_is_an_error_naming_the_file) {
    test::TempTree empty;
    auto status = read_proc_status(empty.roots());
    BOOST_TEST_REQUIRE(!status.ok());
    BOOST_TEST(test::contains(status.error(), "self/status"));
}

BOOST_AUTO_TEST_SUITE_END()
