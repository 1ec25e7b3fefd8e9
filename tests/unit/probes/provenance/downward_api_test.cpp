#include "probes/provenance/downward_api.hpp"

#include <boost/test/unit_test.hpp>
#include <map>

#include "tests/unit/probes/hardening/fixture.hpp"

using namespace hale::probes::provenance;
using hale::probes::hardening::test::contains;
using hale::probes::hardening::test::TempTree;

namespace {

hale::probes::EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        auto found = values.find(name);
        if (found == values.end()) {
            return std::nullopt;
        }
        return found->second;
    };
}

const hale::probes::EnvLookup kNoEnv = env_of({});

std::string podinfo_fixture() {
    return std::string(HALE_TEST_DATA) + "/provenance/app/etc/podinfo";
}

bool any_warning(const std::vector<std::string>& warnings, std::string_view part) {
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& warning) { return contains(warning, part); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(downward_api_test)

BOOST_AUTO_TEST_CASE(map_lines_unquote_as_go_quotes_them) {
    auto map = parse_podinfo_map(
        "app=\"web\"\n"
        "note=\"line\\nnext \\\"quoted\\\" \\u00e9 \\U0001F600 \\x41 \\101 \\t\\\\\"\n"
        "empty=\"\"",
        "labels");
    BOOST_TEST(map.bad_lines.empty());
    BOOST_REQUIRE(map.entries.size() == 3U);
    BOOST_TEST(map.entries[0].first == "app");
    BOOST_TEST(map.entries[0].second == "web");
    BOOST_TEST(map.entries[1].second == "line\nnext \"quoted\" \xc3\xa9 \xf0\x9f\x98\x80 A A \t\\");
    BOOST_TEST(map.entries[2].second.empty());
}

BOOST_AUTO_TEST_CASE(values_may_hold_equals_signs_and_keys_prefixes) {
    auto map = parse_podinfo_map("example.com/query=\"a=b&c=d\"", "annotations");
    BOOST_REQUIRE(map.entries.size() == 1U);
    BOOST_TEST(map.entries[0].first == "example.com/query");
    BOOST_TEST(map.entries[0].second == "a=b&c=d");
}

BOOST_AUTO_TEST_CASE(garbage_lines_are_warned_about_by_number_and_the_rest_kept) {
    auto map = parse_podinfo_map(
        "good=\"1\"\n"
        "no equals sign\n"
        "=\"no key\"\n"
        "unquoted=value\n"
        "open=\"never closed\n"
        "bad escape=\"\\q\"\n"
        "inner=\"a\"b\"\n"
        "\n"
        "later=\"2\"",
        "/etc/podinfo/labels");
    BOOST_TEST(map.entries.size() == 2U);
    BOOST_TEST(map.bad_lines.size() == 6U);
    BOOST_TEST(contains(map.bad_lines[0], "invalid line 2 in /etc/podinfo/labels"));
    BOOST_TEST(contains(map.bad_lines[0], "expected key=\"value\""));
}

BOOST_AUTO_TEST_CASE(invalid_unicode_escapes_are_bad_lines) {
    for (const char* line :
         {"a=\"\\ud800\"", "a=\"\\U00110000\"", "a=\"\\u12\"", "a=\"\\x4\"", "a=\"trailing\\\""}) {
        BOOST_TEST(parse_podinfo_map(line, "x").bad_lines.size() == 1U, line);
    }
}

BOOST_AUTO_TEST_CASE(volume_gives_pod_identity_labels_and_image_annotations) {
    auto api = read_downward_api(podinfo_fixture(), true, kNoEnv);
    BOOST_TEST(api.pod.name == "shop-api-7d9c5b-x2x4q");
    BOOST_TEST(api.pod.namespace_name == "shop");
    BOOST_TEST(api.pod.uid == "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    BOOST_TEST(api.pod.labels.size() == 3U);
    BOOST_TEST(api.pod.labels[2].second == "payments");
    BOOST_TEST(api.image.fields.at("revision").value == "4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4");
    BOOST_TEST(api.image.fields.at("revision").source ==
               "downward-api:" + podinfo_fixture() + "/annotations");
    BOOST_TEST(api.image.warnings.empty());
}

BOOST_AUTO_TEST_CASE(annotations_that_are_not_provenance_are_never_kept) {
    auto api = read_downward_api(podinfo_fixture(), true, kNoEnv);
    BOOST_TEST(api.image.fields.size() == 2U);
    BOOST_TEST(api.image.fields.contains("documentation"));
    for (const auto& [key, value] : api.pod.labels) {
        BOOST_TEST(!contains(value, "hunter2"));
    }
}

BOOST_AUTO_TEST_CASE(field_ref_variables_win_over_the_files) {
    auto api = read_downward_api(podinfo_fixture(), true,
                                 env_of({{"POD_NAME", "from-env"}, {"NODE_NAME", "node-3"}}));
    BOOST_TEST(api.pod.name == "from-env");
    BOOST_TEST(api.pod.node == "node-3");
    BOOST_TEST(api.pod.namespace_name == "shop");
    BOOST_TEST(std::count(api.pod.sources.begin(), api.pod.sources.end(), "env:POD_NAME") == 1);
}

BOOST_AUTO_TEST_CASE(variables_alone_make_a_pod_without_a_volume) {
    TempTree tree;
    auto api = read_downward_api(tree.at("podinfo"), false,
                                 env_of({{"POD_NAME", "p"}, {"POD_NAMESPACE", "ns"}}));
    BOOST_TEST(!api.pod.empty());
    BOOST_TEST(api.pod.namespace_name == "ns");
    BOOST_TEST(api.image.warnings.empty());
}

BOOST_AUTO_TEST_CASE(no_volume_and_no_variables_is_no_pod_and_no_warning) {
    TempTree tree;
    auto api = read_downward_api(tree.at("podinfo"), false, kNoEnv);
    BOOST_TEST(api.pod.empty());
    BOOST_TEST(api.image.warnings.empty());
}

BOOST_AUTO_TEST_CASE(a_given_directory_that_is_missing_is_a_warning) {
    TempTree tree;
    auto api = read_downward_api(tree.at("podinfo"), true, kNoEnv);
    BOOST_TEST(api.image.warnings.size() == 1U);
    BOOST_TEST(contains(api.image.warnings[0], "no such file or directory"));
}

BOOST_AUTO_TEST_CASE(a_volume_of_garbage_still_serves_its_good_lines) {
    TempTree tree;
    tree.write("podinfo/labels", "app=\"web\"\n\x01\x02garbage\nteam=\"x\"");
    tree.write("podinfo/annotations",
               "org.opencontainers.image.version=\"1.2\"\nbroken\norg.opencontainers.image."
               "revision=\"abc\"");
    tree.write("podinfo/name", std::string(400, 'n'));
    tree.write("podinfo/namespace", "line\x1b[31m");
    auto api = read_downward_api(tree.at("podinfo"), false, kNoEnv);
    BOOST_TEST(api.pod.labels.size() == 2U);
    BOOST_TEST(api.image.fields.at("revision").value == "abc");
    BOOST_TEST(api.image.fields.at("version").value == "1.2");
    BOOST_TEST(api.pod.name.empty());
    BOOST_TEST(api.pod.namespace_name.empty());
    BOOST_TEST(any_warning(api.image.warnings, "invalid line 2 in"));
    BOOST_TEST(any_warning(api.image.warnings, "expected one line of at most 253"));
    for (const auto& warning : api.image.warnings) {
        BOOST_TEST(warning.find('\x1b') == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(many_bad_lines_give_bounded_warnings) {
    TempTree tree;
    std::string labels;
    for (int i = 0; i < 1000; ++i) {
        labels += "bad line\n";
    }
    tree.write("podinfo/labels", labels);
    auto api = read_downward_api(tree.at("podinfo"), false, kNoEnv);
    BOOST_TEST(api.image.warnings.size() == 6U);
    BOOST_TEST(any_warning(api.image.warnings, "995 more invalid lines in"));
}

BOOST_AUTO_TEST_CASE(labels_beyond_the_cap_are_cut_with_a_warning) {
    TempTree tree;
    std::string labels;
    for (int i = 0; i < 100; ++i) {
        labels += "k" + std::to_string(i) + "=\"v\"\n";
    }
    tree.write("podinfo/labels", labels);
    auto api = read_downward_api(tree.at("podinfo"), false, kNoEnv);
    BOOST_TEST(api.pod.labels.size() == 64U);
    BOOST_TEST(any_warning(api.image.warnings, "kept the first 64 of 100 labels"));
}

BOOST_AUTO_TEST_SUITE_END()
