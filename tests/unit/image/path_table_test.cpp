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

BOOST_AUTO_TEST_SUITE_END()
