#include "image/overlay.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::ImageReport;
using hale::test::ImageSpec;
using hale::test::TarBuilder;
using hale::test::TarEntry;

ImageReport inspect_layers(const std::vector<std::string>& tars,
                           const std::vector<std::string>& commands = {}) {
    ImageSpec image;
    for (size_t i = 0; i < tars.size(); ++i) {
        image.layers.push_back({tars[i], i < commands.size() ? commands[i] : "RUN step"});
    }
    auto report = hale::test::inspect_tar(hale::test::tar_of(hale::test::docker_archive(image)));
    if (!report) {
        throw std::runtime_error(report.error());
    }
    return std::move(*report);
}

const std::string kTenMiB(10 << 20, 'D');

TarEntry data_file(uint32_t uid, int64_t mtime = 0, const std::string& content = kTenMiB) {
    TarEntry entry;
    entry.name = "app/data.bin";
    entry.content = content;
    entry.uid = uid;
    entry.gid = uid;
    entry.mtime = mtime;
    return entry;
}

std::string copy_layer() {
    return TarBuilder().dir("app/").add(data_file(0)).build();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(overlay_test)

BOOST_AUTO_TEST_CASE(chown_after_copy_is_a_ghost_with_one_copy_wasted) {
    ImageReport report = inspect_layers(
        {copy_layer(), TarBuilder().dir("app/", 0755, 1000).add(data_file(1000)).build()},
        {"COPY data.bin /app/ # buildkit", "RUN /bin/sh -c chown -R 1000:1000 /app"});
    BOOST_TEST(report.total_bytes == 20971520u);
    BOOST_TEST(report.wasted_bytes == 10485760u);
    BOOST_TEST(report.efficiency == 0.5);
    BOOST_TEST_REQUIRE(report.ghosts.size() == 1u);
    const auto& ghost = report.ghosts[0];
    BOOST_TEST(ghost.path == "/app/data.bin");
    BOOST_TEST(ghost.from_layer == 0u);
    BOOST_TEST(ghost.to_layer == 1u);
    BOOST_TEST(ghost.bytes == 10485760u);
    BOOST_TEST(ghost.reason == "owner 0:0->1000:1000, identical sha256");
    BOOST_TEST(ghost.hint == "COPY --chown=1000:1000");
    const auto* path = hale::test::find_path(report, "/app/data.bin");
    BOOST_TEST_REQUIRE(path != nullptr);
    BOOST_TEST(path->kind == "ghost");
    BOOST_TEST(path->copies == 2u);
    BOOST_TEST((path->layers == std::vector<uint32_t>{0, 1}));
}

BOOST_AUTO_TEST_CASE(rewrite_with_identical_metadata_is_a_ghost_rewritten_unchanged) {
    ImageReport report = inspect_layers({copy_layer(), TarBuilder().add(data_file(0)).build()});
    BOOST_TEST_REQUIRE(report.ghosts.size() == 1u);
    BOOST_TEST(report.ghosts[0].reason == "rewritten unchanged");
    BOOST_TEST(report.ghosts[0].hint.find("--chown") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(touch_that_changes_only_mtime_is_a_ghost) {
    ImageReport report = inspect_layers({copy_layer(), TarBuilder().add(data_file(0, 99)).build()});
    BOOST_TEST_REQUIRE(report.ghosts.size() == 1u);
    BOOST_TEST(report.ghosts[0].reason == "mtime-only, identical sha256");
}

BOOST_AUTO_TEST_CASE(capability_change_is_an_xattr_only_ghost_without_chown_hint) {
    TarEntry with_caps = data_file(0);
    with_caps.xattrs["security.capability"] = std::string("\x01\x00\x00\x02", 4);
    ImageReport report = inspect_layers({copy_layer(), TarBuilder().add(with_caps).build()});
    BOOST_TEST_REQUIRE(report.ghosts.size() == 1u);
    BOOST_TEST(report.ghosts[0].reason == "xattr-only (security.capability)");
    BOOST_TEST(report.ghosts[0].hint.find("--chown") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(same_size_with_other_bytes_is_overwritten_not_a_ghost) {
    ImageReport report = inspect_layers(
        {copy_layer(), TarBuilder().add(data_file(0, 0, std::string(10 << 20, 'E'))).build()});
    BOOST_TEST(report.ghosts.empty());
    BOOST_TEST(report.wasted_bytes == 10485760u);
    const auto* path = hale::test::find_path(report, "/app/data.bin");
    BOOST_TEST_REQUIRE(path != nullptr);
    BOOST_TEST(path->kind == "overwritten");
}

BOOST_AUTO_TEST_CASE(mode_change_of_a_run_created_file_hints_the_same_run) {
    TarEntry chmodded;
    chmodded.name = "etc/conf";
    chmodded.content = "setting=1\n";
    chmodded.mode = 0600;
    ImageReport report = inspect_layers(
        {TarBuilder().file("etc/conf", "setting=1\n").build(), TarBuilder().add(chmodded).build()},
        {"RUN /bin/sh -c write-conf", "RUN /bin/sh -c chmod 600 /etc/conf"});
    BOOST_TEST_REQUIRE(report.ghosts.size() == 1u);
    BOOST_TEST(report.ghosts[0].reason == "mode 0644->0600, identical sha256");
    BOOST_TEST(report.ghosts[0].hint == "change owner or mode in the RUN that creates the file");
}

BOOST_AUTO_TEST_CASE(whiteout_hides_a_lower_file) {
    ImageReport report =
        inspect_layers({TarBuilder().file("tmp/big", std::string(5000, 'x')).build(),
                        TarBuilder().file("tmp/.wh.big", "").build()});
    BOOST_TEST(report.wasted_bytes == 5000u);
    BOOST_TEST(report.final_bytes == 0u);
    const auto* path = hale::test::find_path(report, "/tmp/big");
    BOOST_TEST_REQUIRE(path != nullptr);
    BOOST_TEST(path->kind == "deleted");
    BOOST_TEST(path->removed_in.value_or(99) == 1u);
}

BOOST_AUTO_TEST_CASE(whiteout_of_a_directory_hides_everything_below_it) {
    ImageReport report = inspect_layers({TarBuilder()
                                             .file("var/lib/apt/lists/a", std::string(700, 'a'))
                                             .file("var/lib/apt/lists/sub/b", std::string(300, 'b'))
                                             .build(),
                                         TarBuilder().file("var/lib/apt/.wh.lists", "").build()});
    BOOST_TEST(report.wasted_bytes == 1000u);
    const auto* path = hale::test::find_path(report, "/var/lib/apt/lists");
    BOOST_TEST_REQUIRE(path != nullptr);
    BOOST_TEST(path->files == 2u);
    BOOST_TEST(path->kind == "deleted");
}

BOOST_AUTO_TEST_CASE(whiteout_does_not_hide_its_own_layer) {
    ImageReport report =
        inspect_layers({TarBuilder().file("x", std::string(10, 'a')).build(),
                        TarBuilder().file("x", std::string(20, 'b')).file(".wh.x", "").build()});
    BOOST_TEST(report.final_bytes == 20u);
    BOOST_TEST(report.wasted_bytes == 10u);
}

BOOST_AUTO_TEST_CASE(opaque_whiteout_hides_lower_children_whatever_its_place_in_the_tar) {
    ImageReport report =
        inspect_layers({TarBuilder()
                            .dir("cache/")
                            .file("cache/a", std::string(300, 'a'))
                            .file("cache/b", std::string(700, 'b'))
                            .build(),
                        // The marker comes after the layer's own entry: it still applies first.
                        TarBuilder()
                            .dir("cache/")
                            .file("cache/new", std::string(50, 'n'))
                            .file("cache/.wh..wh..opq", "")
                            .build()});
    BOOST_TEST(report.wasted_bytes == 1000u);
    BOOST_TEST(report.final_bytes == 50u);
    const auto* path = hale::test::find_path(report, "/cache");
    BOOST_TEST_REQUIRE(path != nullptr);
    BOOST_TEST(path->kind == "deleted");
    BOOST_TEST(path->files == 2u);
}

BOOST_AUTO_TEST_CASE(opaque_marker_repeated_in_a_layer_clears_the_directory_once) {
    ImageReport report = inspect_layers({TarBuilder()
                                             .dir("cache/")
                                             .file("cache/a", std::string(300, 'a'))
                                             .file("cache/b", std::string(700, 'b'))
                                             .build(),
                                         TarBuilder()
                                             .file("cache/.wh..wh..opq", "")
                                             .file("cache/new", std::string(50, 'n'))
                                             .file("cache/.wh..wh..opq", "")
                                             .file("cache/.wh..wh..opq", "")
                                             .build()});
    BOOST_TEST(report.wasted_bytes == 1000u);
    BOOST_TEST(report.final_bytes == 50u);
    const auto* path = hale::test::find_path(report, "/cache");
    BOOST_TEST_REQUIRE(path != nullptr);
    BOOST_TEST(path->files == 2u);
}

BOOST_AUTO_TEST_CASE(directory_shown_again_after_a_whiteout_can_be_hidden_again) {
    ImageReport report =
        inspect_layers({TarBuilder().dir("d/").file("d/a", std::string(300, 'a')).build(),
                        TarBuilder().file(".wh.d", "").file("d/b", std::string(700, 'b')).build(),
                        TarBuilder().file(".wh.d", "").file("d/c", std::string(50, 'c')).build()});
    BOOST_TEST(report.wasted_bytes == 1000u);
    BOOST_TEST(report.final_bytes == 50u);
}

BOOST_AUTO_TEST_CASE(directory_replaced_by_a_file_again_and_again_ends_as_the_last_entry) {
    ImageReport report =
        inspect_layers({TarBuilder().dir("d/").file("d/a", std::string(300, 'a')).build(),
                        TarBuilder()
                            .file("d", "f")
                            .dir("d/")
                            .file("d/b", std::string(700, 'b'))
                            .file("d", "g")
                            .build()});
    BOOST_TEST(report.wasted_bytes == 1001u);
    BOOST_TEST(report.final_bytes == 1u);
}

BOOST_AUTO_TEST_CASE(hard_link_keeps_content_shown_when_the_first_name_goes) {
    ImageReport report = inspect_layers({TarBuilder()
                                             .file("bin/tool", std::string(2000, 't'))
                                             .hardlink("bin/alias", "bin/tool")
                                             .build(),
                                         TarBuilder().file("bin/.wh.tool", "").build()});
    BOOST_TEST(report.wasted_bytes == 0u);
    BOOST_TEST(report.final_bytes == 2000u);
}

BOOST_AUTO_TEST_CASE(hard_link_content_is_wasted_when_every_name_goes) {
    ImageReport report =
        inspect_layers({TarBuilder()
                            .file("bin/tool", std::string(2000, 't'))
                            .hardlink("bin/alias", "bin/tool")
                            .build(),
                        TarBuilder().file("bin/.wh.tool", "").file("bin/.wh.alias", "").build()});
    BOOST_TEST(report.wasted_bytes == 2000u);
}

BOOST_AUTO_TEST_CASE(symlink_whiteout_removes_the_link_only) {
    ImageReport report = inspect_layers(
        {TarBuilder().file("bin/tool", std::string(2000, 't')).symlink("bin/sym", "tool").build(),
         TarBuilder().file("bin/.wh.sym", "").build()});
    BOOST_TEST(report.wasted_bytes == 0u);
    BOOST_TEST(report.final_bytes == 2000u);
}

BOOST_AUTO_TEST_CASE(file_replacing_a_directory_hides_its_contents) {
    ImageReport report =
        inspect_layers({TarBuilder().dir("data/").file("data/a", std::string(400, 'a')).build(),
                        TarBuilder().file("data", std::string(5, 'f')).build()});
    BOOST_TEST(report.wasted_bytes == 400u);
    BOOST_TEST(report.final_bytes == 5u);
}

BOOST_AUTO_TEST_CASE(directory_replacing_a_file_hides_the_file) {
    ImageReport report =
        inspect_layers({TarBuilder().file("data", std::string(5, 'f')).build(),
                        TarBuilder().file("data/a", std::string(400, 'a')).build()});
    BOOST_TEST(report.wasted_bytes == 5u);
    BOOST_TEST(report.final_bytes == 400u);
}

BOOST_AUTO_TEST_CASE(same_blob_twice_ships_its_bytes_twice) {
    std::string layer = TarBuilder().file("a", std::string(100, 'a')).build();
    ImageReport report = inspect_layers({layer, layer});
    BOOST_TEST(report.total_bytes == 200u);
    BOOST_TEST(report.wasted_bytes == 100u);
    BOOST_TEST_REQUIRE(report.ghosts.size() == 1u);
    BOOST_TEST(report.ghosts[0].reason == "rewritten unchanged");
}

BOOST_AUTO_TEST_CASE(bare_whiteout_name_is_ignored_with_a_warning) {
    ImageReport report = inspect_layers(
        {TarBuilder().file("a/b", "1").build(), TarBuilder().file("a/.wh.", "").build()});
    BOOST_TEST(report.final_bytes == 1u);
    bool warned = false;
    for (const auto& warning : report.warnings) {
        warned = warned || warning.find("named '.wh.'") != std::string::npos;
    }
    BOOST_TEST(warned);
}

BOOST_AUTO_TEST_SUITE_END()
