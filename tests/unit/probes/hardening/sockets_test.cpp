#include "probes/hardening/sockets.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"
#include "unix_socket.hpp"

using namespace hale::probes::hardening;

namespace {

std::vector<RuntimeSocket> sockets_for(const Roots& roots) {
    return find_runtime_sockets(roots, read_mountinfo(roots));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sockets_test)

BOOST_AUTO_TEST_CASE(read_only_mount_of_a_rootless_socket_is_found_with_its_source) {
    auto sockets = sockets_for(Roots::under(test::fixture("readonly-root-docker-sock")));
    BOOST_TEST_REQUIRE(sockets.size() == 1U);
    BOOST_TEST(sockets[0].path == "/var/run/docker.sock");
    BOOST_TEST(sockets[0].source == "/user/1000/docker.sock");
    BOOST_TEST(sockets[0].runtime == "docker");
    BOOST_TEST(*sockets[0].mount_ro);
    BOOST_TEST(!sockets[0].connectable.has_value());
}

BOOST_AUTO_TEST_CASE(renamed_mount_is_found_by_its_source_name) {
    test::TempTree tree;
    tree.write("proc/self/mountinfo",
               "1 0 0:1 / / rw - overlay overlay rw\n"
               "2 1 0:9 /run/containerd/containerd.sock /tmp/ctr ro - tmpfs tmpfs rw\n");
    auto sockets = sockets_for(tree.roots());
    BOOST_TEST_REQUIRE(sockets.size() == 1U);
    BOOST_TEST(sockets[0].runtime == "containerd");
    BOOST_TEST(sockets[0].path == "/tmp/ctr");
}

BOOST_AUTO_TEST_CASE(socket_at_a_well_known_path_is_found_without_a_mount_line) {
    test::TempTree tree;
    tree.write("proc/self/mountinfo", "1 0 0:1 / / rw - overlay overlay rw\n");
    test::make_socket_file(tree.at("run/podman/podman.sock"));
    auto sockets = sockets_for(tree.roots());
    BOOST_TEST_REQUIRE(sockets.size() == 1U);
    BOOST_TEST(sockets[0].path == "/run/podman/podman.sock");
    BOOST_TEST(sockets[0].runtime == "podman");
    BOOST_TEST(!sockets[0].mount_ro.has_value());
    BOOST_TEST_REQUIRE(sockets[0].connectable.has_value());
}

BOOST_AUTO_TEST_CASE(one_socket_behind_two_paths_is_reported_once) {
    test::TempTree tree;
    test::make_socket_file(tree.at("run/docker.sock"));
    std::filesystem::create_directories(tree.at("var"));
    std::filesystem::create_symlink("../run", tree.at("var/run"));
    auto sockets = sockets_for(tree.roots());
    BOOST_TEST(sockets.size() == 1U);
}

BOOST_AUTO_TEST_CASE(a_regular_file_named_like_a_socket_is_not_a_socket) {
    test::TempTree tree;
    tree.write("var/run/docker.sock", "");
    BOOST_TEST(sockets_for(tree.roots()).empty());
}

BOOST_AUTO_TEST_CASE(socket_names_map_to_runtimes) {
    BOOST_TEST(runtime_for_socket_name("crio.sock") == "cri-o");
    BOOST_TEST(runtime_for_socket_name("containerd.sock.ttrpc") == "containerd");
    BOOST_TEST(runtime_for_socket_name("app.sock").empty());
}

BOOST_AUTO_TEST_SUITE_END()
