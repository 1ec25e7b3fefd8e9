#include "probes/provenance/provenance.hpp"

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

Reading file_reading(const std::string& contents) {
    TempTree tree;
    tree.write("image.json", contents);
    return read_image_file(tree.at("image.json"), true);
}

std::string value_of(const Fields& fields, const std::string& field) {
    auto found = fields.find(field);
    return found == fields.end() ? "<none>" : found->second.value;
}

std::string source_of(const Fields& fields, const std::string& field) {
    auto found = fields.find(field);
    return found == fields.end() ? "<none>" : found->second.source;
}

bool any_warning(const std::vector<std::string>& warnings, std::string_view part) {
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& warning) { return contains(warning, part); });
}

Reading reading_of(std::initializer_list<std::pair<const char*, const char*>> fields,
                   const std::string& source) {
    Reading reading;
    for (const auto& [field, value] : fields) {
        reading.fields[field] = Field{value, source};
    }
    return reading;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(provenance_test)

BOOST_AUTO_TEST_CASE(keys_cover_the_image_spec_with_env_names_derived_from_them) {
    BOOST_TEST(keys().size() == 14U);
    for (const auto& key : keys()) {
        std::string expected = "OCI_IMAGE_";
        for (char c : key.annotation.substr(std::string_view("org.opencontainers.image.").size())) {
            expected += c == '.' ? '_' : static_cast<char>(std::toupper(c));
        }
        BOOST_TEST(key.env == expected);
    }
    BOOST_TEST(find_key_by_field("base_name")->annotation == "org.opencontainers.image.base.name");
    BOOST_TEST(find_key_by_field("revision")->label_schema == "org.label-schema.vcs-ref");
}

BOOST_AUTO_TEST_CASE(labels_read_oci_keys_and_tag_them_with_the_source) {
    auto reading = read_labels({{"org.opencontainers.image.revision", "abc"},
                                {"org.opencontainers.image.base.name", "debian:12"}},
                               "docker-api", true);
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(source_of(reading.fields, "revision") == "docker-api");
    BOOST_TEST(value_of(reading.fields, "base_name") == "debian:12");
    BOOST_TEST(reading.warnings.empty());
}

BOOST_AUTO_TEST_CASE(label_schema_keys_map_to_oci_fields_but_oci_wins_in_any_order) {
    auto reading = read_labels({{"org.label-schema.vcs-ref", "old"},
                                {"org.label-schema.build-date", "2020-01-02T03:04:05Z"},
                                {"org.label-schema.name", "legacy"},
                                {"org.opencontainers.image.revision", "new"},
                                {"org.label-schema.schema-version", "1.0"}},
                               "file:x", true);
    BOOST_TEST(value_of(reading.fields, "revision") == "new");
    BOOST_TEST(value_of(reading.fields, "created") == "2020-01-02T03:04:05Z");
    BOOST_TEST(value_of(reading.fields, "title") == "legacy");
    BOOST_TEST(reading.warnings.empty());
}

BOOST_AUTO_TEST_CASE(unknown_keys_are_named_in_one_warning_when_asked) {
    Labels labels = {{"maintainer", "me"}, {"com.example.team", "x"}};
    auto warned = read_labels(labels, "file:/etc/hale/image.json", true);
    BOOST_TEST(warned.warnings.size() == 1U);
    BOOST_TEST(contains(warned.warnings[0], "ignored 2 keys in file:/etc/hale/image.json"));
    BOOST_TEST(contains(warned.warnings[0], "'maintainer'"));
    BOOST_TEST(read_labels(labels, "docker-api", false).warnings.empty());
}

BOOST_AUTO_TEST_CASE(empty_values_are_left_out_silently) {
    auto reading = read_labels({{"org.opencontainers.image.revision", ""}}, "file:x", true);
    BOOST_TEST(reading.fields.empty());
    BOOST_TEST(reading.warnings.empty());
}

BOOST_AUTO_TEST_CASE(overlong_values_are_left_out_with_a_warning) {
    auto reading = read_labels({{"org.opencontainers.image.description", std::string(5000, 'x')},
                                {"org.opencontainers.image.title", "kept"}},
                               "file:x", true);
    BOOST_TEST(!reading.fields.contains("description"));
    BOOST_TEST(value_of(reading.fields, "title") == "kept");
    BOOST_TEST(any_warning(reading.warnings, "expected at most 1024 bytes, found 5000"));
}

BOOST_AUTO_TEST_CASE(created_that_is_not_rfc3339_is_kept_with_a_warning) {
    auto reading = read_labels({{"org.opencontainers.image.created", "yesterday"}}, "env:X", true);
    BOOST_TEST(value_of(reading.fields, "created") == "yesterday");
    BOOST_TEST(any_warning(reading.warnings, "expected an RFC 3339 time"));
}

BOOST_AUTO_TEST_CASE(rfc3339_accepts_offsets_and_fractions_and_nothing_else) {
    for (const char* good :
         {"2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123456789Z", "2026-01-02t03:04:05z",
          "2026-01-02T03:04:05+01:00", "2026-01-02 03:04:05-07:30"}) {
        BOOST_TEST(is_rfc3339(good), good);
    }
    for (const char* bad :
         {"", "2026-01-02", "2026-01-02T03:04:05", "2026-01-02T03:04:05.Z", "2026-1-02T03:04:05Z",
          "2026-01-02T03:04:05+0100", "2026-01-02T03:04:05Zjunk"}) {
        BOOST_TEST(!is_rfc3339(bad), bad);
    }
}

BOOST_AUTO_TEST_CASE(rfc3339_refuses_fields_out_of_range) {
    BOOST_TEST(is_rfc3339("2016-12-31T23:59:60Z"));  // a leap second
    for (const char* bad :
         {"2026-13-02T03:04:05Z", "2026-00-02T03:04:05Z", "2026-01-32T03:04:05Z",
          "2026-01-00T03:04:05Z", "2026-01-02T24:04:05Z", "2026-01-02T03:60:05Z",
          "2026-01-02T03:04:61Z", "2026-01-02T03:04:05+24:00", "2026-01-02T03:04:05+01:60"}) {
        BOOST_TEST(!is_rfc3339(bad), bad);
    }
}

BOOST_AUTO_TEST_CASE(env_reads_oci_image_variables_with_their_names_as_sources) {
    auto reading = read_env(env_of({{"OCI_IMAGE_REVISION", "abc"},
                                    {"OCI_IMAGE_BASE_DIGEST", "sha256:00"},
                                    {"OCI_IMAGE_VERSION", ""},
                                    {"IMAGE_REVISION", "ignored"}}));
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(source_of(reading.fields, "revision") == "env:OCI_IMAGE_REVISION");
    BOOST_TEST(source_of(reading.fields, "base_digest") == "env:OCI_IMAGE_BASE_DIGEST");
    BOOST_TEST(reading.fields.size() == 2U);
}

BOOST_AUTO_TEST_CASE(image_file_as_stamp_writes_it_is_read_without_warnings) {
    auto reading = file_reading(R"({"schema": "hale.image/v1",
        "org.opencontainers.image.revision": "abc",
        "org.opencontainers.image.version": "1.2.3"})");
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(source_of(reading.fields, "version").starts_with("file:"));
    BOOST_TEST(reading.warnings.empty());
}

BOOST_AUTO_TEST_CASE(image_file_without_schema_is_docker_inspect_output_and_is_read) {
    auto reading = file_reading(R"({"org.opencontainers.image.revision": "abc"})");
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(reading.warnings.empty());
}

BOOST_AUTO_TEST_CASE(image_file_missing_at_the_default_path_is_no_warning) {
    TempTree tree;
    auto reading = read_image_file(tree.at("etc/hale/image.json"), false);
    BOOST_TEST(reading.fields.empty());
    BOOST_TEST(reading.warnings.empty());
}

BOOST_AUTO_TEST_CASE(image_file_missing_at_a_given_path_is_a_warning) {
    TempTree tree;
    auto reading = read_image_file(tree.at("nope.json"), true);
    BOOST_TEST(reading.warnings.size() == 1U);
    BOOST_TEST(contains(reading.warnings[0], "nope.json: no such file or directory"));
}

BOOST_AUTO_TEST_CASE(image_file_that_is_not_json_is_one_warning) {
    auto reading = file_reading("{\"org.opencontainers.image.revision\": ");
    BOOST_TEST(reading.fields.empty());
    BOOST_TEST(reading.warnings.size() == 1U);
    BOOST_TEST(contains(reading.warnings[0], "not JSON"));
}

BOOST_AUTO_TEST_CASE(image_file_that_is_not_an_object_is_one_warning) {
    auto reading = file_reading(R"(["org.opencontainers.image.revision"])");
    BOOST_TEST(reading.warnings.size() == 1U);
    BOOST_TEST(contains(reading.warnings[0], "expected a JSON object"));
    BOOST_TEST(contains(reading.warnings[0], "found an array"));
}

BOOST_AUTO_TEST_CASE(image_file_values_of_wrong_type_are_left_out_and_the_rest_served) {
    auto reading = file_reading(R"({"schema": "hale.image/v1",
        "org.opencontainers.image.version": 2,
        "org.opencontainers.image.created": null,
        "org.opencontainers.image.authors": ["a", "b"],
        "org.opencontainers.image.revision": "abc"})");
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(reading.fields.size() == 1U);
    BOOST_TEST(any_warning(reading.warnings, "invalid 'org.opencontainers.image.version' in "));
    BOOST_TEST(any_warning(reading.warnings, "expected a string, found a number"));
    BOOST_TEST(any_warning(reading.warnings, "found null"));
    BOOST_TEST(any_warning(reading.warnings, "found an array"));
}

BOOST_AUTO_TEST_CASE(image_file_of_another_schema_warns_and_still_reads_known_keys) {
    auto reading = file_reading(R"({"schema": "hale.image/v9",
        "org.opencontainers.image.revision": "abc"})");
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(any_warning(reading.warnings, "invalid schema '\"hale.image/v9\"'"));
}

BOOST_AUTO_TEST_CASE(image_file_over_64_kib_is_refused_with_a_warning) {
    std::string huge =
        R"({"org.opencontainers.image.description": ")" + std::string(70 * 1024, 'x') + "\"}";
    auto reading = file_reading(huge);
    BOOST_TEST(reading.fields.empty());
    BOOST_TEST(reading.warnings.size() == 1U);
    BOOST_TEST(contains(reading.warnings[0], "larger than 65536 bytes"));
}

BOOST_AUTO_TEST_CASE(image_file_nested_deeply_is_refused_before_parsing) {
    auto reading = file_reading(std::string(10000, '[') + std::string(10000, ']'));
    BOOST_TEST(reading.warnings.size() == 1U);
    BOOST_TEST(contains(reading.warnings[0], "nested deeper than"));
}

BOOST_AUTO_TEST_CASE(image_file_with_thousands_of_bad_keys_gives_bounded_warnings) {
    std::string text = "{";
    for (int i = 0; i < 3000; ++i) {
        text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
    }
    text += R"("org.opencontainers.image.revision": "abc"})";
    auto reading = file_reading(text);
    BOOST_TEST(value_of(reading.fields, "revision") == "abc");
    BOOST_TEST(reading.warnings.size() <= 10U);
    BOOST_TEST(any_warning(reading.warnings, "2992 more warnings about"));
}

BOOST_AUTO_TEST_CASE(image_file_with_no_known_value_says_so) {
    auto reading = file_reading(R"({"schema": "hale.image/v1"})");
    BOOST_TEST(reading.fields.empty());
    BOOST_TEST(any_warning(reading.warnings, "no org.opencontainers.image.* value in"));
}

BOOST_AUTO_TEST_CASE(image_file_warnings_quote_hostile_text_printably_and_briefly) {
    auto reading = file_reading("{\"schema\": \"x\\u0007\\n" + std::string(200, 'y') + "\"}");
    BOOST_TEST(reading.warnings.size() >= 1U);
    BOOST_TEST(reading.warnings[0].find('\n') == std::string::npos);
    BOOST_TEST(reading.warnings[0].find('\a') == std::string::npos);
    BOOST_TEST(reading.warnings[0].size() < 300U);
}

BOOST_AUTO_TEST_CASE(later_sources_override_earlier_ones_field_by_field) {
    auto merged = merge(
        Reading{}, {reading_of({{"revision", "abc"}, {"version", "1.0"}}, "file:f"),
                    reading_of({{"version", "1.0-hotfix"}}, "env:OCI_IMAGE_VERSION"),
                    reading_of({{"revision", "abc"}, {"source", "https://x"}}, "downward-api:a")});
    BOOST_TEST(value_of(merged.fields, "version") == "1.0-hotfix");
    BOOST_TEST(source_of(merged.fields, "version") == "env:OCI_IMAGE_VERSION");
    BOOST_TEST(source_of(merged.fields, "revision") == "downward-api:a");
    BOOST_TEST(source_of(merged.fields, "source") == "downward-api:a");
    BOOST_TEST(!merged.build_only);
    BOOST_TEST(any_warning(merged.warnings, "no source gives the image's created"));
}

BOOST_AUTO_TEST_CASE(a_new_version_without_a_revision_is_warned_about_but_served) {
    // hale's image's own file, under a sidecar told only the app's version.
    auto merged = merge(
        Reading{}, {reading_of({{"title", "hale"}, {"revision", "hale-rev"}, {"version", "0.1.0"}},
                               "file:/etc/hale/image.json"),
                    reading_of({{"version", "1.4.2"}}, "env:OCI_IMAGE_VERSION")});
    BOOST_TEST(value_of(merged.fields, "version") == "1.4.2");
    BOOST_TEST(any_warning(merged.warnings,
                           "env:OCI_IMAGE_VERSION gives version '1.4.2' but no revision: "
                           "revision 'hale-rev' from file:/etc/hale/image.json may name another "
                           "build"));
}

BOOST_AUTO_TEST_CASE(another_revision_drops_the_values_of_the_other_build) {
    // hale's image's own file, under a sidecar told the app's revision.
    auto merged = merge(
        Reading{}, {reading_of({{"title", "hale"}, {"revision", "hale-rev"}, {"version", "0.1.0"}},
                               "file:/etc/hale/image.json"),
                    reading_of({{"revision", "app-rev"}}, "env:OCI_IMAGE_REVISION")});
    BOOST_TEST(merged.fields.size() == 1U);
    BOOST_TEST(value_of(merged.fields, "revision") == "app-rev");
    BOOST_TEST(any_warning(merged.warnings,
                           "env:OCI_IMAGE_REVISION names revision 'app-rev', "
                           "file:/etc/hale/image.json names 'hale-rev': the values of the other "
                           "build are left out"));
}

BOOST_AUTO_TEST_CASE(hale_build_is_the_fallback_only_when_no_image_source_gives_anything) {
    auto build = build_reading("0.1.0", "abc123", "2026-01-01T00:00:00Z");
    auto alone = merge(build, {Reading{}, Reading{}});
    BOOST_TEST(alone.build_only);
    BOOST_TEST(value_of(alone.fields, "title") == "hale");
    BOOST_TEST(source_of(alone.fields, "revision") == "build");
    BOOST_TEST(any_warning(alone.warnings, "showing hale's own build"));

    // An app's revision next to hale's version would describe no image at all.
    auto with_file = merge(build, {reading_of({{"revision", "app-rev"}}, "file:f")});
    BOOST_TEST(!with_file.build_only);
    BOOST_TEST(value_of(with_file.fields, "revision") == "app-rev");
    BOOST_TEST(value_of(with_file.fields, "version") == "<none>");
    BOOST_TEST(value_of(with_file.fields, "title") == "<none>");
}

BOOST_AUTO_TEST_CASE(build_reading_leaves_out_an_unknown_revision) {
    auto build = build_reading("0.1.0", "unknown", "");
    BOOST_TEST(!build.fields.contains("revision"));
    BOOST_TEST(!build.fields.contains("created"));
    BOOST_TEST(value_of(build.fields, "version") == "0.1.0");
}

BOOST_AUTO_TEST_CASE(missing_usual_fields_are_named_in_one_warning) {
    auto merged = merge(Reading{}, {reading_of({{"revision", "abc"}}, "file:f")});
    BOOST_TEST(merged.warnings.size() == 1U);
    BOOST_TEST(
        contains(merged.warnings[0], "no source gives the image's version, created, source"));
    BOOST_TEST(contains(merged.warnings[0], "hale stamp --version or OCI_IMAGE_VERSION"));
}

BOOST_AUTO_TEST_CASE(merge_keeps_every_source_warning_in_order) {
    Reading first = reading_of({{"revision", "a"}}, "file:f");
    first.warnings = {"first"};
    Reading second;
    second.warnings = {"second"};
    auto merged = merge(Reading{}, {first, second});
    BOOST_TEST(merged.warnings.at(0) == "first");
    BOOST_TEST(merged.warnings.at(1) == "second");
}

BOOST_AUTO_TEST_SUITE_END()
