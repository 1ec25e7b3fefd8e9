#include "probes/hardening/lsm.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(lsm_test)

BOOST_AUTO_TEST_CASE(apparmor_file_is_read_first) {
    test::TempTree tree;
    tree.write("proc/self/attr/apparmor/current", "docker-default (enforce)\n");
    tree.write("proc/self/attr/current", "something-else\n");
    auto lsm = read_lsm(tree.roots());
    BOOST_TEST(*lsm.apparmor == "docker-default (enforce)");
}

BOOST_AUTO_TEST_CASE(legacy_file_is_the_fallback) {
    auto lsm = read_lsm(Roots::under(test::fixture("readonly-root-docker-sock")));
    BOOST_TEST(*lsm.apparmor == "unconfined");
}

BOOST_AUTO_TEST_CASE(selinux_context_is_recognized_with_its_type) {
    test::TempTree tree;
    std::string context = "system_u:system_r:container_t:s0:c12,c34";
    tree.write("proc/self/attr/current", context + std::string(1, '\0'));
    tree.write("sys/fs/selinux/enforce", "1");
    auto lsm = read_lsm(tree.roots());
    BOOST_TEST_REQUIRE(lsm.selinux.has_value());
    BOOST_TEST(*lsm.selinux == context);
    BOOST_TEST(selinux_type(*lsm.selinux) == "container_t");
    BOOST_TEST(*lsm.selinux_enforcing);
    BOOST_TEST(!lsm.apparmor.has_value());
}

BOOST_AUTO_TEST_CASE(no_label_is_unknown_with_a_reason_never_unconfined) {
    auto lsm = read_lsm(Roots::under(test::fixture("gvisor-like")));
    BOOST_TEST(!lsm.apparmor.has_value());
    BOOST_TEST(!lsm.selinux.has_value());
    BOOST_TEST(!lsm.unknown_reason.empty());
}

BOOST_AUTO_TEST_CASE(empty_label_is_unknown) {
    auto lsm = read_lsm(Roots::under(test::fixture("empty-files")));
    BOOST_TEST(!lsm.apparmor.has_value());
    BOOST_TEST(test::contains(lsm.unknown_reason, "empty"));
}

BOOST_AUTO_TEST_SUITE_END()
