#include "probes/provenance/container_id.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/probes/hardening/fixture.hpp"

using namespace hale::probes::provenance;
using hale::probes::hardening::test::TempTree;

namespace {

const std::string kId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const std::string kOther = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

std::string hostname_bind(const std::string& id) {
    return "612 590 0:52 /var/lib/docker/containers/" + id +
           "/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(container_id_test)

BOOST_AUTO_TEST_CASE(docker_default_hostname_is_the_short_id) {
    TempTree tree;
    tree.write("proc/sys/kernel/hostname", kId.substr(0, 12) + "\n");
    tree.write("proc/self/mountinfo", hostname_bind(kOther));
    auto id = discover_container_id(tree.roots());
    BOOST_REQUIRE(id);
    BOOST_TEST(id->id == kId.substr(0, 12));
    BOOST_TEST(id->from == "hostname");
}

BOOST_AUTO_TEST_CASE(a_chosen_hostname_falls_back_to_the_hostname_bind_mount) {
    TempTree tree;
    tree.write("proc/sys/kernel/hostname", "web-1\n");
    tree.write("proc/self/mountinfo", hostname_bind(kId));
    tree.write("proc/self/cgroup", "0::/\n");
    auto id = discover_container_id(tree.roots());
    BOOST_REQUIRE(id);
    BOOST_TEST(id->id == kId);
    BOOST_TEST(id->from == "mountinfo");
}

BOOST_AUTO_TEST_CASE(cgroup_v1_path_names_the_container) {
    TempTree tree;
    tree.write("proc/sys/kernel/hostname", "web-1\n");
    tree.write("proc/self/cgroup", "12:memory:/docker/" + kId + "\n");
    auto id = discover_container_id(tree.roots());
    BOOST_REQUIRE(id);
    BOOST_TEST(id->from == "cgroup");
    BOOST_TEST(id->id == kId);
}

BOOST_AUTO_TEST_CASE(pid_1_cpuset_is_the_last_resort) {
    TempTree tree;
    tree.write("proc/self/cgroup", "0::/\n");
    tree.write("proc/1/cpuset", "/docker/" + kId + "\n");
    auto id = discover_container_id(tree.roots());
    BOOST_REQUIRE(id);
    BOOST_TEST(id->from == "cpuset");
}

BOOST_AUTO_TEST_CASE(nothing_names_a_container_outside_one) {
    TempTree tree;
    tree.write("proc/sys/kernel/hostname", "laptop\n");
    tree.write("proc/self/cgroup", "0::/user.slice\n");
    BOOST_TEST(!discover_container_id(tree.roots()));
}

BOOST_AUTO_TEST_SUITE_END()
