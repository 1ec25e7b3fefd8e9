#include "probes/hardening/rootfs_walk.hpp"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(rootfs_walk_test)

BOOST_AUTO_TEST_CASE(setuid_and_setgid_executables_are_found) {
    test::TempTree tree;
    tree.write("usr/bin/su", "");
    tree.write("usr/bin/wall", "");
    tree.write("usr/bin/plain", "");
    ::chmod(tree.at("usr/bin/su").c_str(), 04755);
    ::chmod(tree.at("usr/bin/wall").c_str(), 02755);
    ::chmod(tree.at("usr/bin/plain").c_str(), 0755);
    auto walk = walk_rootfs(tree.path());
    BOOST_TEST_REQUIRE(walk.setuid_files.size() == 2U);
    BOOST_TEST(walk.setuid_count == 2U);
    for (const auto& file : walk.setuid_files) {
        BOOST_TEST((file.path == "/usr/bin/su" ? file.setuid : file.setgid));
    }
}

BOOST_AUTO_TEST_CASE(setgid_without_group_execute_is_not_setgid) {
    test::TempTree tree;
    tree.write("data/locked", "");
    ::chmod(tree.at("data/locked").c_str(), 02644);
    BOOST_TEST(walk_rootfs(tree.path()).setuid_count == 0U);
}

BOOST_AUTO_TEST_CASE(leftovers_are_named_and_their_directories_not_entered) {
    // git cannot commit a .git directory inside a fixture, so the test adds it.
    test::TempTree tree("privileged-root");
    tree.write("app/.git/HEAD", "ref: refs/heads/main\n");
    auto walk = walk_rootfs(tree.path());
    BOOST_TEST(walk.error.empty());
    BOOST_TEST(walk.leftover_count == 2U);
    auto has = [&](const std::string& path) {
        return std::find(walk.leftovers.begin(), walk.leftovers.end(), path) !=
               walk.leftovers.end();
    };
    BOOST_TEST(has("/app/.git/"));
    BOOST_TEST(has("/app/.env"));
}

BOOST_AUTO_TEST_CASE(proc_sys_and_dev_at_the_top_are_not_walked) {
    auto walk = walk_rootfs(test::fixture("privileged-root"));
    for (const auto& path : walk.leftovers) {
        BOOST_TEST(!path.starts_with("/proc/"));
    }
    test::TempTree tree;
    tree.write("proc/x/.env", "");
    BOOST_TEST(walk_rootfs(tree.path()).leftover_count == 0U);
}

BOOST_AUTO_TEST_CASE(package_data_trees_are_not_walked_but_their_neighbours_are) {
    test::TempTree tree;
    tree.write("usr/share/doc/pkg/.git/HEAD", "");
    tree.write("var/lib/dpkg/info/.env", "");
    tree.write("usr/sharedstuff/.env", "");
    auto walk = walk_rootfs(tree.path());
    BOOST_TEST(walk.leftovers == std::vector<std::string>{"/usr/sharedstuff/.env"});
}

BOOST_AUTO_TEST_CASE(walk_stops_at_its_entry_cap_and_says_so) {
    test::TempTree tree;
    for (int i = 0; i < 50; ++i) {
        tree.write("many/file" + std::to_string(i), "");
    }
    auto walk = walk_rootfs(tree.path(), 20);
    BOOST_TEST(walk.capped);
    BOOST_TEST(walk.entries == 20U);
    BOOST_TEST(!walk_rootfs(tree.path()).capped);
}

BOOST_AUTO_TEST_CASE(symlinks_are_not_followed) {
    test::TempTree tree;
    tree.write("real/.env", "");
    std::filesystem::create_symlink(tree.at("real"), tree.at("link"));
    BOOST_TEST(walk_rootfs(tree.path()).leftover_count == 1U);
}

BOOST_AUTO_TEST_CASE(unreadable_root_is_an_error) {
    auto walk = walk_rootfs("/nonexistent/hale-root");
    BOOST_TEST(!walk.error.empty());
}

BOOST_AUTO_TEST_SUITE_END()
