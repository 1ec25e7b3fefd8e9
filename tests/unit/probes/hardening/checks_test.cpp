// The check table itself: ids, texts, and the rule that a check that cannot run says skip.
#include <boost/test/unit_test.hpp>
#include <regex>
#include <set>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(checks_test)

BOOST_AUTO_TEST_CASE(ids_are_unique_kebab_case) {
    std::regex kebab("[a-z0-9]+(-[a-z0-9]+)*");
    std::set<std::string_view> seen;
    for (const auto& spec : check_table()) {
        BOOST_TEST(std::regex_match(std::string(spec.id), kebab), spec.id);
        BOOST_TEST(seen.insert(spec.id).second, spec.id);
    }
    BOOST_TEST(seen.size() >= 30U);
}

BOOST_AUTO_TEST_CASE(every_check_has_a_title_reason_and_fix) {
    for (const auto& spec : check_table()) {
        BOOST_TEST(!spec.title.empty(), spec.id);
        BOOST_TEST(!spec.why.empty(), spec.id);
        BOOST_TEST(!spec.fix.empty(), spec.id);
        BOOST_TEST(spec.why.find('\n') == std::string_view::npos, spec.id);
    }
}

BOOST_AUTO_TEST_CASE(every_finding_has_observed_and_expected_values) {
    for (const auto& finding : run_checks(test::facts_for("privileged-root"))) {
        BOOST_TEST(!finding.observed.empty(), finding.id);
        BOOST_TEST(!finding.expected.empty(), finding.id);
    }
}

BOOST_AUTO_TEST_CASE(a_root_with_nothing_in_it_never_passes_what_it_cannot_see) {
    // Checks that still have something to look at without /proc: files in the image.
    std::set<std::string> may_pass = {
        "service-account-token", "no-runtime-socket", "leftover-files",
        "setuid-files",          "no-shells",         "unique-ids",
        "no-empty-passwords"};
    test::TempTree tree;
    for (const auto& finding : run_checks(tree.facts())) {
        if (may_pass.count(finding.id) == 0) {
            BOOST_TEST(finding.status == Status::Skip, finding.id << ": " << finding.observed);
        }
    }
}

BOOST_AUTO_TEST_CASE(skips_say_unknown_and_why) {
    for (const auto& finding : run_checks(test::facts_for("empty-files"))) {
        if (finding.status == Status::Skip) {
            BOOST_TEST(finding.observed.starts_with("unknown: "), finding.id);
            BOOST_TEST(finding.observed.size() > 10U, finding.id);
        }
    }
}

BOOST_AUTO_TEST_CASE(overall_status_ignores_skips) {
    std::vector<Finding> findings(2);
    findings[0].status = Status::Pass;
    findings[1].status = Status::Skip;
    BOOST_TEST(overall_status(findings) == Status::Pass);
    findings[1].status = Status::Warn;
    BOOST_TEST(overall_status(findings) == Status::Warn);
}

BOOST_AUTO_TEST_SUITE_END()
