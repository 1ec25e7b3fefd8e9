#include "image/inspect.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::ImageReport;
using hale::test::HistorySpec;
using hale::test::ImageSpec;
using hale::test::OciOptions;
using hale::test::TarBuilder;

ImageSpec sample_image(const std::string& compression = "none") {
    ImageSpec image;
    image.layers = {
        {TarBuilder().dir("etc/").file("etc/os-release", "ID=test\n").build(),
         "/bin/sh -c #(nop) ADD file:abc in / ", compression},
        {TarBuilder().dir("app/").file("app/bin", std::string(5000, 'b'), 0755).build(),
         "COPY bin /app/ # buildkit", compression},
        {TarBuilder()
             .dir("app/", 0755, 1000)
             .file("app/bin", std::string(5000, 'b'), 0755, 1000, 1000)
             .build(),
         "RUN /bin/sh -c chown -R 1000:1000 /app # buildkit", compression},
    };
    return image;
}

ImageReport inspect(const std::string& tar, size_t chunk = 1 << 16) {
    auto report = hale::test::inspect_tar(tar, chunk);
    if (!report) {
        throw std::runtime_error(report.error());
    }
    return std::move(*report);
}

// What must not depend on the container: layers, sizes, accounting.
void same_analysis(const ImageReport& a, const ImageReport& b) {
    BOOST_TEST_REQUIRE(a.layers.size() == b.layers.size());
    for (size_t i = 0; i < a.layers.size(); ++i) {
        BOOST_TEST(a.layers[i].diff_id == b.layers[i].diff_id);
        BOOST_TEST(a.layers[i].size_bytes == b.layers[i].size_bytes);
        BOOST_TEST(a.layers[i].uncompressed_bytes == b.layers[i].uncompressed_bytes);
        BOOST_TEST(a.layers[i].files == b.layers[i].files);
        BOOST_TEST((a.layers[i].command == b.layers[i].command));
    }
    BOOST_TEST(a.efficiency == b.efficiency);
    BOOST_TEST(a.wasted_bytes == b.wasted_bytes);
    BOOST_TEST(a.dive_wasted_bytes == b.dive_wasted_bytes);
    BOOST_TEST(a.ghosts.size() == b.ghosts.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(inspect_test)

BOOST_AUTO_TEST_CASE(every_archive_layout_gives_the_same_analysis) {
    ImageSpec image = sample_image();
    ImageReport legacy = inspect(hale::test::tar_of(hale::test::docker_archive(image)));
    BOOST_TEST(legacy.format == "docker-archive");

    hale::test::DockerArchiveOptions podman;
    podman.symlinked_layers = true;
    same_analysis(legacy, inspect(hale::test::tar_of(hale::test::docker_archive(image, podman))));

    OciOptions docker25;
    docker25.docker_manifest = true;
    ImageReport v25 = inspect(hale::test::tar_of(hale::test::oci_layout(image, docker25)));
    BOOST_TEST(v25.format == "docker-archive+oci");
    same_analysis(legacy, v25);

    ImageReport gzipped =
        inspect(hale::test::gzip(hale::test::tar_of(hale::test::docker_archive(image))));
    BOOST_TEST(gzipped.compression == "gzip");
    same_analysis(legacy, gzipped);

    ImageReport oci = inspect(hale::test::tar_of(hale::test::oci_layout(sample_image("gzip"))));
    BOOST_TEST(oci.format == "oci-archive");
    same_analysis(legacy, oci);

    std::string dir = hale::test::temp_directory("layout");
    hale::test::write_directory(dir, hale::test::oci_layout(sample_image("zstd")));
    auto layout = hale::image::inspect_image(dir, {});
    BOOST_TEST_REQUIRE(layout.ok(), hale::test::why(layout));
    BOOST_TEST(layout->format == "oci-layout");
    same_analysis(legacy, *layout);
}

BOOST_AUTO_TEST_CASE(compressed_layers_report_both_sizes) {
    ImageSpec image = sample_image("gzip");
    image.layers[1].compression = "zstd";
    ImageReport report = inspect(hale::test::tar_of(hale::test::oci_layout(image)));
    BOOST_TEST(report.layers[0].compression == "gzip");
    BOOST_TEST(report.layers[1].compression == "zstd");
    for (size_t i = 0; i < image.layers.size(); ++i) {
        BOOST_TEST(report.layers[i].uncompressed_bytes == image.layers[i].tar.size());
        BOOST_TEST(report.layers[i].compressed_bytes < report.layers[i].uncompressed_bytes);
        BOOST_TEST(report.layers[i].digest.find("sha256:") == 0u);
    }
}

BOOST_AUTO_TEST_CASE(stream_split_anywhere_gives_the_same_report) {
    std::string tar =
        hale::test::gzip(hale::test::tar_of(hale::test::oci_layout(sample_image("gzip"))));
    ImageReport whole = inspect(tar);
    for (size_t chunk : {1u, 13u, 4097u}) {
        same_analysis(whole, inspect(tar, chunk));
    }
}

BOOST_AUTO_TEST_CASE(history_skips_empty_layer_entries) {
    ImageSpec image = sample_image();
    image.history = std::vector<HistorySpec>{{"/bin/sh -c #(nop) ADD file:abc in / "},
                                             {"/bin/sh -c #(nop)  ENV A=1", true},
                                             {"COPY bin /app/ # buildkit"},
                                             {"/bin/sh -c #(nop)  WORKDIR /app", true},
                                             {"RUN chown"}};
    ImageReport report = inspect(hale::test::tar_of(hale::test::docker_archive(image)));
    BOOST_TEST(*report.layers[0].command == "#(nop) ADD file:abc in / ");
    BOOST_TEST(*report.layers[1].command == "COPY bin /app/ # buildkit");
    BOOST_TEST(*report.layers[2].command == "RUN chown");
    BOOST_TEST(report.warnings.empty());
}

BOOST_AUTO_TEST_CASE(layers_without_history_entries_get_no_command_and_a_warning) {
    ImageSpec image = sample_image();
    image.history = std::vector<HistorySpec>{{"ADD rootfs /"}, {"ENV A=1", true}};
    ImageReport report = inspect(hale::test::tar_of(hale::test::docker_archive(image)));
    BOOST_TEST(report.layers[0].command.has_value());
    BOOST_TEST(!report.layers[1].command.has_value());
    BOOST_TEST(!report.layers[2].command.has_value());
    BOOST_TEST_REQUIRE(report.warnings.size() == 1u);
    BOOST_TEST(report.warnings[0].find("layers 1 and up have no command") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(extra_history_entries_are_ignored_with_a_warning) {
    ImageSpec image = sample_image();
    image.history = std::vector<HistorySpec>{{"a"}, {"b"}, {"c"}, {"d"}};
    ImageReport report = inspect(hale::test::tar_of(hale::test::docker_archive(image)));
    BOOST_TEST(*report.layers[2].command == "c");
    BOOST_TEST_REQUIRE(report.warnings.size() == 1u);
    BOOST_TEST(report.warnings[0].find("extra ones are ignored") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(image_without_layers_is_reported_empty) {
    ImageReport report = inspect(hale::test::tar_of(hale::test::docker_archive(ImageSpec{})));
    BOOST_TEST(report.layers.empty());
    BOOST_TEST(report.efficiency == 1.0);
    BOOST_TEST(report.total_bytes == 0u);
    BOOST_TEST(!report.dive_user_wasted_ratio.has_value());
}

BOOST_AUTO_TEST_CASE(image_without_file_bytes_scores_full_efficiency) {
    ImageSpec image;
    image.layers = {{TarBuilder().dir("a/").dir("a/b/").build(), "RUN mkdir"},
                    {TarBuilder().dir("a/").file("a/empty", "").build(), "RUN touch"}};
    ImageReport report = inspect(hale::test::tar_of(hale::test::docker_archive(image)));
    BOOST_TEST(report.efficiency == 1.0);
    BOOST_TEST(report.wasted_bytes == 0u);
    BOOST_TEST(!report.user_wasted_ratio.has_value());  // 0 of 0 user bytes
}

BOOST_AUTO_TEST_CASE(repeated_empty_layer_is_matched_at_every_position) {
    ImageSpec image = sample_image("gzip");
    std::string empty(1024, '\0');
    image.layers.insert(image.layers.begin() + 1, {empty, "RUN true", "gzip"});
    image.layers.push_back({empty, "RUN true", "gzip"});
    ImageReport report = inspect(hale::test::tar_of(hale::test::oci_layout(image)));
    BOOST_TEST_REQUIRE(report.layers.size() == 5u);
    BOOST_TEST(report.layers[1].diff_id ==
               "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    BOOST_TEST(report.layers[4].diff_id == report.layers[1].diff_id);
    BOOST_TEST(report.warnings.empty());
}

BOOST_AUTO_TEST_CASE(dive_and_hale_wasted_bytes_differ_by_the_copy_kept) {
    ImageReport report = inspect(hale::test::tar_of(hale::test::docker_archive(sample_image())));
    BOOST_TEST(report.dive_wasted_bytes == 10000u);
    BOOST_TEST(report.wasted_bytes == 5000u);
    BOOST_TEST(report.total_bytes == report.final_bytes + report.wasted_bytes);
}

BOOST_AUTO_TEST_SUITE_END()
