// The shared image fixtures (../shared/fixtures/images next to the checkout) must give the
// values in their expected.json: dive's figures, layers, inefficient paths and ghost files.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "image/inspect.hpp"
#include "tests/unit/image/image_builder.hpp"

namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

fs::path fixture_dir() {
    const char* shared = std::getenv("HALE_SHARED_DIR");
    return fs::path(shared != nullptr ? shared : HALE_SHARED_DIR) / "fixtures" / "images";
}

boost::test_tools::assertion_result fixtures_present(boost::unit_test::test_unit_id /*unit*/) {
    boost::test_tools::assertion_result present = fs::exists(fixture_dir() / "expected.json");
    present.message() << "skipped: " << fixture_dir().string()
                      << " is absent (a checkout without ../shared)";
    return present;
}

Json expected_for(const std::string& name) {
    std::ifstream file(fixture_dir() / "expected.json");
    return Json::parse(file).at(name);
}

std::string octal_mode(const std::string& text) {
    return std::string(4 - (text.size() - 2), '0') + text.substr(2);  // "0o644" -> "0644"
}

const char* const kImages[] = {
    "test-kaniko-image.tar",
    "test-oci-uncompressed-image.tar",
    "test-oci-gzip-image.tar",
    "test-oci-zstd-image.tar",
    "test-oci-estargz-image.tar",
    "synthetic-ghost-docker-archive.tar",
    "synthetic-ghost-docker-archive.tar.gz",
    "synthetic-ghost-oci-gzip.tar",
};

const char* const kNotImages[] = {
    "test-uncompressed-image.tar",
    "test-gzip-image.tar",
    "test-zstd-image.tar",
    "test-estargz-image.tar",
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fixtures_test, *boost::unit_test::precondition(fixtures_present))

BOOST_DATA_TEST_CASE(image_totals_match_dive, boost::unit_test::data::make(kImages), name) {
    Json expected = expected_for(name);
    auto report = hale::image::inspect_image((fixture_dir() / name).string(), {});
    BOOST_TEST_REQUIRE(report.ok(), name << ": " << hale::test::why(report));
    BOOST_TEST(report->efficiency == expected["efficiency"].get<double>());
    BOOST_TEST(report->total_bytes == expected["sizeBytes"].get<uint64_t>());
    BOOST_TEST(report->user_bytes == expected["userSizeBytes"].get<uint64_t>());
    BOOST_TEST(report->dive_wasted_bytes == expected["wastedBytes"].get<uint64_t>());
    if (expected["wastedUserPercent"].is_null()) {
        BOOST_TEST(!report->dive_user_wasted_ratio.has_value());
    } else {
        BOOST_TEST_REQUIRE(report->dive_user_wasted_ratio.has_value());
        BOOST_TEST(*report->dive_user_wasted_ratio == expected["wastedUserPercent"].get<double>());
    }
}

BOOST_DATA_TEST_CASE(layers_match_dive, boost::unit_test::data::make(kImages), name) {
    Json expected = expected_for(name);
    auto report = hale::image::inspect_image((fixture_dir() / name).string(), {});
    BOOST_TEST_REQUIRE(report.ok());
    const auto& layers = expected["layers"];
    BOOST_TEST_REQUIRE(report->layers.size() == layers.size());
    for (size_t i = 0; i < layers.size(); ++i) {
        const auto& layer = report->layers[i];
        BOOST_TEST(layer.diff_id == layers[i]["digest"].get<std::string>());
        BOOST_TEST(layer.size_bytes == layers[i]["sizeBytes"].get<uint64_t>());
        BOOST_TEST(layer.tree_nodes == layers[i]["treeNodes"].get<uint64_t>());
        BOOST_TEST_REQUIRE(layer.command.has_value());
        BOOST_TEST(*layer.command == layers[i]["command"].get<std::string>());
    }
    // Every layer hashes to its diff_id, so there is nothing to warn about.
    BOOST_TEST(report->warnings.empty());
}

BOOST_DATA_TEST_CASE(inefficient_paths_match_dive, boost::unit_test::data::make(kImages), name) {
    Json expected = expected_for(name);
    auto report = hale::image::inspect_image((fixture_dir() / name).string(), {});
    BOOST_TEST_REQUIRE(report.ok());
    // dive orders ties arbitrarily, so the rows compare as sets and the order by size only.
    using Row = std::tuple<std::string, uint32_t, uint64_t, uint64_t>;
    std::set<Row> want;
    for (const auto& item : expected["inefficiencies"]) {
        want.emplace(item["path"], item["count"], item["cumulativeSize"], item["minSize"]);
    }
    std::set<Row> got;
    for (const auto& item : report->inefficiencies) {
        got.emplace(item.path, item.count, item.cumulative_bytes, item.minimum_bytes);
    }
    BOOST_TEST(got == want);
    for (size_t i = 1; i < report->inefficiencies.size(); ++i) {
        BOOST_TEST(report->inefficiencies[i - 1].cumulative_bytes >=
                   report->inefficiencies[i].cumulative_bytes);
    }
}

BOOST_DATA_TEST_CASE(ghost_files_match_expected, boost::unit_test::data::make(kImages), name) {
    Json expected = expected_for(name);
    auto report = hale::image::inspect_image((fixture_dir() / name).string(), {});
    BOOST_TEST_REQUIRE(report.ok());
    using Row = std::tuple<std::string, uint32_t, uint32_t, uint64_t, std::string, std::string,
                           uint32_t, uint32_t>;
    std::set<Row> want;
    for (const auto& ghost : expected["ghosts"]) {
        want.emplace(ghost["path"], ghost["fromLayer"], ghost["toLayer"], ghost["size"],
                     octal_mode(ghost["modeBefore"]), octal_mode(ghost["modeAfter"]),
                     ghost["uidBefore"], ghost["uidAfter"]);
    }
    std::set<Row> got;
    for (const auto& ghost : report->ghosts) {
        got.emplace(ghost.path, ghost.from_layer, ghost.to_layer, ghost.bytes, ghost.mode_before,
                    ghost.mode_after, ghost.uid_before, ghost.uid_after);
    }
    BOOST_TEST(got == want);
}

BOOST_DATA_TEST_CASE(plain_root_filesystem_tars_are_not_images,
                     boost::unit_test::data::make(kNotImages),
                     name) {
    Json expected = expected_for(name);
    BOOST_TEST(expected["expect"].get<std::string>() == "not an image archive");
    auto report = hale::image::inspect_image((fixture_dir() / name).string(), {});
    BOOST_TEST_REQUIRE(!report.ok());
    BOOST_TEST(report.error().find("not an image archive") == 0u, hale::test::why(report));
}

BOOST_AUTO_TEST_SUITE_END()
