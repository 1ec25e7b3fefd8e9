#include "image/blob_store.hpp"

#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::BlobStore;
using hale::image::ReadOptions;
using hale::test::ArchiveItem;
using hale::test::MemorySource;
using hale::test::TarBuilder;

hale::probes::Result<std::unique_ptr<BlobStore>> read(const std::string& tar,
                                                      size_t chunk = 1 << 16,
                                                      ReadOptions options = {}) {
    MemorySource source(tar, chunk);
    return hale::image::read_tar_stream(source, options);
}

std::string small_layer() {
    return TarBuilder().file("hello", "world").build();
}

std::string sample_archive() {
    return hale::test::tar_of({{"manifest.json", "[{\"Config\":\"c.json\"}]", ""},
                               {"c.json", "{\"os\":\"linux\"}", ""},
                               {"abc/layer.tar", small_layer(), ""},
                               {"abc/VERSION", "1.0", ""}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(blob_store_test)

BOOST_AUTO_TEST_CASE(documents_and_layers_are_kept_by_name) {
    auto store = read(sample_archive());
    BOOST_TEST_REQUIRE(store.ok(), hale::test::why(store));
    const std::string* manifest = (*store)->document("manifest.json");
    BOOST_TEST_REQUIRE(manifest != nullptr);
    BOOST_TEST(*manifest == "[{\"Config\":\"c.json\"}]");
    auto layer = (*store)->layer("abc/layer.tar");
    BOOST_TEST_REQUIRE(layer.ok());
    BOOST_TEST_REQUIRE(*layer != nullptr);
    BOOST_TEST((*layer)->entries.size() == 1u);
    BOOST_TEST((*store)->outer_compression() == "none");
}

BOOST_AUTO_TEST_CASE(gzip_outer_stream_is_found_by_its_magic_bytes) {
    auto store = read(hale::test::gzip(sample_archive()));
    BOOST_TEST_REQUIRE(store.ok(), hale::test::why(store));
    BOOST_TEST((*store)->outer_compression() == "gzip");
    BOOST_TEST((*store)->document("manifest.json") != nullptr);
}

BOOST_AUTO_TEST_CASE(zstd_outer_stream_is_found_by_its_magic_bytes) {
    auto store = read(hale::test::zstd(sample_archive()));
    BOOST_TEST_REQUIRE(store.ok(), hale::test::why(store));
    BOOST_TEST((*store)->outer_compression() == "zstd");
    BOOST_TEST((*store)->document("c.json") != nullptr);
}

BOOST_AUTO_TEST_CASE(names_compare_after_cleaning) {
    auto store = read(hale::test::tar_of({{"./blobs//sha256/aa", "{}", ""}}));
    BOOST_TEST_REQUIRE(store.ok());
    BOOST_TEST((*store)->document("blobs/sha256/aa") != nullptr);
    BOOST_TEST((*store)->document("/blobs/sha256/aa") != nullptr);
}

BOOST_AUTO_TEST_CASE(symlinked_layer_entry_resolves_to_its_target) {
    auto store = read(hale::test::tar_of({{"sha.tar", small_layer(), ""},
                                          {"id1/layer.tar", "", "../sha.tar"},
                                          {"id2/layer.tar", "", "/sha.tar"}}));
    BOOST_TEST_REQUIRE(store.ok());
    for (const char* name : {"id1/layer.tar", "id2/layer.tar"}) {
        auto layer = (*store)->layer(name);
        BOOST_TEST_REQUIRE(layer.ok());
        BOOST_TEST_REQUIRE(*layer != nullptr, name);
        BOOST_TEST((*layer)->entries.size() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(symlink_loop_ends_as_a_missing_blob) {
    auto store = read(hale::test::tar_of({{"a.tar", "", "b.tar"}, {"b.tar", "", "a.tar"}}));
    BOOST_TEST_REQUIRE(store.ok());
    auto layer = (*store)->layer("a.tar");
    BOOST_TEST_REQUIRE(layer.ok());
    BOOST_TEST(*layer == nullptr);
}

BOOST_AUTO_TEST_CASE(absent_blob_is_null_and_broken_blob_is_an_error) {
    std::string broken = hale::test::gzip(small_layer());
    broken.resize(broken.size() / 2);
    auto store = read(hale::test::tar_of({{"x/layer.tar", broken, ""}}));
    BOOST_TEST_REQUIRE(store.ok());
    auto missing = (*store)->layer("y/layer.tar");
    BOOST_TEST_REQUIRE(missing.ok());
    BOOST_TEST(*missing == nullptr);
    BOOST_TEST(!(*store)->layer("x/layer.tar").ok());
}

BOOST_AUTO_TEST_CASE(every_chunk_split_reads_the_same_archive) {
    std::string tar = hale::test::gzip(sample_archive());
    for (size_t chunk : {1u, 2u, 5u, 509u}) {
        auto store = read(tar, chunk);
        BOOST_TEST_REQUIRE(store.ok(), "chunk " << chunk << ": " << hale::test::why(store));
        auto layer = (*store)->layer("abc/layer.tar");
        BOOST_TEST_REQUIRE(layer.ok());
        BOOST_TEST((*layer)->entries.size() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(truncated_outer_stream_is_an_error) {
    std::string tar = sample_archive();
    auto store = read(tar.substr(0, tar.size() - 3000));
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error().find("cannot read archive") == 0u, hale::test::why(store));
}

BOOST_AUTO_TEST_CASE(garbage_is_not_an_archive) {
    auto store = read(std::string(4096, 'G'));
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error().find("cannot read archive") == 0u, hale::test::why(store));
}

BOOST_AUTO_TEST_CASE(oversized_document_is_skipped_with_a_warning) {
    ReadOptions options;
    options.document_cap = 100;
    auto store = read(hale::test::tar_of({{"big.json", "{" + std::string(200, ' ') + "}", ""}}),
                      1 << 16, options);
    BOOST_TEST_REQUIRE(store.ok());
    BOOST_TEST((*store)->document("big.json") == nullptr);
    BOOST_TEST_REQUIRE((*store)->warnings().size() == 1u);
    BOOST_TEST((*store)->warnings()[0].find("skipped big.json") == 0u);
}

BOOST_AUTO_TEST_CASE(entries_beyond_the_limit_across_layers_end_the_read) {
    ReadOptions options;
    options.limits.max_entries = 3;
    std::string two = TarBuilder().file("a", "").file("b", "").build();
    auto store = read(hale::test::tar_of({{"x/layer.tar", two, ""}, {"y/layer.tar", two, ""}}),
                      1 << 16, options);
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error() ==
               "y/layer.tar: more than 3 entries (raise --max-entries if the image is genuine)");
}

BOOST_AUTO_TEST_CASE(entries_of_the_archive_itself_count_toward_the_limit) {
    ReadOptions options;
    options.limits.max_entries = 10;
    std::vector<ArchiveItem> items;
    for (int i = 0; i < 20; ++i) {
        items.push_back({"id" + std::to_string(i) + "/VERSION", "1.0", ""});
    }
    auto store = read(hale::test::tar_of(items), 1 << 16, options);
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error() ==
               "id10/VERSION: more than 10 entries (raise --max-entries if the image is genuine)");
}

BOOST_AUTO_TEST_CASE(documents_beyond_the_total_budget_end_the_read) {
    ReadOptions options;
    options.document_budget = 1000;
    std::string document = "{" + std::string(600, ' ') + "}";
    auto store = read(hale::test::tar_of({{"a.json", document, ""}, {"b.json", document, ""}}),
                      1 << 16, options);
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error() ==
               "b.json: documents (manifests, configs, indexes) exceed 1000 bytes in total; real "
               "ones take a few KiB");
}

BOOST_AUTO_TEST_CASE(layout_directory_documents_beyond_the_budget_set_the_limit_error) {
    std::string dir = hale::test::temp_directory("store-budget");
    std::string document = "{" + std::string(600, ' ') + "}";
    hale::test::write_directory(dir, {{"a.json", document, ""}, {"b.json", document, ""}});
    ReadOptions options;
    options.document_budget = 1000;
    auto store = hale::image::open_image(dir, options);
    BOOST_TEST_REQUIRE(store.ok());
    BOOST_TEST((*store)->document("a.json") != nullptr);
    BOOST_TEST((*store)->document("b.json") == nullptr);
    BOOST_TEST((*store)->limit_error().find("b.json: documents") == 0u);
}

BOOST_AUTO_TEST_CASE(decompressed_outer_stream_is_charged_to_the_expansion_budget) {
    ReadOptions options;
    options.limits.bomb_floor = 1 << 20;
    options.limits.max_ratio = 100;
    std::string tar = hale::test::tar_of({{"x/VERSION", std::string(8 << 20, '\0'), ""}});
    auto store = read(hale::test::zstd(tar), 512, options);
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error() == "x/VERSION: decompressed data exceeds 100 times the archive's " +
                                    std::to_string(hale::test::zstd(tar).size()) +
                                    " bytes (decompression bomb?)",
               hale::test::why(store));
}

BOOST_AUTO_TEST_CASE(layout_directory_reads_blobs_on_demand) {
    std::string dir = hale::test::temp_directory("store");
    hale::test::write_directory(dir, {{"index.json", "{}", ""},
                                      {"blobs/sha256/ab", small_layer(), ""},
                                      {"blobs/sha256/cd", "", "ab"}});
    auto store = hale::image::open_image(dir, {});
    BOOST_TEST_REQUIRE(store.ok());
    BOOST_TEST((*store)->container() == "directory");
    BOOST_TEST((*store)->document("index.json") != nullptr);
    for (const char* name : {"blobs/sha256/ab", "blobs/sha256/cd"}) {
        auto layer = (*store)->layer(name);
        BOOST_TEST_REQUIRE(layer.ok());
        BOOST_TEST_REQUIRE(*layer != nullptr);
        BOOST_TEST((*layer)->entries.size() == 1u);
    }
    auto missing = (*store)->layer("blobs/sha256/ef");
    BOOST_TEST_REQUIRE(missing.ok());
    BOOST_TEST(*missing == nullptr);
}

BOOST_AUTO_TEST_CASE(device_is_refused_rather_than_read) {
    auto store = hale::image::open_image("/dev/null", {});
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error() == "cannot read /dev/null: not a regular file or a pipe");
}

BOOST_AUTO_TEST_CASE(pipe_is_read_to_its_end) {
    std::string archive = sample_archive();
    int fds[2];
    BOOST_TEST_REQUIRE(::pipe(fds) == 0);
    BOOST_TEST_REQUIRE(archive.size() < 65536u);  // fits in the pipe's buffer
    BOOST_TEST_REQUIRE(::write(fds[1], archive.data(), archive.size()) ==
                       static_cast<ssize_t>(archive.size()));
    ::close(fds[1]);
    auto store = hale::image::open_image("/dev/fd/" + std::to_string(fds[0]), {});
    ::close(fds[0]);
    BOOST_TEST_REQUIRE(store.ok(), hale::test::why(store));
    BOOST_TEST((*store)->document("manifest.json") != nullptr);
}

BOOST_AUTO_TEST_CASE(missing_path_is_a_one_line_error) {
    auto store = hale::image::open_image("/nonexistent/hale/image.tar", {});
    BOOST_TEST_REQUIRE(!store.ok());
    BOOST_TEST(store.error() ==
               "cannot open /nonexistent/hale/image.tar: no such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()
