// The identity checks on fixture trees: who the process is and what /etc says about it.
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;
using test::check;
using test::contains;

BOOST_AUTO_TEST_SUITE(identity_checks_test)

BOOST_AUTO_TEST_CASE(numeric_uid_passes_non_root_user) {
    auto finding = check(test::facts_for("numeric-uid-root-group"), "non-root-user");
    BOOST_TEST(finding.status == Status::Pass);
    BOOST_TEST(finding.observed == "uid 10001");
}

BOOST_AUTO_TEST_CASE(root_fails_non_root_user_with_the_fix) {
    auto finding = check(test::facts_for("privileged-root"), "non-root-user");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.fix, "USER 10001:10001"));
}

BOOST_AUTO_TEST_CASE(saved_uid_zero_fails_non_root_user) {
    test::TempTree tree("numeric-uid-root-group");
    tree.write("proc/self/status", "Uid:\t10001\t10001\t0\t10001\nGid:\t1\t1\t1\t1\n");
    auto finding = check(tree.facts(), "non-root-user");
    BOOST_TEST(finding.status == Status::Fail);
    BOOST_TEST(contains(finding.observed, "regained"));
}

BOOST_AUTO_TEST_CASE(missing_status_skips_instead_of_passing) {
    auto facts = test::facts_for("empty-files");
    for (auto id :
         {"non-root-user", "high-uid", "non-root-group", "passwd-entry", "no-login-shell"}) {
        BOOST_TEST(check(facts, id).status == Status::Skip, id);
    }
}

BOOST_AUTO_TEST_CASE(high_uid_threshold_follows_the_option) {
    auto facts = test::facts_for("numeric-uid-root-group");
    BOOST_TEST(check(facts, "high-uid").status == Status::Pass);
    auto strict = check(facts, "high-uid", CheckOptions{20000});
    BOOST_TEST(strict.status == Status::Warn);
    BOOST_TEST(contains(strict.expected, "20000"));
}

BOOST_AUTO_TEST_CASE(uid_1000_warns_even_above_a_low_threshold) {
    test::TempTree tree;
    tree.write("proc/self/status", "Uid:\t1000\t1000\t1000\t1000\n");
    BOOST_TEST(check(tree.facts(), "high-uid", CheckOptions{100}).status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(root_group_warns_for_gid_zero_and_group_zero) {
    auto finding = check(test::facts_for("numeric-uid-root-group"), "non-root-group");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(finding.observed == "gid 0, groups 0");
    test::TempTree tree;
    tree.write("proc/self/status", "Gid:\t10001\t10001\t10001\t10001\nGroups:\t10001 0\n");
    BOOST_TEST(check(tree.facts(), "non-root-group").status == Status::Warn);
    BOOST_TEST(check(test::facts_for("readonly-root-docker-sock"), "non-root-group").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(no_passwd_file_passes_passwd_entry_as_a_distinct_state) {
    auto finding = check(test::facts_for("numeric-uid-root-group"), "passwd-entry");
    BOOST_TEST(finding.status == Status::Pass);
    BOOST_TEST(contains(finding.observed, "no /etc/passwd"));
}

BOOST_AUTO_TEST_CASE(passwd_without_the_uid_warns_and_counts_nis_lines) {
    test::TempTree tree("numeric-uid-root-group");
    tree.write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n+::::::\n+@admins");
    auto finding = check(tree.facts(), "passwd-entry");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "uid 10001 has no line"));
    BOOST_TEST(contains(finding.observed, "2 NIS compat lines"));
}

BOOST_AUTO_TEST_CASE(named_user_with_nologin_passes_both_account_checks) {
    auto facts = test::facts_for("readonly-root-docker-sock");
    auto entry = check(facts, "passwd-entry");
    BOOST_TEST(entry.status == Status::Pass);
    BOOST_TEST(contains(entry.observed, "'app'"));
    auto shell = check(facts, "no-login-shell");
    BOOST_TEST(shell.status == Status::Pass);
    BOOST_TEST(contains(shell.observed, "/usr/sbin/nologin"));
}

BOOST_AUTO_TEST_CASE(login_shell_warns_and_says_when_it_is_absent) {
    auto finding = check(test::facts_for("privileged-root"), "no-login-shell");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(finding.observed == "'root' has /bin/bash");
    test::TempTree tree("readonly-root-docker-sock");
    tree.write("etc/passwd", "app:x:10001:10001::/home/app:/bin/zsh");
    auto absent = check(tree.facts(), "no-login-shell");
    BOOST_TEST(absent.status == Status::Warn);
    BOOST_TEST(contains(absent.observed, "not in the image"));
}

BOOST_AUTO_TEST_CASE(empty_shell_field_counts_as_bin_sh) {
    test::TempTree tree("readonly-root-docker-sock");
    tree.write("etc/passwd", "app:x:10001:10001::/home/app:\n");
    auto finding = check(tree.facts(), "no-login-shell");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "/bin/sh (empty field)"));
}

BOOST_AUTO_TEST_CASE(duplicate_uids_and_gids_are_named) {
    auto finding = check(test::facts_for("privileged-root"), "unique-ids");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "uid 0 (root/toor)"));
    BOOST_TEST(contains(finding.observed, "gid 0 (root/wheel)"));
    BOOST_TEST(check(test::facts_for("readonly-root-docker-sock"), "unique-ids").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(empty_passwords_in_passwd_and_readable_shadow_are_named) {
    auto finding = check(test::facts_for("privileged-root"), "no-empty-passwords");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "games (passwd)"));
    BOOST_TEST(contains(finding.observed, "lp (shadow)"));
    BOOST_TEST(!contains(finding.observed, "$y$"));
}

BOOST_AUTO_TEST_SUITE_END()
