#include "sidecar/image_info.hpp"

#include <boost/test/unit_test.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "sidecar/prometheus.hpp"
#include "tests/unit/probes/hardening/fixture.hpp"

using namespace hale::sidecar;
namespace hardening = hale::probes::hardening;
using hardening::test::contains;
using hardening::test::TempTree;

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

hardening::Roots app_roots() {
    return hardening::Roots::under(std::string(HALE_TEST_DATA) + "/provenance/app");
}

nlohmann::ordered_json field(const ImageInfo& info, const char* name) {
    return image_json(info)["provenance"][name];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image_info_test)

BOOST_AUTO_TEST_CASE(defaults_live_under_the_roots_etc) {
    auto info = collect_image_info({}, app_roots(), env_of({}));
    BOOST_TEST(field(info, "title")["value"] == "shop-api");
    BOOST_TEST(contains(field(info, "title")["source"].get<std::string>(),
                        "provenance/app/etc/hale/image.json"));
    BOOST_REQUIRE(info.layers);
    BOOST_TEST(info.layers->layers.size() == 3U);
    BOOST_TEST(info.pod.namespace_name == "shop");
}

BOOST_AUTO_TEST_CASE(env_overrides_the_file_and_pod_annotations_override_env) {
    auto info = collect_image_info(
        {}, app_roots(),
        env_of({{"OCI_IMAGE_VERSION", "9.9.9"}, {"OCI_IMAGE_DOCUMENTATION", "https://env"}}));
    BOOST_TEST(field(info, "version")["value"] == "9.9.9");
    BOOST_TEST(field(info, "version")["source"] == "env:OCI_IMAGE_VERSION");
    // The fixture's pod annotations carry the revision again and a documentation URL.
    BOOST_TEST(field(info, "revision")["value"] == "4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4");
    BOOST_TEST(contains(field(info, "revision")["source"].get<std::string>(), "downward-api:"));
    BOOST_TEST(field(info, "documentation")["value"] == "https://wiki.example.com/shop-api");
    BOOST_TEST(field(info, "created")["source"].get<std::string>().starts_with("file:"));
}

BOOST_AUTO_TEST_CASE(given_paths_replace_the_defaults_and_must_exist) {
    TempTree tree;
    tree.write("custom.json", R"({"org.opencontainers.image.revision": "custom"})");
    ImageSources sources{tree.at("custom.json"), tree.at("no-layers.json"), tree.at("no-pod"),
                         false};
    auto info = collect_image_info(sources, app_roots(), env_of({}));
    BOOST_TEST(field(info, "revision")["value"] == "custom");
    BOOST_TEST(!info.layers);
    BOOST_TEST(info.pod.empty());
    auto warnings = image_json(info)["warnings"].dump();
    BOOST_TEST(contains(warnings, "no-layers.json: no such file or directory"));
    BOOST_TEST(contains(warnings, "no-pod: no such file or directory"));
}

BOOST_AUTO_TEST_CASE(json_has_every_part_and_never_a_foreign_annotation) {
    auto doc = image_json(collect_image_info({}, app_roots(), env_of({})));
    for (const char* part : {"provenance", "pod", "layers", "docker", "warnings", "findings"}) {
        BOOST_TEST(doc.contains(part), part);
    }
    BOOST_TEST(doc["layers"]["layer_count"] == 3);
    BOOST_TEST(doc["layers"]["wasted_bytes"] == 300000);
    BOOST_TEST(doc["layers"]["running_image"] == "unknown");
    BOOST_TEST(doc["layers"]["describes"] ==
               "sha256:d62313a65a35776e39b085bd03fa87469018b62070019b044d858d9b1c2885f7");
    BOOST_TEST(doc["pod"]["labels"]["team"] == "payments");
    BOOST_TEST(doc["docker"].is_null());
    BOOST_TEST(!contains(doc.dump(), "hunter2"));
    BOOST_TEST(!contains(doc.dump(), "last-applied-configuration"));
}

BOOST_AUTO_TEST_CASE(unknown_keys_of_the_baked_file_become_a_warning) {
    auto info = collect_image_info({}, app_roots(), env_of({}));
    bool warned = std::any_of(info.warnings.begin(), info.warnings.end(), [](const auto& w) {
        return contains(w, "ignored 1 key in file:") && contains(w, "'maintainer'");
    });
    BOOST_TEST(warned);
}

BOOST_AUTO_TEST_CASE(text_keeps_a_space_after_the_longest_field_name) {
    // The pod's annotations give documentation.
    auto info = collect_image_info({}, app_roots(), env_of({}));
    BOOST_TEST(contains(image_text(info), "  documentation https://wiki.example.com/shop-api"));
}

BOOST_AUTO_TEST_CASE(text_shows_values_with_their_sources_layers_and_pod) {
    auto info = collect_image_info({}, app_roots(), env_of({{"NODE_NAME", "node-3"}}));
    auto text = image_text(info);
    BOOST_TEST(contains(text, "  title         shop-api"));
    BOOST_TEST(contains(text, "downward-api:"));
    BOOST_TEST(contains(text, "3 layers, 600 kB, 300 kB wasted, efficiency 50.0%, score 42"));
    BOOST_TEST(contains(text, "ghost /data/big.bin 300 kB (layers 1-2)"));
    BOOST_TEST(contains(text, "pod: shop/shop-api-7d9c5b-x2x4q on node node-3, 3 labels"));
    BOOST_TEST(contains(image_summary_line(info), "shop-api 2.4.1, revision 4f2c1e9a"));
}

BOOST_AUTO_TEST_CASE(text_makes_control_characters_harmless) {
    TempTree tree;
    tree.write("etc/hale/image.json",
               R"({"org.opencontainers.image.title": "evil\u001b[2J\nname"})");
    auto text = image_text(collect_image_info({}, tree.roots(), env_of({})));
    BOOST_TEST(text.find('\x1b') == std::string::npos);
    BOOST_TEST(!contains(text, "\nname"));
}

BOOST_AUTO_TEST_CASE(docker_host_names_a_unix_socket_or_nothing_hale_speaks) {
    BOOST_TEST(*docker_socket_path(env_of({})) == "/var/run/docker.sock");
    BOOST_TEST(
        *docker_socket_path(env_of({{"DOCKER_HOST", "unix:///run/user/1000/docker.sock"}})) ==
        "/run/user/1000/docker.sock");
    auto tcp = docker_socket_path(env_of({{"DOCKER_HOST", "tcp://user:secret@10.0.0.1:2376"}}));
    BOOST_TEST(!tcp);
    BOOST_TEST(contains(tcp.error(), "scheme 'tcp'"));
    BOOST_TEST(!contains(tcp.error(), "secret"));
}

BOOST_AUTO_TEST_CASE(an_unreachable_docker_socket_is_a_warning_and_no_finding) {
    TempTree tree;
    tree.write("proc/sys/kernel/hostname", "0123456789ab\n");
    ImageSources sources;
    sources.docker_api = true;
    auto info = collect_image_info(sources, tree.roots(),
                                   env_of({{"DOCKER_HOST", "unix://" + tree.at("docker.sock")}}));
    BOOST_REQUIRE(info.docker);
    BOOST_TEST(!info.docker->reached);
    BOOST_TEST(info.findings.empty());
    auto warnings = image_json(info)["warnings"].dump();
    BOOST_TEST(contains(warnings, "cannot get /containers/0123456789ab/json"));
}

BOOST_AUTO_TEST_CASE(image_build_info_metric_carries_revision_and_version) {
    auto info = collect_image_info({}, app_roots(), env_of({{"OCI_IMAGE_VERSION", "a\"b\\c"}}));
    auto text = render_image_metrics(info);
    BOOST_TEST(contains(text, "# TYPE hale_image_build_info gauge\n"));
    BOOST_TEST(
        contains(text,
                 "hale_image_build_info{revision=\"4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4\","
                 "version=\"a\\\"b\\\\c\"} 1\n"));
}

BOOST_AUTO_TEST_SUITE_END()
