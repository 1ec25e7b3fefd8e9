#include "image/gates.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::DiveRules;
using hale::image::Gates;
using hale::image::GateStatus;
using hale::image::ImageReport;

ImageReport report(double efficiency, uint64_t dive_wasted, std::optional<double> user_ratio) {
    ImageReport r;
    r.efficiency = efficiency;
    r.dive_wasted_bytes = dive_wasted;
    r.dive_user_wasted_ratio = user_ratio;
    r.wasted_bytes = dive_wasted / 2;
    r.user_wasted_ratio = user_ratio ? std::optional<double>(*user_ratio / 2) : std::nullopt;
    return r;
}

std::vector<std::string> statuses(const std::vector<hale::image::GateResult>& results) {
    std::vector<std::string> out;
    for (const auto& result : results) {
        out.push_back(std::string(hale::image::gate_status_name(result.status)) + " " +
                      result.name);
    }
    return out;
}

DiveRules rules(const std::string& efficiency,
                const std::string& wasted,
                const std::string& user_wasted) {
    DiveRules r;
    r.lowest_efficiency = efficiency;
    r.highest_wasted_bytes = wasted;
    r.highest_user_wasted_percent = user_wasted;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gates_test)

BOOST_AUTO_TEST_CASE(sizes_read_as_go_humanize_reads_them) {
    BOOST_TEST(*hale::image::parse_bytes("20MB") == 20000000u);
    BOOST_TEST(*hale::image::parse_bytes("20Mb") == 20000000u);
    BOOST_TEST(*hale::image::parse_bytes("20mb") == 20000000u);
    BOOST_TEST(*hale::image::parse_bytes("20MiB") == 20971520u);
    BOOST_TEST(*hale::image::parse_bytes("19Mb") == 19000000u);
    BOOST_TEST(*hale::image::parse_bytes("1,000") == 1000u);
    BOOST_TEST(*hale::image::parse_bytes("1.5k") == 1500u);
    BOOST_TEST(*hale::image::parse_bytes("42") == 42u);
    BOOST_TEST(*hale::image::parse_bytes("5 GB") == 5000000000u);
}

BOOST_AUTO_TEST_CASE(sizes_that_are_not_sizes_are_refused) {
    for (const char* text : {"", "MB", "not_a_size", "20 parsecs", "99999999999EB"}) {
        BOOST_TEST(!hale::image::parse_bytes(text).ok(), text);
    }
}

BOOST_AUTO_TEST_CASE(ratios_read_as_fractions_or_percentages) {
    BOOST_TEST(*hale::image::parse_ratio("0.9", "x") == 0.9);
    BOOST_TEST(*hale::image::parse_ratio("90%", "x") == 0.9);
    BOOST_TEST(!hale::image::parse_ratio("1.1", "x").ok());
    BOOST_TEST(!hale::image::parse_ratio("-0.1", "x").ok());
    BOOST_TEST(!hale::image::parse_ratio("ninety", "x").ok());
}

BOOST_AUTO_TEST_CASE(dive_ci_file_reads_camel_case_rules) {
    std::vector<std::string> notes;
    auto parsed = hale::image::parse_dive_rules(
        "# dive ci rules\n"
        "rules:\n"
        "  # If the efficiency is measured below X%, mark as failed.\n"
        "  lowestEfficiency: 0.96\n"
        "  highestWastedBytes: 19Mb\n"
        "  highestUserWastedPercent: \"0.6\"\n",
        notes);
    BOOST_TEST_REQUIRE(parsed.ok(), hale::test::why(parsed));
    BOOST_TEST(parsed->lowest_efficiency == "0.96");
    BOOST_TEST(parsed->highest_wasted_bytes == "19Mb");
    BOOST_TEST(parsed->highest_user_wasted_percent == "0.6");
    BOOST_TEST(notes.empty());
}

BOOST_AUTO_TEST_CASE(dive_ci_file_reads_snake_case_rules_and_keeps_defaults) {
    std::vector<std::string> notes;
    auto parsed = hale::image::parse_dive_rules(
        "log:\n  level: info\nrules:\n  highest-wasted-bytes: 'off'\n  surprise: 1\n", notes);
    BOOST_TEST_REQUIRE(parsed.ok(), hale::test::why(parsed));
    BOOST_TEST(parsed->lowest_efficiency == "0.9");
    BOOST_TEST(parsed->highest_wasted_bytes == "off");
    BOOST_TEST(parsed->highest_user_wasted_percent == "0.1");
    BOOST_TEST(notes.size() == 1u);
}

BOOST_AUTO_TEST_CASE(dive_ci_file_with_misconfigured_values_is_an_error) {
    std::vector<std::string> notes;
    for (const char* file :
         {"rules:\n  lowestEfficiency: 1.1\n", "rules:\n  lowestEfficiency: -0.1\n",
          "rules:\n  highestUserWastedPercent: not_a_number\n",
          "rules:\n  highestWastedBytes: not_a_size\n"}) {
        BOOST_TEST(!hale::image::parse_dive_rules(file, notes).ok(), file);
    }
}

BOOST_AUTO_TEST_CASE(dive_rules_all_fail) {
    Gates gates;
    gates.dive = rules("0.9", "1000", "0.1");
    auto results = hale::image::evaluate_gates(gates, report(0.5, 5000, 0.5));
    BOOST_TEST(
        hale::test::joined(statuses(results)) ==
        hale::test::joined(std::vector<std::string>{
            "FAIL highestUserWastedPercent", "FAIL highestWastedBytes", "FAIL lowestEfficiency"}));
    BOOST_TEST(results[2].message ==
               "image efficiency is too low (efficiency=0.5 < threshold=0.9)");
    BOOST_TEST(results[1].message == "too many bytes wasted (wasted-bytes=5000 > threshold=1000)");
    BOOST_TEST(results[0].message ==
               "too many bytes wasted, relative to the user bytes added "
               "(%-user-wasted-bytes=0.50 > threshold=0.1)");
}

BOOST_AUTO_TEST_CASE(dive_rules_all_pass_and_show_their_values) {
    Gates gates;
    gates.dive = rules("0.9", "20MB", "0.9");
    auto results = hale::image::evaluate_gates(gates, report(0.95, 1000, 0.2));
    BOOST_TEST(
        hale::test::joined(statuses(results)) ==
        hale::test::joined(std::vector<std::string>{
            "PASS highestUserWastedPercent", "PASS highestWastedBytes", "PASS lowestEfficiency"}));
    BOOST_TEST(results[1].message == "20MB");
}

BOOST_AUTO_TEST_CASE(dive_rules_only_wasted_bytes_fails) {
    Gates gates;
    gates.dive = rules("0.9", "100", "0.9");
    auto results = hale::image::evaluate_gates(gates, report(0.95, 1000, 0.2));
    BOOST_TEST(
        hale::test::joined(statuses(results)) ==
        hale::test::joined(std::vector<std::string>{
            "PASS highestUserWastedPercent", "FAIL highestWastedBytes", "PASS lowestEfficiency"}));
}

BOOST_AUTO_TEST_CASE(dive_rules_all_disabled_skip) {
    Gates gates;
    gates.dive = rules("disabled", "off", " False ");
    auto results = hale::image::evaluate_gates(gates, report(0.1, 1 << 30, 5.0));
    BOOST_TEST(
        hale::test::joined(statuses(results)) ==
        hale::test::joined(std::vector<std::string>{
            "SKIP highestUserWastedPercent", "SKIP highestWastedBytes", "SKIP lowestEfficiency"}));
}

BOOST_AUTO_TEST_CASE(thresholds_equal_to_the_value_pass) {
    Gates gates;
    gates.dive = rules("0.5", "1000", "0.5");
    auto results = hale::image::evaluate_gates(gates, report(0.5, 1000, 0.5));
    for (const auto& result : results) {
        BOOST_TEST((result.status == GateStatus::Pass), result.name);
    }
}

BOOST_AUTO_TEST_CASE(undefined_user_ratio_never_fails) {
    Gates gates;
    gates.dive = rules("disabled", "disabled", "0.1");
    gates.max_user_wasted = 0.0;
    auto results = hale::image::evaluate_gates(gates, report(1.0, 0, std::nullopt));
    for (const auto& result : results) {
        BOOST_TEST((result.status != GateStatus::Fail), result.name);
    }
}

BOOST_AUTO_TEST_CASE(hale_gates_use_hale_wasted_bytes) {
    Gates gates;
    gates.min_efficiency = 0.9;
    gates.max_wasted = 600;
    gates.max_user_wasted = 0.2;
    // dive counts 1000 wasted bytes, hale 500: the max-wasted gate passes.
    auto results = hale::image::evaluate_gates(gates, report(0.8, 1000, 0.5));
    BOOST_TEST(hale::test::joined(statuses(results)) ==
               hale::test::joined(std::vector<std::string>{"FAIL min-efficiency", "PASS max-wasted",
                                                           "FAIL max-user-wasted-percent"}));
}

BOOST_AUTO_TEST_CASE(floats_print_as_go_prints_them) {
    BOOST_TEST(hale::image::go_float(0.96) == "0.96");
    BOOST_TEST(hale::image::go_float(0.5763877779555271) == "0.5763877779555271");
    BOOST_TEST(hale::image::go_float(1.0) == "1");
    BOOST_TEST(hale::image::go_float(std::nan("")) == "NaN");
}

BOOST_AUTO_TEST_SUITE_END()
