#include "image/path_table.hpp"

#include <boost/test/unit_test.hpp>

using hale::image::PathTable;

BOOST_AUTO_TEST_SUITE(path_table_test)

BOOST_AUTO_TEST_CASE(same_path_interns_to_the_same_node) {
    PathTable paths;
    auto a = paths.intern("usr/bin/env");
    auto b = paths.intern("./usr//bin/env/");
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(*a == *b);
    BOOST_TEST(paths.path(*a) == "/usr/bin/env");
    BOOST_TEST(paths.lookup("/usr/bin/env") == *a);
}

BOOST_AUTO_TEST_CASE(dot_dot_never_climbs_above_the_root) {
    PathTable paths;
    BOOST_TEST(paths.path(*paths.intern("../../../etc/shadow")) == "/etc/shadow");
    BOOST_TEST(paths.path(*paths.intern("a/b/../../c")) == "/c");
}

BOOST_AUTO_TEST_CASE(root_names_are_not_entries) {
    PathTable paths;
    for (const char* name : {"", ".", "./", "/", "a/.."}) {
        BOOST_TEST(!paths.intern(name).has_value(), "'" << name << "'");
    }
}

BOOST_AUTO_TEST_CASE(overlong_names_are_refused) {
    PathTable paths;
    BOOST_TEST(!paths.intern(std::string(PathTable::kMaxPath + 1, 'a')).has_value());
    BOOST_TEST(paths.intern(std::string(255, 'a')).has_value());
}

BOOST_AUTO_TEST_CASE(children_are_listed_under_their_parent) {
    PathTable paths;
    auto dir = *paths.intern("d");
    paths.intern("d/x");
    paths.intern("d/y");
    paths.intern("e/z");
    size_t children = 0;
    for (auto child = paths.first_child(dir); child != PathTable::kNone;
         child = paths.next_sibling(child)) {
        ++children;
        BOOST_TEST(paths.parent(child) == dir);
    }
    BOOST_TEST(children == 2u);
}

BOOST_AUTO_TEST_CASE(many_names_survive_index_growth) {
    PathTable paths;
    for (int i = 0; i < 50000; ++i) {
        paths.intern("dir" + std::to_string(i % 100) + "/file" + std::to_string(i));
    }
    BOOST_TEST(paths.size() == 1u + 100u + 50000u);
    BOOST_TEST(paths.path(paths.lookup("dir7/file4507")) == "/dir7/file4507");
    BOOST_TEST(paths.lookup("dir7/file4508") == PathTable::kNone);
}

BOOST_AUTO_TEST_CASE(name_after_a_block_filled_exactly_reads_back_and_spares_the_first) {
    // Names are stored in blocks of 1 MiB: 65,536 names of 16 bytes fill the first exactly.
    PathTable paths;
    auto name = [](int i) {
        std::string text = std::to_string(i);
        return std::string(16 - text.size(), 'n') + text;
    };
    for (int i = 0; i < 65536; ++i) {
        paths.intern(name(i));
    }
    BOOST_TEST(paths.name_bytes() == uint64_t{1} << 20);
    auto next = paths.intern("after-the-block");
    BOOST_TEST_REQUIRE(next.has_value());
    BOOST_TEST(paths.path(*next) == "/after-the-block");
    BOOST_TEST(paths.path(paths.lookup(name(0))) == "/" + name(0));
    BOOST_TEST(paths.path(paths.lookup(name(65535))) == "/" + name(65535));
}

BOOST_AUTO_TEST_CASE(names_deeper_than_the_depth_limit_are_refused) {
    PathTable paths;
    auto deep = [](size_t components) {
        std::string text;
        for (size_t i = 0; i < components; ++i) {
            text += "d/";
        }
        return text;
    };
    BOOST_TEST(paths.intern(deep(PathTable::kMaxDepth)).has_value());
    BOOST_TEST(!paths.intern(deep(PathTable::kMaxDepth + 1)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
