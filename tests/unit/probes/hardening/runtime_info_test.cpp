#include "probes/hardening/runtime_info.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

namespace {

RuntimeInfo runtime_for(const Roots& roots, bool kubernetes_env = false) {
    return detect_runtime(roots, read_mountinfo(roots), kubernetes_env);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runtime_info_test)

BOOST_AUTO_TEST_CASE(docker_id_comes_from_the_hostname_bind_when_cgroup_reads_root) {
    auto info = runtime_for(Roots::under(test::fixture("numeric-uid-root-group")));
    BOOST_TEST(info.container == "docker");
    BOOST_TEST(info.id == "3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e");
}

BOOST_AUTO_TEST_CASE(kubernetes_wins_over_the_engine) {
    auto info = runtime_for(Roots::under(test::fixture("privileged-root")), true);
    BOOST_TEST(info.container == "kubernetes");
}

BOOST_AUTO_TEST_CASE(cgroup_path_names_the_runtime_and_id) {
    test::TempTree tree;
    tree.write("proc/self/cgroup",
               "0::/machine.slice/libpod-"
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope\n");
    auto info = runtime_for(tree.roots());
    BOOST_TEST(info.container == "podman");
    BOOST_TEST(info.id.size() == 64U);
}

BOOST_AUTO_TEST_CASE(systemd_marker_must_be_a_plain_word) {
    test::TempTree tree;
    tree.write("run/systemd/container", "lxc\n");
    BOOST_TEST(runtime_for(tree.roots()).container == "lxc");
    tree.write("run/systemd/container", "evil text; with spaces\n");
    BOOST_TEST(runtime_for(tree.roots()).container.empty());
}

BOOST_AUTO_TEST_CASE(container_id_is_exactly_64_hex_digits) {
    std::string id(64, 'a');
    BOOST_TEST(find_container_id("/docker/" + id) == id);
    BOOST_TEST(find_container_id("/docker/" + id + "b").empty());
    BOOST_TEST(find_container_id("/docker/abc").empty());
}

BOOST_AUTO_TEST_SUITE_END()
