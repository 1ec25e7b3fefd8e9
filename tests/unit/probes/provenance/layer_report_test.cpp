#include "probes/provenance/layer_report.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/unit/probes/hardening/fixture.hpp"

using namespace hale::probes::provenance;
using hale::probes::hardening::test::contains;
using hale::probes::hardening::test::TempTree;
using nlohmann::ordered_json;

namespace hale::probes::provenance {

// Boost.Test prints both sides of a failed comparison.
inline std::ostream& operator<<(std::ostream& out, ImageMatch match) {
    return out << match_name(match);
}

}  // namespace hale::probes::provenance

namespace {

const std::string kReportPath =
    std::string(HALE_TEST_DATA) + "/provenance/app/etc/hale/layers.json";
const std::string kDigest =
    "sha256:d62313a65a35776e39b085bd03fa87469018b62070019b044d858d9b1c2885f7";

ordered_json fixture_json() {
    std::ifstream file(kReportPath);
    std::stringstream text;
    text << file.rdbuf();
    return ordered_json::parse(text.str());
}

LayerReading reading_of(const std::string& text) {
    TempTree tree;
    tree.write("layers.json", text);
    return read_layer_report(tree.at("layers.json"), true);
}

bool any_warning(const std::vector<std::string>& warnings, std::string_view part) {
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& warning) { return contains(warning, part); });
}

RunningImage running_with(const LayerReport& report, size_t extra_layers) {
    RunningImage running{"sha256:" + std::string(64, 'e'), {}};
    for (const auto& layer : report.layers) {
        running.diff_ids.push_back(layer.diff_id);
    }
    for (size_t i = 0; i < extra_layers; ++i) {
        running.diff_ids.push_back("sha256:" + std::string(64, static_cast<char>('a' + i)));
    }
    return running;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_report_test)

BOOST_AUTO_TEST_CASE(report_written_by_inspect_is_read_whole) {
    auto reading = read_layer_report(kReportPath, false);
    BOOST_REQUIRE(reading.report);
    const auto& report = *reading.report;
    BOOST_TEST(reading.warnings.empty());
    BOOST_TEST(report.config_digest == kDigest);
    BOOST_TEST(report.layers.size() == 3U);
    BOOST_TEST(*report.wasted_bytes == 300000U);
    BOOST_TEST(*report.total_bytes == 600006U);
    BOOST_TEST(*report.score == 42);
    BOOST_TEST(report.layers[1].size_bytes.value() == 300000U);
    BOOST_TEST(contains(report.layers[2].command, "COPY file:"));
    BOOST_TEST(report.ghosts.size() == 1U);
    BOOST_TEST(report.ghosts[0].path == "/data/big.bin");
    BOOST_TEST(report.ghosts[0].to_layer == 2U);
    BOOST_TEST(report.findings.size() == 2U);
    BOOST_TEST(report.gates_result == "pass");
    BOOST_TEST(*report.runs_as_root == true);
}

BOOST_AUTO_TEST_CASE(absent_file_at_the_default_path_is_no_report_and_no_warning) {
    TempTree tree;
    auto reading = read_layer_report(tree.at("layers.json"), false);
    BOOST_TEST(!reading.report);
    BOOST_TEST(reading.warnings.empty());
    BOOST_TEST(read_layer_report(tree.at("layers.json"), true).warnings.size() == 1U);
}

BOOST_AUTO_TEST_CASE(another_schema_is_not_served_at_all) {
    auto doc = fixture_json();
    doc["schema"] = "hale.inspect.report/v2";
    auto reading = reading_of(doc.dump());
    BOOST_TEST(!reading.report);
    BOOST_TEST(any_warning(reading.warnings, "expected \"hale.inspect.report/v1\""));

    doc.erase("schema");
    BOOST_TEST(!reading_of(doc.dump()).report);
}

BOOST_AUTO_TEST_CASE(members_of_wrong_type_are_left_out_and_the_rest_served) {
    auto doc = fixture_json();
    doc["wasted_bytes"] = "300000";
    doc["efficiency"] = "high";
    doc["layers"][1]["size_bytes"] = -5;
    doc["layers"][2] = "not a layer";
    doc["ghosts"][0]["layers"] = "1-2";
    doc["image"]["runs_as_root"] = "yes";
    auto reading = reading_of(doc.dump());
    BOOST_REQUIRE(reading.report);
    const auto& report = *reading.report;
    BOOST_TEST(!report.wasted_bytes);
    BOOST_TEST(!report.efficiency);
    BOOST_TEST(!report.runs_as_root);
    BOOST_TEST(report.layers.size() == 2U);
    BOOST_TEST(!report.layers[1].size_bytes);
    BOOST_TEST(report.layers[0].size_bytes.value() == 6U);
    BOOST_TEST(*report.total_bytes == 600006U);
    BOOST_TEST(report.config_digest == kDigest);
    BOOST_TEST(any_warning(reading.warnings, "invalid wasted_bytes in"));
    BOOST_TEST(any_warning(reading.warnings, "invalid layers[1].size_bytes in"));
    BOOST_TEST(any_warning(reading.warnings, "invalid layers[2] in"));
    BOOST_TEST(any_warning(reading.warnings, "invalid ghosts[0].layers in"));
}

BOOST_AUTO_TEST_CASE(missing_members_are_warned_about_and_the_rest_served) {
    auto doc = fixture_json();
    doc.erase("layers");
    doc.erase("wasted_bytes");
    doc.erase("image");
    auto reading = reading_of(doc.dump());
    BOOST_REQUIRE(reading.report);
    BOOST_TEST(reading.report->layers.empty());
    BOOST_TEST(reading.report->config_digest.empty());
    BOOST_TEST(*reading.report->total_bytes == 600006U);
    BOOST_TEST(any_warning(reading.warnings, "no layers[] in"));
    BOOST_TEST(any_warning(reading.warnings, "no wasted_bytes in"));
    BOOST_TEST(any_warning(reading.warnings, "cannot say which image"));
}

BOOST_AUTO_TEST_CASE(a_digest_that_is_not_sha256_hex_is_not_trusted) {
    auto doc = fixture_json();
    doc["image"]["config_digest"] = "sha256:../../etc/passwd";
    auto reading = reading_of(doc.dump());
    BOOST_REQUIRE(reading.report);
    BOOST_TEST(reading.report->config_digest.empty());
    BOOST_TEST(any_warning(reading.warnings, "expected sha256: and 64 hex digits"));
}

BOOST_AUTO_TEST_CASE(a_file_over_the_cap_is_refused) {
    auto doc = fixture_json();
    doc["layers"][0]["command"] = std::string(1100 * 1024, 'x');
    auto reading = reading_of(doc.dump());
    BOOST_TEST(!reading.report);
    BOOST_TEST(any_warning(reading.warnings, "larger than 1048576 bytes"));
}

BOOST_AUTO_TEST_CASE(long_commands_are_cut_and_layer_counts_capped) {
    auto doc = fixture_json();
    auto layer = doc["layers"][0];
    doc["layers"][0]["command"] = std::string(5000, 'x');
    for (int i = 0; i < 300; ++i) {
        doc["layers"].push_back(layer);
    }
    auto reading = reading_of(doc.dump());
    BOOST_REQUIRE(reading.report);
    BOOST_TEST(reading.report->layers.size() == 256U);
    BOOST_TEST(reading.report->layers[0].command.size() == 1027U);
    BOOST_TEST(any_warning(reading.warnings, "kept the first 256 of 303 layers"));
}

BOOST_AUTO_TEST_CASE(garbage_is_one_warning) {
    for (const char* text : {"", "not json", "[1,2]", "\"string\""}) {
        auto reading = reading_of(text);
        BOOST_TEST(!reading.report, text);
        BOOST_TEST(reading.warnings.size() == 1U, text);
    }
}

BOOST_AUTO_TEST_CASE(same_digest_means_the_running_image) {
    auto report = *read_layer_report(kReportPath, false).report;
    RunningImage running{kDigest, {}};
    BOOST_TEST(match_running_image(report, &running).match == ImageMatch::Same);
}

BOOST_AUTO_TEST_CASE(reported_layers_at_the_bottom_of_the_running_image_are_below_it) {
    auto report = *read_layer_report(kReportPath, false).report;
    auto running = running_with(report, 1);
    auto verdict = match_running_image(report, &running);
    BOOST_TEST(verdict.match == ImageMatch::Below);
    BOOST_TEST(contains(verdict.detail, "3 bottom layers"));
    BOOST_TEST(contains(verdict.detail, "adds 1 layer above them"));
}

BOOST_AUTO_TEST_CASE(other_layers_are_a_different_image) {
    auto report = *read_layer_report(kReportPath, false).report;
    auto running = running_with(report, 1);
    running.diff_ids[0] = "sha256:" + std::string(64, 'f');
    BOOST_TEST(match_running_image(report, &running).match == ImageMatch::Different);

    // The same layers and no more, under another ID: rebuilt with another config.
    auto same_layers = running_with(report, 0);
    BOOST_TEST(match_running_image(report, &same_layers).match == ImageMatch::Different);
}

BOOST_AUTO_TEST_CASE(without_the_running_image_the_match_is_unknown) {
    auto report = *read_layer_report(kReportPath, false).report;
    BOOST_TEST(match_running_image(report, nullptr).match == ImageMatch::Unknown);
    BOOST_TEST(std::string(match_name(ImageMatch::Unknown)) == "unknown");
}

BOOST_AUTO_TEST_SUITE_END()
