#include "probes/hardening/cgroup.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

namespace {

CgroupLimits limits_for(const Roots& roots) {
    return read_cgroup_limits(roots, read_mountinfo(roots));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cgroup_test)

BOOST_AUTO_TEST_CASE(v2_limits_under_a_private_namespace_are_read_at_the_mount) {
    auto limits = limits_for(Roots::under(test::fixture("numeric-uid-root-group")));
    BOOST_TEST(limits.version == "v2");
    BOOST_TEST_REQUIRE(limits.memory_bytes.ok());
    BOOST_TEST(**limits.memory_bytes == 268435456U);
    BOOST_TEST_REQUIRE(limits.cpus.ok());
    BOOST_TEST(**limits.cpus == 0.5);
    BOOST_TEST_REQUIRE(limits.pids.ok());
    BOOST_TEST(**limits.pids == 100U);
}

BOOST_AUTO_TEST_CASE(v1_page_counter_maximum_means_no_limit) {
    auto limits = limits_for(Roots::under(test::fixture("readonly-root-docker-sock")));
    BOOST_TEST(limits.version == "v1");
    BOOST_TEST_REQUIRE(limits.memory_bytes.ok());
    BOOST_TEST(!limits.memory_bytes->has_value());
    BOOST_TEST_REQUIRE(limits.cpus.ok());
    BOOST_TEST(!limits.cpus->has_value());
    BOOST_TEST_REQUIRE(limits.pids.ok());
    BOOST_TEST(!limits.pids->has_value());
}

BOOST_AUTO_TEST_CASE(v2_max_means_no_limit) {
    auto limits = limits_for(Roots::under(test::fixture("privileged-root")));
    BOOST_TEST_REQUIRE(limits.memory_bytes.ok());
    BOOST_TEST(!limits.memory_bytes->has_value());
    BOOST_TEST(!limits.cpus->has_value());
}

BOOST_AUTO_TEST_CASE(host_namespace_path_is_followed_and_smallest_ancestor_limit_wins) {
    test::TempTree tree;
    tree.write("proc/self/cgroup", "0::/system.slice/docker-abc.scope\n");
    tree.write("proc/self/mountinfo",
               "30 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
    tree.write("sys/fs/cgroup/cgroup.controllers", "memory pids cpu\n");
    tree.write("sys/fs/cgroup/system.slice/memory.max", "1073741824\n");
    tree.write("sys/fs/cgroup/system.slice/docker-abc.scope/memory.max", "max\n");
    tree.write("sys/fs/cgroup/system.slice/docker-abc.scope/pids.max", "50\n");
    tree.write("sys/fs/cgroup/system.slice/pids.max", "max\n");
    tree.write("sys/fs/cgroup/system.slice/docker-abc.scope/cpu.max", "200000 100000\n");
    auto limits = limits_for(tree.roots());
    BOOST_TEST(**limits.memory_bytes == 1073741824U);
    BOOST_TEST(**limits.pids == 50U);
    BOOST_TEST(**limits.cpus == 2.0);
}

BOOST_AUTO_TEST_CASE(no_mountinfo_falls_back_to_the_standard_layout) {
    test::TempTree tree;
    tree.write("proc/self/cgroup", "4:memory:/docker/abc\n");
    tree.write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "536870912\n");
    auto limits = limits_for(tree.roots());
    BOOST_TEST(limits.version == "v1");
    BOOST_TEST(**limits.memory_bytes == 536870912U);
    BOOST_TEST(!limits.pids.ok());
}

BOOST_AUTO_TEST_CASE(garbage_limit_is_an_error_not_a_limit) {
    test::TempTree tree("numeric-uid-root-group");
    tree.write("sys/fs/cgroup/memory.max", "lots\n");
    tree.write("sys/fs/cgroup/cpu.max", "x y\n");
    auto limits = limits_for(tree.roots());
    BOOST_TEST_REQUIRE(!limits.memory_bytes.ok());
    BOOST_TEST(test::contains(limits.memory_bytes.error(), "invalid"));
    BOOST_TEST(!limits.cpus.ok());
}

BOOST_AUTO_TEST_CASE(empty_proc_cgroup_and_no_cgroup_fs_are_errors) {
    auto limits = limits_for(Roots::under(test::fixture("gvisor-like")));
    BOOST_TEST(!limits.memory_bytes.ok());
    BOOST_TEST(!limits.cpus.ok());
    BOOST_TEST(!limits.pids.ok());
}

BOOST_AUTO_TEST_CASE(limit_values_parse_max_and_numbers_only) {
    BOOST_TEST(!parse_limit_value("max\n")->has_value());
    BOOST_TEST(**parse_limit_value("42") == 42U);
    BOOST_TEST(!parse_limit_value("-1").ok());
    BOOST_TEST(!parse_limit_value("").ok());
    BOOST_TEST(**parse_cpu_max("150000 100000") == 1.5);
    BOOST_TEST(!parse_cpu_max("max 100000")->has_value());
    BOOST_TEST(!parse_cpu_max("100 0").ok());
}

BOOST_AUTO_TEST_SUITE_END()
