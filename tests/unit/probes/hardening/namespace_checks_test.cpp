// Host namespaces by their fixed inode numbers, and the host-network heuristic.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;
using test::check;
using test::contains;

BOOST_AUTO_TEST_SUITE(namespace_checks_test)

BOOST_AUTO_TEST_CASE(host_pid_fails_and_own_pid_passes) {
    auto host = check(test::facts_for("privileged-root"), "host-pid");
    BOOST_TEST(host.status == Status::Fail);
    BOOST_TEST(host.observed == "pid:[4026531836]: the host's namespace");
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "host-pid").status == Status::Pass);
}

BOOST_AUTO_TEST_CASE(host_ipc_and_uts_warn) {
    auto facts = test::facts_for("privileged-root");
    BOOST_TEST(check(facts, "host-ipc").status == Status::Warn);
    BOOST_TEST(check(facts, "host-uts").status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(unreadable_namespace_links_skip) {
    auto facts = test::facts_for("empty-files");
    BOOST_TEST(check(facts, "host-pid").status == Status::Skip);
    BOOST_TEST(check(facts, "host-ipc").status == Status::Skip);
}

BOOST_AUTO_TEST_CASE(host_bridges_and_daemon_sockets_suggest_host_network) {
    auto finding = check(test::facts_for("privileged-root"), "host-network");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "interface docker0"));
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "host-network").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(containerd_shim_abstract_socket_suggests_host_network) {
    test::TempTree tree;
    tree.write("proc/net/unix",
               "Num RefCount Protocol Flags Type St Inode Path\n"
               "0: 00000002 00000000 00010000 0001 01 1 @/containerd-shim/k8s.io/abc.sock@\n");
    BOOST_TEST(check(tree.facts(), "host-network").status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(nothing_to_read_skips_host_network) {
    test::TempTree tree;
    BOOST_TEST(check(tree.facts(), "host-network").status == Status::Skip);
}

BOOST_AUTO_TEST_SUITE_END()
