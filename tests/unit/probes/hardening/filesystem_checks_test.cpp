// Read-only root, runtime sockets, host mounts, propagation, devices and the SA token.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"
#include "unix_socket.hpp"

using namespace hale::probes::hardening;
using test::check;
using test::contains;

BOOST_AUTO_TEST_SUITE(filesystem_checks_test)

BOOST_AUTO_TEST_CASE(last_root_entry_decides_read_only_root) {
    auto finding = check(test::facts_for("readonly-root-docker-sock"), "read-only-root");
    BOOST_TEST(finding.status == Status::Pass);
    BOOST_TEST(finding.observed == "/ mounted ro (overlay)");
}

BOOST_AUTO_TEST_CASE(writable_root_warns_with_the_fix) {
    auto finding = check(test::facts_for("privileged-root"), "read-only-root");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.fix, "--read-only"));
    BOOST_TEST(contains(finding.fix, "readOnlyRootFilesystem: true"));
}

BOOST_AUTO_TEST_CASE(empty_mount_table_skips_read_only_root) {
    BOOST_TEST(check(test::facts_for("empty-files"), "read-only-root").status == Status::Skip);
}

BOOST_AUTO_TEST_CASE(read_only_socket_mount_still_fails) {
    auto finding = check(test::facts_for("readonly-root-docker-sock"), "no-runtime-socket");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "/var/run/docker.sock"));
    BOOST_TEST(contains(finding.observed, "from /user/1000/docker.sock"));
    BOOST_TEST(contains(finding.observed, "mounted ro"));
}

BOOST_AUTO_TEST_CASE(docker_host_alone_warns_without_showing_its_value) {
    test::TempTree tree("numeric-uid-root-group");
    tree.write("proc/self/environ", std::string("DOCKER_HOST=tcp://10.1.2.3:2375") + '\0');
    auto finding = check(tree.facts(), "no-runtime-socket");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "(tcp)"));
    BOOST_TEST(!contains(finding.observed, "10.1.2.3"));
}

BOOST_AUTO_TEST_CASE(socket_file_without_a_mount_line_fails) {
    test::TempTree tree("numeric-uid-root-group");
    test::make_socket_file(tree.at("run/containerd/containerd.sock"));
    auto finding = check(tree.facts(), "no-runtime-socket");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "containerd socket"));
}

BOOST_AUTO_TEST_CASE(no_socket_passes) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "no-runtime-socket").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(host_root_bind_read_write_fails_and_volumes_do_not_count) {
    auto finding = check(test::facts_for("privileged-root"), "no-host-mounts");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "/host (host /, rw)"));
    BOOST_TEST(contains(finding.observed, "/host-etc (host /etc, ro)"));
    BOOST_TEST(contains(finding.observed, "/dev/host (the host's /dev, rw)"));
    BOOST_TEST(!contains(finding.observed, "/data"));
}

BOOST_AUTO_TEST_CASE(read_only_host_binds_only_warn) {
    test::TempTree tree;
    tree.write("proc/self/mountinfo",
               "1 0 0:52 / / ro - overlay overlay rw\n"
               "2 1 8:1 /etc /host/etc ro,nosuid - ext4 /dev/sda1 rw\n");
    auto finding = check(tree.facts(), "no-host-mounts");
    BOOST_TEST(finding.status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(runtime_binds_of_hosts_files_are_not_host_mounts) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "no-host-mounts").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(shared_propagation_warns) {
    auto finding = check(test::facts_for("privileged-root"), "mount-propagation");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "/host"));
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "mount-propagation").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(dev_without_extra_nodes_passes_and_missing_dev_skips) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "host-devices").status ==
               Status::Pass);
    test::TempTree tree;
    BOOST_TEST(check(tree.facts(), "host-devices").status == Status::Skip);
}

BOOST_AUTO_TEST_CASE(service_account_token_is_reported_without_reading_it) {
    auto finding = check(test::facts_for("privileged-root"), "service-account-token");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "/run/secrets/kubernetes.io/serviceaccount/token"));
    BOOST_TEST(!contains(finding.observed, "eyJ"));
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "service-account-token").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_SUITE_END()
