#include "image/layer.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::Compression;
using hale::image::EntryType;
using hale::image::Layer;
using hale::image::LayerLimits;
using hale::image::PathTable;
using hale::image::PeekSource;
using hale::test::MemorySource;
using hale::test::TarBuilder;
using hale::test::TarEntry;

struct ReadResult {
    PathTable paths;
    hale::probes::Result<std::unique_ptr<Layer>> layer = hale::probes::Error{"not read"};
};

ReadResult read(const std::string& blob, size_t chunk = 1 << 16, LayerLimits limits = {}) {
    ReadResult result;
    MemorySource source(blob, chunk);
    PeekSource peek(source);
    hale::image::ReadBudget budget(limits);
    budget.bytes().add_stored(blob.size());
    result.layer = hale::image::read_layer(peek, "layer", result.paths, budget);
    return result;
}

const hale::image::Entry& entry_at(const ReadResult& result, const std::string& path) {
    const Layer& layer = **result.layer;
    for (size_t i = 0; i < layer.entries.size(); ++i) {
        if (result.paths.path(layer.entries[i].node) == path) {
            return layer.entries[i];
        }
    }
    throw std::runtime_error("no entry " + path);
}

std::string sample_tar() {
    return TarBuilder()
        .dir("app/")
        .file("app/data.bin", std::string(3000, 'x'))
        .file("app/empty", "")
        .symlink("app/link", "data.bin")
        .hardlink("app/hard", "app/data.bin")
        .build();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_test)

BOOST_AUTO_TEST_CASE(plain_tar_diff_id_is_the_sha256_of_the_stream) {
    std::string tar = sample_tar();
    auto result = read(tar);
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    const Layer& layer = **result.layer;
    BOOST_TEST((layer.compression == Compression::None));
    BOOST_TEST(hale::image::digest_string(layer.diff_digest) == hale::test::sha256_digest(tar));
    BOOST_TEST(layer.tar_bytes == tar.size());
    BOOST_TEST(layer.blob_bytes == tar.size());
}

BOOST_AUTO_TEST_CASE(gzip_layer_hashes_both_the_blob_and_its_content) {
    std::string tar = sample_tar();
    std::string blob = hale::test::gzip(tar);
    auto result = read(blob);
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    const Layer& layer = **result.layer;
    BOOST_TEST((layer.compression == Compression::Gzip));
    BOOST_TEST(hale::image::digest_string(layer.diff_digest) == hale::test::sha256_digest(tar));
    BOOST_TEST(hale::image::digest_string(layer.blob_digest) == hale::test::sha256_digest(blob));
    BOOST_TEST(layer.blob_bytes == blob.size());
    BOOST_TEST(layer.tar_bytes == tar.size());
}

BOOST_AUTO_TEST_CASE(zstd_layer_is_decoded) {
    std::string tar = sample_tar();
    auto result = read(hale::test::zstd(tar));
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    BOOST_TEST(((*result.layer)->compression == Compression::Zstd));
    BOOST_TEST(hale::image::digest_string((*result.layer)->diff_digest) ==
               hale::test::sha256_digest(tar));
    BOOST_TEST((*result.layer)->entries.size() == 5u);
}

BOOST_AUTO_TEST_CASE(concatenated_gzip_members_are_one_stream_as_estargz_writes_them) {
    std::string first = TarBuilder().file("README.md", "hello").build();
    std::string trailer = TarBuilder().file("stargz.index.json", "{}").build();
    auto result = read(hale::test::gzip(first) + hale::test::gzip(trailer));
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    // The diff_id covers every member, while entries stop at the first end-of-archive mark.
    BOOST_TEST(hale::image::digest_string((*result.layer)->diff_digest) ==
               hale::test::sha256_digest(first + trailer));
    BOOST_TEST((*result.layer)->entries.size() == 1u);
}

BOOST_AUTO_TEST_CASE(every_chunk_split_reads_the_same_layer) {
    std::string blob = hale::test::gzip(sample_tar());
    auto whole = read(blob);
    BOOST_TEST_REQUIRE(whole.layer.ok());
    for (size_t chunk : {1u, 3u, 7u, 511u, 513u}) {
        auto split = read(blob, chunk);
        BOOST_TEST_REQUIRE(split.layer.ok(),
                           "chunk " << chunk << ": " << hale::test::why(split.layer));
        BOOST_TEST((*split.layer)->diff_digest == (*whole.layer)->diff_digest);
        BOOST_TEST((*split.layer)->entries.size() == (*whole.layer)->entries.size());
    }
}

BOOST_AUTO_TEST_CASE(entries_keep_type_size_owner_and_mode) {
    auto result = read(TarBuilder()
                           .dir("srv/", 0750, 1000)
                           .file("srv/run", "#!/bin/sh\n", 04755, 1000, 1000)
                           .build());
    BOOST_TEST_REQUIRE(result.layer.ok());
    const auto& dir = entry_at(result, "/srv");
    BOOST_TEST((dir.type == EntryType::Directory));
    BOOST_TEST(dir.mode == 0750u);
    const auto& run = entry_at(result, "/srv/run");
    BOOST_TEST((run.type == EntryType::Regular));
    BOOST_TEST(run.size == 10u);
    BOOST_TEST(run.mode == 04755u);
    BOOST_TEST(run.uid == 1000u);
    BOOST_TEST(run.gid == 1000u);
}

BOOST_AUTO_TEST_CASE(symlink_keeps_its_target_and_hardlink_its_path) {
    auto result = read(sample_tar());
    BOOST_TEST_REQUIRE(result.layer.ok());
    const Layer& layer = **result.layer;
    const auto& link = entry_at(result, "/app/link");
    BOOST_TEST((link.type == EntryType::Symlink));
    BOOST_TEST(layer.symlink_targets.at(link.link) == "data.bin");
    const auto& hard = entry_at(result, "/app/hard");
    BOOST_TEST((hard.type == EntryType::Hardlink));
    BOOST_TEST(result.paths.path(hard.link) == "/app/data.bin");
    BOOST_TEST(hard.size == 0u);
}

BOOST_AUTO_TEST_CASE(identical_content_gives_identical_hashes) {
    auto result = read(TarBuilder()
                           .file("a", "same bytes")
                           .file("b", "same bytes")
                           .file("c", "other bytes")
                           .build());
    BOOST_TEST_REQUIRE(result.layer.ok());
    BOOST_TEST(entry_at(result, "/a").content == entry_at(result, "/b").content);
    BOOST_TEST(entry_at(result, "/a").content != entry_at(result, "/c").content);
}

BOOST_AUTO_TEST_CASE(extended_attributes_are_kept_per_entry) {
    TarEntry entry;
    entry.name = "usr/bin/ping";
    entry.content = "elf";
    entry.xattrs["security.capability"] = std::string("\x01\x00\x00\x02", 4);
    auto result = read(TarBuilder().add(entry).build());
    BOOST_TEST_REQUIRE(result.layer.ok());
    const Layer& layer = **result.layer;
    BOOST_TEST(entry_at(result, "/usr/bin/ping").has_xattrs);
    auto pairs = hale::image::split_xattrs(layer.xattrs.at(0));
    BOOST_TEST_REQUIRE(pairs.size() == 1u);
    BOOST_TEST(pairs[0].first == "security.capability");
    BOOST_TEST(pairs[0].second.size() == 4u);
}

BOOST_AUTO_TEST_CASE(names_clean_as_rooted_paths) {
    auto result = read(TarBuilder()
                           .file("./a//b/", "1")
                           .file("/c", "2")
                           .file("../../etc/passwd", "3")
                           .file("d/../e", "4")
                           .build());
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    std::vector<std::string> names;
    for (size_t i = 0; i < (*result.layer)->entries.size(); ++i) {
        names.push_back(result.paths.path((*result.layer)->entries[i].node));
    }
    BOOST_TEST(hale::test::joined(names) ==
               hale::test::joined(std::vector<std::string>{"/a/b", "/c", "/etc/passwd", "/e"}));
}

BOOST_AUTO_TEST_CASE(layer_size_is_the_sum_of_header_sizes) {
    auto result = read(TarBuilder().file("a", "12345").file("b", "678").dir("c/").build());
    BOOST_TEST_REQUIRE(result.layer.ok());
    BOOST_TEST((*result.layer)->content_bytes == 8u);
}

BOOST_AUTO_TEST_CASE(empty_layer_of_two_zero_blocks_has_no_entries) {
    auto result = read(std::string(1024, '\0'));
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    BOOST_TEST((*result.layer)->entries.size() == 0u);
    BOOST_TEST(hale::image::digest_string((*result.layer)->diff_digest) ==
               "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
}

BOOST_AUTO_TEST_CASE(truncated_layer_is_an_error) {
    std::string tar = TarBuilder().file("big", std::string(10000, 'x')).build();
    auto result = read(tar.substr(0, 3000));
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("cannot read layer tar") == 0u,
               hale::test::why(result.layer));
}

BOOST_AUTO_TEST_CASE(truncated_gzip_layer_is_an_error) {
    std::string blob = hale::test::gzip(sample_tar());
    auto result = read(blob.substr(0, blob.size() / 2));
    BOOST_TEST(!result.layer.ok());
}

BOOST_AUTO_TEST_CASE(entries_beyond_the_limit_stop_the_read) {
    TarBuilder tar;
    for (int i = 0; i < 20; ++i) {
        tar.file("f" + std::to_string(i), "");
    }
    LayerLimits limits;
    limits.max_entries = 10;
    auto result = read(tar.build(), 1 << 16, limits);
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("more than 10 entries") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(layer_expanding_beyond_the_ratio_is_stopped) {
    std::string tar = TarBuilder().file("zeros", std::string(4 << 20, '\0')).build();
    LayerLimits limits;
    limits.bomb_floor = 1 << 20;
    limits.max_ratio = 100;
    auto result = read(hale::test::zstd(tar), 1 << 16, limits);
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("decompression bomb") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sparse_file_hashes_like_the_same_file_stored_plainly) {
    // The hole after the last data block counts as much as the ones between blocks.
    TarEntry sparse;
    sparse.name = "sparse";
    sparse.sparse_blocks = {{4096, "hello"}, {9000, "world"}};
    sparse.sparse_size = 20000;
    std::string plain(20000, '\0');
    plain.replace(4096, 5, "hello");
    plain.replace(9000, 5, "world");
    auto result = read(TarBuilder().add(sparse).file("plain", plain).build());
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    BOOST_TEST(entry_at(result, "/sparse").size == 20000u);
    BOOST_TEST(entry_at(result, "/sparse").content == entry_at(result, "/plain").content);
}

BOOST_AUTO_TEST_CASE(holes_beyond_the_expansion_budget_stop_the_read) {
    TarEntry sparse;
    sparse.name = "far";
    sparse.sparse_blocks = {{uint64_t{4} << 30, "x"}};
    sparse.sparse_size = (uint64_t{4} << 30) + 1;
    LayerLimits limits;
    limits.bomb_floor = 1 << 20;
    limits.max_ratio = 100;
    auto result = read(TarBuilder().add(sparse).build(), 1 << 16, limits);
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("holes of sparse files exceed 100 times") == 0u,
               hale::test::why(result.layer));
}

BOOST_AUTO_TEST_CASE(hole_after_the_last_block_is_charged_to_the_budget) {
    TarEntry sparse;
    sparse.name = "tail";
    sparse.sparse_blocks = {{0, "x"}};
    sparse.sparse_size = uint64_t{4} << 30;
    LayerLimits limits;
    limits.bomb_floor = 1 << 20;
    limits.max_ratio = 100;
    auto result = read(TarBuilder().add(sparse).build(), 1 << 16, limits);
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("holes of sparse files") == 0u,
               hale::test::why(result.layer));
}

BOOST_AUTO_TEST_CASE(expansion_budget_is_shared_by_the_layers_of_an_archive) {
    // Each layer alone stays under the floor; together they pass it.
    std::string tar = TarBuilder().file("zeros", std::string(600 << 10, '\0')).build();
    std::string blob = hale::test::zstd(tar);
    LayerLimits limits;
    limits.bomb_floor = 1 << 20;
    limits.max_ratio = 100;
    hale::image::ReadBudget budget(limits);
    PathTable paths;
    for (int i = 0; i < 2; ++i) {
        budget.bytes().add_stored(blob.size());
        MemorySource source(blob);
        PeekSource peek(source);
        auto layer = hale::image::read_layer(peek, "layer", paths, budget);
        BOOST_TEST_REQUIRE(layer.ok() == (i == 0), hale::test::why(layer));
    }
    BOOST_TEST(budget.spent());
}

BOOST_AUTO_TEST_CASE(names_deeper_than_the_depth_limit_are_skipped_with_a_warning) {
    std::string deep;
    for (size_t i = 0; i <= PathTable::kMaxDepth; ++i) {
        deep += "d/";
    }
    auto result = read(TarBuilder().file(deep + "f", "x").file("ok", "y").build());
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    const Layer& layer = **result.layer;
    BOOST_TEST(layer.entries.size() == 1u);
    BOOST_TEST(hale::test::joined(layer.warnings) ==
               "skipped 1 entries with names deeper than 256 components");
}

BOOST_AUTO_TEST_CASE(path_components_beyond_the_budget_stop_the_read) {
    LayerLimits limits;
    limits.path_nodes_slack = 100;
    limits.path_nodes_per_entry = 1;
    TarBuilder tar;
    for (int i = 0; i < 20; ++i) {
        tar.file("e" + std::to_string(i) + "/a/b/c/d/e/f/g/h/i", "");
    }
    auto result = read(tar.build(), 1 << 16, limits);
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("path components, more than the") != std::string::npos,
               hale::test::why(result.layer));
}

BOOST_AUTO_TEST_CASE(text_beyond_the_budget_stops_the_read) {
    LayerLimits limits;
    limits.text_slack = 1000;
    limits.text_per_entry = 10;
    auto result =
        read(TarBuilder().symlink("link", std::string(2000, 't')).build(), 1 << 16, limits);
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error().find("names, link targets and attributes of 1 entries") == 0u,
               hale::test::why(result.layer));
}

namespace {

std::string pax_record(const std::string& key, const std::string& value) {
    std::string body = " " + key + "=" + value + "\n";
    size_t length = body.size() + 1;
    while (std::to_string(length).size() + body.size() != length) {
        ++length;
    }
    return std::to_string(length) + body;
}

// A sparse file as GNU tar's PAX format 1.0 writes it: the map of `blocks` (offset, size)
// leads the entry's data, which libarchive reads whole with the header.
TarBuilder& sparse_1_0(TarBuilder& tar,
                       const std::string& name,
                       const std::vector<std::pair<uint64_t, uint64_t>>& blocks,
                       uint64_t size) {
    TarEntry pax;
    pax.name = "PaxHeaders/" + name;
    pax.type = 'x';
    pax.content = pax_record("GNU.sparse.major", "1") + pax_record("GNU.sparse.minor", "0") +
                  pax_record("GNU.sparse.name", name) +
                  pax_record("GNU.sparse.realsize", std::to_string(size));
    std::string map = std::to_string(blocks.size()) + "\n";
    uint64_t stored = 0;
    for (const auto& [offset, bytes] : blocks) {
        map += std::to_string(offset) + "\n" + std::to_string(bytes) + "\n";
        stored += bytes;
    }
    map.resize((map.size() + 511) / 512 * 512, '\0');
    TarEntry data;
    data.name = "GNUSparseFile.0/" + name;
    data.content = map + std::string(stored, 'x');
    return tar.add(pax).add(data);
}

}  // namespace

BOOST_AUTO_TEST_CASE(sparse_map_in_the_data_is_read) {
    TarBuilder tar;
    auto result = read(sparse_1_0(tar, "db", {{4096, 3}}, 8192).build());
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    BOOST_TEST(entry_at(result, "/db").size == 8192u);
}

BOOST_AUTO_TEST_CASE(sparse_map_larger_than_a_header_may_take_stops_the_read) {
    // Each "0\n0\n" block costs libarchive about 50 bytes: a map of a few hundred MB held
    // whole would take GiBs.
    std::vector<std::pair<uint64_t, uint64_t>> blocks(600'000, {0, 0});
    TarBuilder tar;
    auto result = read(sparse_1_0(tar, "db", blocks, 1).build());
    BOOST_TEST_REQUIRE(!result.layer.ok());
    BOOST_TEST(result.layer.error() ==
               "a tar header (sparse map, long names, extended attributes) takes more than "
               "2097152 bytes; real ones take a few KiB");
}

BOOST_AUTO_TEST_CASE(data_of_a_skipped_entry_does_not_count_as_header) {
    std::string long_name(PathTable::kMaxPath + 1, 'n');
    TarEntry skipped;
    skipped.name = long_name;
    skipped.content = std::string(3 << 20, 'x');
    // The name lives in a pax record, as tar writes names over 100 bytes.
    TarEntry pax;
    pax.name = "PaxHeaders/long";
    pax.type = 'x';
    pax.content = pax_record("path", long_name);
    auto result = read(TarBuilder().add(pax).add(skipped).file("after", "y").build());
    BOOST_TEST_REQUIRE(result.layer.ok(), hale::test::why(result.layer));
    BOOST_TEST((*result.layer)->entries.size() == 1u);
}

BOOST_AUTO_TEST_CASE(absurd_header_size_without_data_is_an_error) {
    TarEntry entry;
    entry.name = "huge";
    entry.content = "tiny";
    entry.header_size = uint64_t{1} << 40;
    auto result = read(TarBuilder().add(entry).build());
    BOOST_TEST(!result.layer.ok());
}

BOOST_AUTO_TEST_CASE(sniffing_tells_layers_from_documents) {
    using hale::image::BlobKind;
    auto kind = [](const std::string& head) {
        return hale::image::sniff_blob(
            {reinterpret_cast<const uint8_t*>(head.data()), head.size()});
    };
    BOOST_TEST((kind(hale::test::gzip("x")) == BlobKind::Gzip));
    BOOST_TEST((kind(hale::test::zstd("x")) == BlobKind::Zstd));
    BOOST_TEST((kind(sample_tar()) == BlobKind::Tar));
    BOOST_TEST((kind("  {\"schemaVersion\": 2}") == BlobKind::Document));
    BOOST_TEST((kind("1.0") == BlobKind::Other));
}

BOOST_AUTO_TEST_SUITE_END()
