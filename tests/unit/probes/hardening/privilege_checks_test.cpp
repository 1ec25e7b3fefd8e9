// Capabilities, no_new_privs, seccomp, LSM, kernel knobs and ASLR on fixture trees.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;
using test::check;
using test::contains;

BOOST_AUTO_TEST_SUITE(privilege_checks_test)

BOOST_AUTO_TEST_CASE(no_capabilities_held_passes) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "capabilities").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(every_capability_fails_and_is_named_as_all) {
    auto finding = check(test::facts_for("privileged-root"), "capabilities");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "all 41 capabilities"));
}

BOOST_AUTO_TEST_CASE(docker_default_set_as_root_warns) {
    test::TempTree tree;
    tree.write("proc/self/status",
               "CapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapAmb:\t0000000000000000\n");
    auto finding = check(tree.facts(), "capabilities");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(!contains(finding.observed, "beyond"));
}

BOOST_AUTO_TEST_CASE(added_sys_admin_fails_and_is_named_as_added) {
    test::TempTree tree;
    tree.write("proc/self/status",
               "CapPrm:\t00000000a82425fb\nCapEff:\t00000000a82425fb\nCapAmb:\t0000000000000000\n");
    auto finding = check(tree.facts(), "capabilities");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "beyond Docker's default set: cap_sys_admin"));
}

BOOST_AUTO_TEST_CASE(ambient_capability_of_a_non_root_user_warns) {
    test::TempTree tree;
    tree.write("proc/self/status",
               "CapPrm:\t0000000000000400\nCapEff:\t0000000000000400\nCapAmb:\t0000000000000400\n");
    auto finding = check(tree.facts(), "capabilities");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "ambient cap_net_bind_service"));
}

BOOST_AUTO_TEST_CASE(unknown_bounding_bit_is_kept_as_a_number) {
    auto finding = check(test::facts_for("gvisor-like"), "bounding-set");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "cap_63"));
}

BOOST_AUTO_TEST_CASE(bounding_set_is_out_of_reach_with_no_new_privs) {
    auto finding = check(test::facts_for("readonly-root-docker-sock"), "bounding-set");
    BOOST_TEST(finding.status == Status::Pass);
    BOOST_TEST(contains(finding.observed, "no_new_privs"));
}

BOOST_AUTO_TEST_CASE(full_bounding_set_from_cap_last_cap_is_privileged) {
    BOOST_TEST(check(test::facts_for("privileged-root"), "not-privileged").status == Status::Fail);
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "not-privileged").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(privileged_without_every_capability_is_seen_from_open_sys_and_proc_sys) {
    // An engine that itself lacks cap_sys_resource hands a privileged container the rest.
    test::TempTree tree("privileged-root");
    tree.write("proc/self/status", "CapEff:\t0000000000000000\nCapBnd:\t000001fffeffffff\n");
    auto finding = check(tree.facts(), "not-privileged");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "all but cap_sys_resource"));
    BOOST_TEST(contains(finding.observed, "/sys rw, /proc/sys rw"));
}

BOOST_AUTO_TEST_CASE(added_sys_admin_with_read_only_sys_is_not_privileged) {
    test::TempTree tree("numeric-uid-root-group");
    tree.write("proc/self/status", "CapEff:\t0000000000000000\nCapBnd:\t00000000a82425fb\n");
    BOOST_TEST(check(tree.facts(), "not-privileged").status == Status::Pass);
}

BOOST_AUTO_TEST_CASE(older_kernel_full_mask_is_privileged_there) {
    test::TempTree tree("privileged-root");
    tree.write("proc/sys/kernel/cap_last_cap", "37\n");
    tree.write("proc/self/status", "CapEff:\t0000000000000000\nCapBnd:\t0000003fffffffff\n");
    BOOST_TEST(check(tree.facts(), "not-privileged").status == Status::Fail);
}

BOOST_AUTO_TEST_CASE(no_new_privs_pass_fail_and_skip_when_missing) {
    BOOST_TEST(check(test::facts_for("readonly-root-docker-sock"), "no-new-privileges").status ==
               Status::Pass);
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "no-new-privileges").status ==
               Status::Fail);
    auto missing = check(test::facts_for("gvisor-like"), "no-new-privileges");
    BOOST_TEST(missing.status == Status::Skip);
    BOOST_TEST(contains(missing.observed, "unknown"));
}

BOOST_AUTO_TEST_CASE(seccomp_filter_passes_and_disabled_fails) {
    auto filter = check(test::facts_for("numeric-uid-root-group"), "seccomp");
    BOOST_TEST(filter.status == Status::Pass);
    BOOST_TEST(filter.observed == "Seccomp: 2 (filter), 1 filters");
    BOOST_TEST(check(test::facts_for("privileged-root"), "seccomp").status == Status::Fail);
}

BOOST_AUTO_TEST_CASE(missing_seccomp_field_is_unknown_not_disabled) {
    auto finding = check(test::facts_for("gvisor-like"), "seccomp");
    BOOST_TEST(finding.status == Status::Skip);
    BOOST_TEST(contains(finding.observed, "gVisor"));
}

BOOST_AUTO_TEST_CASE(apparmor_enforce_passes_and_unconfined_warns) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "lsm-confined").status ==
               Status::Pass);
    BOOST_TEST(check(test::facts_for("privileged-root"), "lsm-confined").status == Status::Warn);
    test::TempTree tree;
    tree.write("proc/self/attr/apparmor/current", "my-profile (complain)\n");
    BOOST_TEST(check(tree.facts(), "lsm-confined").status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(selinux_spc_t_warns_and_container_t_passes) {
    test::TempTree tree;
    tree.write("proc/self/attr/current", "system_u:system_r:spc_t:s0");
    BOOST_TEST(check(tree.facts(), "lsm-confined").status == Status::Warn);
    tree.write("proc/self/attr/current", "system_u:system_r:container_t:s0:c1,c2");
    BOOST_TEST(check(tree.facts(), "lsm-confined").status == Status::Pass);
    tree.write("sys/fs/selinux/enforce", "0\n");
    BOOST_TEST(check(tree.facts(), "lsm-confined").status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(no_lsm_label_skips) {
    BOOST_TEST(check(test::facts_for("gvisor-like"), "lsm-confined").status == Status::Skip);
}

BOOST_AUTO_TEST_CASE(writable_core_pattern_fails_kernel_knobs) {
    auto finding = check(test::facts_for("privileged-root"), "kernel-knobs");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "/proc/sys/kernel/core_pattern"));
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "kernel-knobs").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(aslr_full_passes_off_warns_garbage_skips) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "aslr").status == Status::Pass);
    BOOST_TEST(check(test::facts_for("privileged-root"), "aslr").status == Status::Warn);
    test::TempTree tree;
    tree.write("proc/sys/kernel/randomize_va_space", "7\n");
    BOOST_TEST(check(tree.facts(), "aslr").status == Status::Skip);
}

BOOST_AUTO_TEST_SUITE_END()
