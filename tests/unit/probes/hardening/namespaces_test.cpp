#include "probes/hardening/namespaces.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(namespaces_test)

BOOST_AUTO_TEST_CASE(link_text_gives_the_inode) {
    BOOST_TEST(*parse_ns_link("pid", "pid:[4026531836]") == kInitPidInode);
    BOOST_TEST(!parse_ns_link("pid", "ipc:[4026531839]").has_value());
    BOOST_TEST(!parse_ns_link("pid", "pid:[]").has_value());
    BOOST_TEST(!parse_ns_link("pid", "pid:[12x]").has_value());
}

BOOST_AUTO_TEST_CASE(fixture_links_are_read_with_readlink) {
    auto roots = Roots::under(test::fixture("privileged-root"));
    BOOST_TEST(*read_ns_inode(roots, "pid") == kInitPidInode);
    BOOST_TEST(*read_ns_inode(roots, "uts") == kInitUtsInode);
}

BOOST_AUTO_TEST_CASE(missing_link_is_an_error) {
    auto inode = read_ns_inode(Roots::under(test::fixture("empty-files")), "pid");
    BOOST_TEST_REQUIRE(!inode.ok());
    BOOST_TEST(test::contains(inode.error(), "ns/pid"));
}

BOOST_AUTO_TEST_CASE(identity_uid_map_is_the_initial_user_namespace) {
    auto map = parse_uid_map("         0          0 4294967295\n");
    BOOST_TEST(map.identity);
    BOOST_TEST(map.text == "0 0 4294967295");
}

BOOST_AUTO_TEST_CASE(remapped_uid_map_is_not_identity) {
    auto map = parse_uid_map("         0     100000      65536\n      1000       2000 1");
    BOOST_TEST(!map.identity);
    BOOST_TEST(map.text == "0 100000 65536; 1000 2000 1");
    BOOST_TEST(!parse_uid_map("").identity);
}

BOOST_AUTO_TEST_SUITE_END()
