#include "image/resolve.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::ResolvedImage;
using hale::image::ResolveOptions;
using hale::test::ImageSpec;
using hale::test::LayerSpec;
using hale::test::OciOptions;
using hale::test::TarBuilder;

ImageSpec three_layers(const std::string& compression = "none") {
    ImageSpec image;
    image.layers = {
        {TarBuilder().file("etc/os-release", "ID=test\n").build(), "ADD rootfs /", compression},
        {TarBuilder().file("app/bin", std::string(100, 'b')).build(), "COPY bin /app/",
         compression},
        {TarBuilder().file("app/conf", "x=1\n").build(), "RUN configure", compression},
    };
    return image;
}

struct Resolved {
    std::unique_ptr<hale::image::BlobStore> store;
    hale::probes::Result<ResolvedImage> image = hale::probes::Error{"not resolved"};
};

Resolved resolve(const std::vector<hale::test::ArchiveItem>& items, ResolveOptions options = {}) {
    Resolved result;
    hale::test::MemorySource source(hale::test::tar_of(items));
    auto store = hale::image::read_tar_stream(source, {});
    if (!store) {
        result.image = hale::probes::Error{store.error()};
        return result;
    }
    result.store = std::move(*store);
    result.image = hale::image::resolve_image(*result.store, options);
    return result;
}

std::vector<std::string> diff_ids(const ResolvedImage& image) {
    std::vector<std::string> ids;
    for (const auto& layer : image.layers) {
        ids.push_back(hale::image::digest_string(layer.blob->diff_digest));
    }
    return ids;
}

std::vector<std::string> expected_ids(const ImageSpec& image) {
    std::vector<std::string> ids;
    for (const auto& layer : image.layers) {
        ids.push_back(hale::test::sha256_digest(layer.tar));
    }
    return ids;
}

bool has_warning(const ResolvedImage& image, const std::string& text) {
    for (const auto& warning : image.warnings) {
        if (warning.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resolve_test)

BOOST_AUTO_TEST_CASE(docker_archive_layers_follow_the_config) {
    ImageSpec image = three_layers();
    auto result = resolve(hale::test::docker_archive(image));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(result.image->format == "docker-archive");
    BOOST_TEST(result.image->reference == "test:latest");
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
    BOOST_TEST(result.image->warnings.empty());
}

BOOST_AUTO_TEST_CASE(manifest_first_or_last_resolves_the_same) {
    ImageSpec image = three_layers();
    hale::test::DockerArchiveOptions first;
    first.manifest_last = false;
    auto result = resolve(hale::test::docker_archive(image, first));
    BOOST_TEST_REQUIRE(result.image.ok());
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
}

BOOST_AUTO_TEST_CASE(podman_symlinked_layers_resolve_inside_the_archive) {
    ImageSpec image = three_layers();
    image.layers.push_back(image.layers[1]);  // a repeated layer is stored once
    hale::test::DockerArchiveOptions podman;
    podman.symlinked_layers = true;
    auto result = resolve(hale::test::docker_archive(image, podman));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
    BOOST_TEST(result.image->layers[3].blob == result.image->layers[1].blob);
}

BOOST_AUTO_TEST_CASE(oci_layout_without_manifest_json_follows_the_oci_manifest) {
    ImageSpec image = three_layers("gzip");
    auto result = resolve(hale::test::oci_layout(image));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(result.image->format == "oci");
    BOOST_TEST(result.image->platform == "linux/amd64");
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
    BOOST_TEST(result.image->layers[0].media_type == "application/vnd.oci.image.layer.v1.tar+gzip");
}

BOOST_AUTO_TEST_CASE(docker25_archive_uses_the_oci_manifest_when_it_is_consistent) {
    ImageSpec image = three_layers();
    OciOptions options;
    options.docker_manifest = true;
    auto result = resolve(hale::test::oci_layout(image, options));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(result.image->format == "docker-archive+oci");
    BOOST_TEST(!result.image->manifest_digest.empty());
    BOOST_TEST(result.image->warnings.empty());
}

BOOST_AUTO_TEST_CASE(oci_manifest_without_layers_falls_back_to_manifest_json) {
    ImageSpec image = three_layers();
    OciOptions options;
    options.docker_manifest = true;
    options.empty_manifest_layers = true;
    auto result = resolve(hale::test::oci_layout(image, options));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
    BOOST_TEST(has_warning(*result.image,
                           "OCI manifest inconsistent with config diff_ids; used manifest.json"));
}

BOOST_AUTO_TEST_CASE(oci_manifest_out_of_order_falls_back_to_manifest_json) {
    ImageSpec image = three_layers();
    OciOptions options;
    options.docker_manifest = true;
    options.reverse_manifest_layers = true;
    auto result = resolve(hale::test::oci_layout(image, options));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
    BOOST_TEST(has_warning(*result.image, "used manifest.json"));
}

BOOST_AUTO_TEST_CASE(layers_out_of_order_are_matched_by_content_hash) {
    ImageSpec image = three_layers();
    OciOptions options;
    options.reverse_manifest_layers = true;  // and no manifest.json to fall back to
    auto result = resolve(hale::test::oci_layout(image, options));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
}

BOOST_AUTO_TEST_CASE(layer_that_does_not_hash_to_its_diff_id_is_kept_with_a_warning) {
    ImageSpec image = three_layers();
    image.diff_ids = expected_ids(image);
    (*image.diff_ids)[2] = "sha256:" + std::string(64, '0');
    auto result = resolve(hale::test::docker_archive(image));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(result.image->layers.size() == 3u);
    BOOST_TEST(has_warning(*result.image, "layer 2 content hashes to"));
}

BOOST_AUTO_TEST_CASE(config_with_more_diff_ids_than_manifest_layers_is_refused) {
    ImageSpec image = three_layers();
    image.diff_ids = expected_ids(image);
    image.diff_ids->push_back((*image.diff_ids)[0]);
    auto result = resolve(hale::test::docker_archive(image));
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() ==
               "manifest.json lists 3 layers, but the image config lists 4 diff_ids");
}

BOOST_AUTO_TEST_CASE(config_with_fewer_diff_ids_than_manifest_layers_is_refused) {
    ImageSpec image = three_layers();
    image.diff_ids = expected_ids(image);
    image.diff_ids->pop_back();
    auto result = resolve(hale::test::docker_archive(image));
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() ==
               "manifest.json lists 3 layers, but the image config lists 2 diff_ids");
}

BOOST_AUTO_TEST_CASE(blob_that_does_not_hash_to_its_digest_is_kept_with_a_warning) {
    ImageSpec image = three_layers("gzip");
    auto items = hale::test::oci_layout(image);
    std::string name =
        "blobs/sha256/" +
        hale::test::hex_of(hale::test::sha256_digest(hale::test::gzip(image.layers[0].tar)));
    for (auto& item : items) {
        if (item.name == name) {
            item.content += hale::test::gzip("");  // other bytes, the same tar inside
        }
    }
    auto result = resolve(items);
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(hale::test::joined(diff_ids(*result.image)) ==
               hale::test::joined(expected_ids(image)));
    BOOST_TEST(has_warning(*result.image, "content hashes to"));
}

BOOST_AUTO_TEST_CASE(nested_index_picks_the_only_complete_platform) {
    ImageSpec image = three_layers("gzip");
    OciOptions options;
    options.nested_index = true;
    options.attestation = true;
    options.extra_platforms = {{"linux/arm64", false}};
    auto result = resolve(hale::test::oci_layout(image, options));
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(result.image->platform == "linux/amd64");
    BOOST_TEST(result.image->reference == "docker.io/library/test:latest");
    BOOST_TEST(result.image->attestation_manifests == 1);
    BOOST_TEST_REQUIRE(result.image->skipped.size() == 1u);
    BOOST_TEST(result.image->skipped[0].platform == "linux/arm64");
    BOOST_TEST(result.image->skipped[0].reason == "blobs missing");
}

BOOST_AUTO_TEST_CASE(platform_option_picks_among_complete_platforms) {
    ImageSpec image = three_layers();
    OciOptions options;
    options.extra_platforms = {{"linux/arm64", true}};
    ResolveOptions arm;
    arm.platform = *hale::image::parse_platform("linux/arm64");
    auto result = resolve(hale::test::oci_layout(image, options), arm);
    BOOST_TEST_REQUIRE(result.image.ok(), hale::test::why(result.image));
    BOOST_TEST(result.image->platform == "linux/arm64");
    BOOST_TEST_REQUIRE(result.image->skipped.size() == 1u);
    BOOST_TEST(result.image->skipped[0].reason == "not selected");
}

BOOST_AUTO_TEST_CASE(platform_not_in_the_archive_names_what_is) {
    ResolveOptions s390;
    s390.platform = *hale::image::parse_platform("linux/s390x");
    auto result = resolve(hale::test::oci_layout(three_layers()), s390);
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() == "platform linux/s390x not in archive (found: linux/amd64)");
}

BOOST_AUTO_TEST_CASE(missing_layer_blob_names_blob_and_manifest) {
    ImageSpec image = three_layers("gzip");
    OciOptions options;
    options.drop_layers = {1};
    auto result = resolve(hale::test::oci_layout(image, options));
    BOOST_TEST_REQUIRE(!result.image.ok());
    std::string digest = hale::test::sha256_digest(hale::test::gzip(image.layers[1].tar));
    BOOST_TEST(
        result.image.error().find("blob " + digest + " referenced by manifest sha256:") == 0u,
        hale::test::why(result.image));
    BOOST_TEST(result.image.error().find(" not in archive") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_docker_archive_layer_is_reported) {
    auto items = hale::test::docker_archive(three_layers());
    std::erase_if(items, [](const auto& item) {
        return item.name.size() > 10 && item.name.substr(item.name.size() - 10) == "/layer.tar" &&
               item.content.find("app/conf") != std::string::npos;
    });
    auto result = resolve(items);
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error().find("referenced by manifest.json not in archive") !=
                   std::string::npos,
               hale::test::why(result.image));
}

BOOST_AUTO_TEST_CASE(archive_without_manifest_or_index_is_not_an_image) {
    auto result = resolve({{"README.md", "hello", ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() == "not an image archive: no manifest.json or index.json");
}

BOOST_AUTO_TEST_CASE(malformed_manifest_json_is_refused) {
    auto result = resolve({{"manifest.json", "[{\"Config\": ", ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() == "invalid manifest.json: not JSON");
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_refused_before_parsing) {
    auto result =
        resolve({{"manifest.json", std::string(100000, '[') + std::string(100000, ']'), ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error().find("nested deeper than") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_of_more_values_than_real_documents_hold_is_refused_before_parsing) {
    std::string values = "[0";
    for (int i = 0; i < 300000; ++i) {
        values += ",0";
    }
    auto result = resolve({{"manifest.json", values + "]", ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() ==
               "invalid manifest.json: more than 262144 values; real ones hold a few thousand");
}

BOOST_AUTO_TEST_CASE(commas_inside_strings_are_not_counted_as_values) {
    std::string text = "[{\"Config\":\"" + std::string(300000, ',') + "\"}]";
    auto result = resolve({{"manifest.json", text, ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error().find("values") == std::string::npos,
               hale::test::why(result.image));
}

BOOST_AUTO_TEST_CASE(index_that_lists_itself_ends) {
    // index.json -> blob A (an index) -> blob A again: visited once.
    std::string inner =
        "{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        "\"digest\":\"sha256:" +
        std::string(64, 'a') + "\"}]}";
    auto result =
        resolve({{"index.json", inner, ""}, {"blobs/sha256/" + std::string(64, 'a'), inner, ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() == "not an image archive: index.json lists no image manifest");
}

BOOST_AUTO_TEST_CASE(digest_with_path_characters_is_refused) {
    auto result =
        resolve({{"index.json", "{\"manifests\":[{\"digest\":\"sha256:../../etc/passwd\"}]}", ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error().find("invalid index: manifest digest") == 0u);
}

BOOST_AUTO_TEST_CASE(digest_with_bytes_beyond_ascii_is_refused) {
    auto result =
        resolve({{"index.json", "{\"manifests\":[{\"digest\":\"sha\u00e9256:ab\u00e9\"}]}", ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error().find("invalid index: manifest digest") == 0u);
}

BOOST_AUTO_TEST_CASE(config_listing_more_diff_ids_than_hale_analyses_is_refused) {
    ImageSpec image = three_layers();
    image.diff_ids = std::vector<std::string>(5000, "sha256:" + std::string(64, 'f'));
    auto result = resolve(hale::test::docker_archive(image));
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() ==
               "image config lists 5000 diff_ids; more than the 4096 layers hale analyses");
}

BOOST_AUTO_TEST_CASE(manifest_listing_more_layers_than_hale_analyses_is_refused) {
    std::string layers;
    for (int i = 0; i < 5000; ++i) {
        layers += std::string(layers.empty() ? "" : ",") + "\"l" + std::to_string(i) + ".tar\"";
    }
    auto result =
        resolve({{"manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[" + layers + "]}]", ""}});
    BOOST_TEST_REQUIRE(!result.image.ok());
    BOOST_TEST(result.image.error() ==
               "manifest.json lists 5000 layers; more than the 4096 hale analyses");
}

BOOST_AUTO_TEST_CASE(layout_directory_over_its_document_budget_reports_the_budget) {
    std::string dir = hale::test::temp_directory("resolve-budget");
    hale::test::write_directory(dir, hale::test::oci_layout(three_layers()));
    hale::image::ReadOptions options;
    options.document_budget = 300;
    auto store = hale::image::open_image(dir, options);
    BOOST_TEST_REQUIRE(store.ok());
    auto image = hale::image::resolve_image(**store, {});
    BOOST_TEST_REQUIRE(!image.ok());
    BOOST_TEST(image.error().find("exceed 300 bytes in total") != std::string::npos,
               hale::test::why(image));
}

BOOST_AUTO_TEST_CASE(platform_with_a_variant_keeps_it) {
    auto full = hale::image::parse_platform("linux/arm/v7");
    BOOST_TEST_REQUIRE(full.ok());
    BOOST_TEST(full->variant == "v7");
}

BOOST_AUTO_TEST_CASE(platform_without_an_os_is_linux) {
    auto bare = hale::image::parse_platform("amd64");
    BOOST_TEST_REQUIRE(bare.ok());
    BOOST_TEST(bare->os == "linux");
}

BOOST_AUTO_TEST_CASE(platform_with_an_empty_part_is_refused) {
    BOOST_TEST(!hale::image::parse_platform("linux//x").ok());
}

BOOST_AUTO_TEST_SUITE_END()
