#include "probes/hardening/mountinfo.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(mountinfo_test)

BOOST_AUTO_TEST_CASE(fields_and_optional_fields_are_split_at_the_dash) {
    auto table = parse_mountinfo(
        "45 27 254:0 /var/lib/docker /var/lib/docker rw,relatime shared:1 master:3 - ext4 "
        "/dev/vda rw,discard\n");
    BOOST_TEST_REQUIRE(table.mounts.size() == 1U);
    const auto& mount = table.mounts[0];
    BOOST_TEST(mount.device == "254:0");
    BOOST_TEST(mount.root == "/var/lib/docker");
    BOOST_TEST(mount.optional_fields.size() == 2U);
    BOOST_TEST(mount.shared());
    BOOST_TEST(mount.fstype == "ext4");
    BOOST_TEST(mount.source == "/dev/vda");
    BOOST_TEST(mount.has_super_option("discard"));
    BOOST_TEST(!mount.read_only());
}

BOOST_AUTO_TEST_CASE(read_only_comes_from_the_per_mount_options) {
    auto table = parse_mountinfo("1 0 0:52 / / ro,relatime - overlay overlay rw,lowerdir=/x\n");
    BOOST_TEST(table.mounts[0].read_only());
    BOOST_TEST(table.mounts[0].has_super_option("rw"));
}

BOOST_AUTO_TEST_CASE(octal_escapes_are_decoded) {
    BOOST_TEST(unescape_mount_path("/my\\040dir/tab\\011x\\134y") == "/my dir/tab\tx\\y");
    BOOST_TEST(unescape_mount_path("/trailing\\04") == "/trailing\\04");
    BOOST_TEST(unescape_mount_path("/not\\999octal") == "/not\\999octal");
}

BOOST_AUTO_TEST_CASE(last_entry_for_a_mount_point_wins) {
    auto table = parse_mountinfo(
        "1 0 0:1 / / rw - overlay overlay rw\n2 0 0:2 / / ro - overlay overlay rw\n");
    BOOST_TEST(table.find("/")->read_only());
    BOOST_TEST(table.find("/tmp") == nullptr);
}

BOOST_AUTO_TEST_CASE(garbage_lines_are_counted_and_skipped) {
    auto table = parse_mountinfo(
        "garbage\n1 0 0:1 / /a rw shared:1\n2 0 0:2 / /b rw - tmpfs\n\n3 0 0:3 / /c rw - tmpfs "
        "tmpfs rw");
    BOOST_TEST(table.bad_lines == 3U);
    BOOST_TEST_REQUIRE(table.mounts.size() == 1U);
    BOOST_TEST(table.mounts[0].mount_point == "/c");
}

BOOST_AUTO_TEST_CASE(empty_table_parses_to_no_mounts) {
    auto table = read_mountinfo(Roots::under(test::fixture("empty-files")));
    BOOST_TEST_REQUIRE(table.ok());
    BOOST_TEST(table->mounts.empty());
}

BOOST_AUTO_TEST_SUITE_END()
