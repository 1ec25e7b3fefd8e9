#include "image/dive_efficiency.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::DiveResult;
using hale::image::Layer;
using hale::image::PathTable;
using hale::test::TarBuilder;

// Layers read from tars into one path table, as an archive's are.
struct Stack {
    PathTable paths;
    std::vector<std::unique_ptr<Layer>> owned;

    Stack& layer(const std::string& tar) {
        hale::test::MemorySource source(tar);
        hale::image::PeekSource peek(source);
        hale::image::ReadBudget budget{hale::image::LayerLimits{}};
        budget.bytes().add_stored(tar.size());
        auto read = hale::image::read_layer(peek, "l", paths, budget);
        if (!read) {
            throw std::runtime_error(read.error());
        }
        owned.push_back(std::move(*read));
        return *this;
    }

    DiveResult dive() {
        std::vector<const Layer*> layers;
        for (const auto& layer : owned) {
            layers.push_back(layer.get());
        }
        return hale::image::dive_efficiency(layers, paths);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(dive_efficiency_test)

// dive's own TestEfficiency (filetree/efficiency_test.go): 0.75 with one inefficient path.
BOOST_AUTO_TEST_CASE(dive_reference_case_scores_three_quarters) {
    Stack stack;
    stack
        .layer(TarBuilder()
                   .file("etc/nginx/nginx.conf", std::string(2000, 'a'))
                   .file("etc/nginx/public", std::string(3000, 'b'))
                   .build())
        .layer(TarBuilder()
                   .file("etc/nginx/nginx.conf", std::string(5000, 'c'))
                   .file("etc/athing", std::string(10000, 'd'))
                   .build())
        .layer(TarBuilder().file("etc/.wh.nginx", "").build());
    DiveResult result = stack.dive();
    BOOST_TEST(result.efficiency == 0.75);
    BOOST_TEST_REQUIRE(result.inefficiencies.size() == 1u);
    BOOST_TEST(stack.paths.path(result.inefficiencies[0].node) == "/etc/nginx/nginx.conf");
    BOOST_TEST(result.inefficiencies[0].cumulative == 7000u);
    BOOST_TEST(result.wasted_bytes == 7000u);
}

BOOST_AUTO_TEST_CASE(scratch_image_with_one_empty_file_scores_one) {
    Stack stack;
    stack.layer(TarBuilder().file("somefile", "").build());
    DiveResult result = stack.dive();
    BOOST_TEST(result.efficiency == 1.0);
    BOOST_TEST(result.inefficiencies.empty());
}

BOOST_AUTO_TEST_CASE(image_without_layers_scores_one) {
    Stack stack;
    DiveResult result = stack.dive();
    BOOST_TEST(result.efficiency == 1.0);
    BOOST_TEST(result.total == 0u);
}

BOOST_AUTO_TEST_CASE(overwritten_file_counts_every_copy_with_the_smallest_as_minimum) {
    Stack stack;
    stack.layer(TarBuilder().file("a", std::string(300, 'x')).build())
        .layer(TarBuilder().file("a", std::string(100, 'y')).build());
    DiveResult result = stack.dive();
    BOOST_TEST(result.total == 400u);
    BOOST_TEST(result.minimum == 100u);
    BOOST_TEST(result.efficiency == 0.25);
}

BOOST_AUTO_TEST_CASE(deleted_file_counts_all_its_bytes_as_waste) {
    Stack stack;
    stack.layer(TarBuilder().file("a", std::string(300, 'x')).build())
        .layer(TarBuilder().file(".wh.a", "").build());
    DiveResult result = stack.dive();
    BOOST_TEST(result.efficiency == 0.0);
    BOOST_TEST_REQUIRE(result.inefficiencies.size() == 1u);
    BOOST_TEST(result.inefficiencies[0].minimum == 0u);
}

BOOST_AUTO_TEST_CASE(deleted_directory_is_sized_from_its_lower_contents) {
    Stack stack;
    stack.layer(TarBuilder().dir("d/").file("d/a", std::string(300, 'x')).build())
        .layer(TarBuilder().file(".wh.d", "").build());
    DiveResult result = stack.dive();
    // The whiteout carries /d's 300 bytes, but /d was no leaf before, so it has one node
    // only: not listed, and its bytes go to both sums.
    BOOST_TEST(result.inefficiencies.empty());
    BOOST_TEST(result.total == 600u);
    BOOST_TEST(result.minimum == 600u);
}

BOOST_AUTO_TEST_CASE(opaque_whiteout_is_ignored_as_dive_ignores_it) {
    Stack stack;
    stack.layer(TarBuilder().dir("c/").file("c/a", std::string(300, 'x')).build())
        .layer(TarBuilder().dir("c/").file("c/.wh..wh..opq", "").build())
        .layer(TarBuilder().file(".wh.c", "").build());
    DiveResult result = stack.dive();
    // The marker hides nothing in dive's tree, so removing /c still counts c/a's 300 bytes.
    BOOST_TEST_REQUIRE(result.inefficiencies.size() == 1u);
    BOOST_TEST(stack.paths.path(result.inefficiencies[0].node) == "/c");
    BOOST_TEST(result.inefficiencies[0].cumulative == 300u);
    BOOST_TEST(result.tree_nodes[1] == 1u);
}

BOOST_AUTO_TEST_CASE(whiteout_of_a_missing_path_counts_zero_and_the_layer_goes_on) {
    Stack stack;
    stack.layer(TarBuilder().file("a", std::string(100, 'x')).build())
        .layer(TarBuilder().file(".wh.never-there", "").file("a", std::string(100, 'y')).build());
    DiveResult result = stack.dive();
    // dive would stop counting the layer at the whiteout and add -1 to the minimum.
    BOOST_TEST(result.total == 200u);
    BOOST_TEST(result.minimum == 100u);
}

BOOST_AUTO_TEST_CASE(directory_leaf_in_several_layers_is_listed_with_zero_bytes) {
    Stack stack;
    stack.layer(TarBuilder().dir("etc/").file("etc/a", "1").build())
        .layer(TarBuilder().dir("etc/").build())
        .layer(TarBuilder().dir("etc/").build());
    DiveResult result = stack.dive();
    BOOST_TEST_REQUIRE(result.inefficiencies.size() == 1u);
    BOOST_TEST(stack.paths.path(result.inefficiencies[0].node) == "/etc");
    BOOST_TEST(result.inefficiencies[0].count == 2u);
    BOOST_TEST(result.inefficiencies[0].cumulative == 0u);
}

BOOST_AUTO_TEST_CASE(tree_nodes_count_implicit_directories) {
    Stack stack;
    stack.layer(TarBuilder().file("a/b/c", "1").file("a/d", "2").build());
    DiveResult result = stack.dive();
    BOOST_TEST(result.tree_nodes.at(0) == 4u);
}

BOOST_AUTO_TEST_CASE(hard_link_is_a_zero_byte_leaf) {
    Stack stack;
    stack
        .layer(TarBuilder()
                   .file("bin/tool", std::string(100, 't'))
                   .hardlink("bin/alias", "bin/tool")
                   .build())
        .layer(TarBuilder().file("bin/.wh.alias", "").build());
    DiveResult result = stack.dive();
    BOOST_TEST(result.total == 100u);
    BOOST_TEST(result.efficiency == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
