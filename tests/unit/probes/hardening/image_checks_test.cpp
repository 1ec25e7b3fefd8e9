// Shells and tools, setuid files, leftovers and secret-looking environment names.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;
using test::check;
using test::contains;

BOOST_AUTO_TEST_SUITE(image_checks_test)

BOOST_AUTO_TEST_CASE(scratch_image_has_no_shells) {
    BOOST_TEST(check(test::facts_for("numeric-uid-root-group"), "no-shells").status ==
               Status::Pass);
}

BOOST_AUTO_TEST_CASE(shells_and_tools_are_listed_once_through_the_bin_link) {
    auto finding = check(test::facts_for("privileged-root"), "no-shells");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(finding.observed == "shells: /usr/bin/sh, /usr/bin/bash; tools: /usr/bin/curl");
}

BOOST_AUTO_TEST_CASE(setuid_file_warns_unless_no_new_privs_is_set) {
    test::TempTree tree("numeric-uid-root-group");
    tree.write("usr/bin/passwd", "");
    ::chmod(tree.at("usr/bin/passwd").c_str(), 04755);
    auto finding = check(tree.facts(), "setuid-files");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(finding.observed == "/usr/bin/passwd (setuid)");

    tree.write("proc/self/status", "Uid:\t10001\t10001\t10001\t10001\nNoNewPrivs:\t1\n");
    auto inert = check(tree.facts(), "setuid-files");
    BOOST_TEST(inert.status == Status::Pass);
    BOOST_TEST(contains(inert.observed, "inert"));
}

BOOST_AUTO_TEST_CASE(no_setuid_file_passes_with_the_walk_size) {
    auto finding = check(test::facts_for("numeric-uid-root-group"), "setuid-files");
    BOOST_TEST(finding.status == Status::Pass);
    BOOST_TEST(contains(finding.observed, "entries"));
}

BOOST_AUTO_TEST_CASE(capped_walk_says_it_stopped) {
    test::TempTree tree("numeric-uid-root-group");
    auto facts = collect_facts(tree.roots(), 3);
    BOOST_TEST(contains(check(facts, "setuid-files").observed, "cap"));
}

BOOST_AUTO_TEST_CASE(capped_walk_that_found_nothing_warns_instead_of_passing) {
    test::TempTree tree("numeric-uid-root-group");
    auto facts = collect_facts(tree.roots(), 3);
    BOOST_TEST(check(facts, "setuid-files").status == Status::Warn);
    BOOST_TEST(check(facts, "leftover-files").status == Status::Warn);
}

BOOST_AUTO_TEST_CASE(leftover_files_warn) {
    // git cannot commit a .git directory inside a fixture, so the test adds it.
    test::TempTree tree("privileged-root");
    tree.write("app/.git/HEAD", "ref: refs/heads/main\n");
    auto finding = check(collect_facts(tree.roots()), "leftover-files");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "/app/.git/"));
}

BOOST_AUTO_TEST_CASE(secret_env_names_are_listed_and_values_never) {
    auto finding = check(test::facts_for("privileged-root"), "secret-env");
    BOOST_TEST(finding.status == Status::Warn);
    BOOST_TEST(contains(finding.observed, "AWS_SECRET_ACCESS_KEY"));
    BOOST_TEST(!contains(finding.observed, "wJalrXUtnFEMI"));
    BOOST_TEST(!contains(finding.observed, "DB_PASSWORD_FILE"));
    BOOST_TEST(!contains(finding.observed, "GPG_KEY"));
}

BOOST_AUTO_TEST_CASE(missing_environ_skips_secret_env) {
    test::TempTree tree;
    BOOST_TEST(check(tree.facts(), "secret-env").status == Status::Skip);
}

BOOST_AUTO_TEST_SUITE_END()
