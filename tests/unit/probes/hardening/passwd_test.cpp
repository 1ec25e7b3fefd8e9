#include "probes/hardening/passwd.hpp"

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;

BOOST_AUTO_TEST_SUITE(passwd_test)

BOOST_AUTO_TEST_CASE(seven_field_line_is_an_entry) {
    auto file = parse_passwd("app:x:10001:10001::/home/app:/usr/sbin/nologin\n");
    BOOST_TEST_REQUIRE(file.entries.size() == 1U);
    const auto* entry = file.find_uid(10001);
    BOOST_TEST_REQUIRE(entry != nullptr);
    BOOST_TEST(entry->name == "app");
    BOOST_TEST(entry->home == "/home/app");
    BOOST_TEST(entry->shell == "/usr/sbin/nologin");
    BOOST_TEST(!entry->empty_password);
}

BOOST_AUTO_TEST_CASE(six_fields_mean_an_empty_shell_which_is_bin_sh) {
    auto file = parse_passwd("app:x:10001:10001::/home/app\n");
    BOOST_TEST_REQUIRE(file.entries.size() == 1U);
    BOOST_TEST(file.entries[0].shell.empty());
    BOOST_TEST(effective_shell(file.entries[0]) == "/bin/sh");
}

BOOST_AUTO_TEST_CASE(last_line_without_newline_keeps_its_last_character) {
    auto file = parse_passwd("root:x:0:0:root:/root:/bin/bash\napp:x:10001:10001::/:/bin/false");
    BOOST_TEST_REQUIRE(file.entries.size() == 2U);
    BOOST_TEST(file.entries[1].shell == "/bin/false");
}

BOOST_AUTO_TEST_CASE(crlf_line_endings_are_stripped) {
    auto file = parse_passwd("app:x:10001:10001::/:/usr/sbin/nologin\r\n");
    BOOST_TEST_REQUIRE(file.entries.size() == 1U);
    BOOST_TEST(file.entries[0].shell == "/usr/sbin/nologin");
}

BOOST_AUTO_TEST_CASE(nis_compat_lines_are_counted_and_never_match_root) {
    auto file = parse_passwd("+::::::\n+\n-baduser\n+@netgroup\n+alice::::::\n");
    BOOST_TEST(file.entries.empty());
    BOOST_TEST(file.nis_lines == 5U);
    BOOST_TEST(file.find_uid(0) == nullptr);
}

BOOST_AUTO_TEST_CASE(comments_blank_and_whitespace_lines_are_skipped) {
    auto file = parse_passwd("# users\n\n   \n\t\napp:x:10001:10001::/:/bin/false\n");
    BOOST_TEST(file.entries.size() == 1U);
    BOOST_TEST(file.bad_lines == 0U);
}

BOOST_AUTO_TEST_CASE(garbage_and_short_lines_are_counted_not_parsed) {
    auto file = parse_passwd(
        "garbage\napp:x:ten:1::/:/bin/sh\nshort:x:1\n:x:5:5::/:/bin/sh\nneg:x:-1:0::/:/bin/sh\n"
        "huge:x:99999999999:0::/:/bin/sh\nextra:x:1:1::/:/bin/sh:more\nok:x:7:7::/:/bin/sh\n");
    BOOST_TEST(file.entries.size() == 1U);
    BOOST_TEST(file.bad_lines == 7U);
}

BOOST_AUTO_TEST_CASE(first_entry_wins_for_a_duplicated_uid) {
    auto file = parse_passwd("root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\n");
    BOOST_TEST(file.find_uid(0)->name == "root");
}

BOOST_AUTO_TEST_CASE(empty_password_field_is_flagged_but_hashes_are_not_kept) {
    auto file = parse_passwd("games::5:60::/:/usr/sbin/nologin\nroot:x:0:0::/root:/bin/sh\n");
    BOOST_TEST(file.entries[0].empty_password);
    BOOST_TEST(!file.entries[1].empty_password);
    auto shadow = parse_shadow("root:$6$salt$hash:1::::::\nlp::1::::::\n# x\n");
    BOOST_TEST(shadow.empty_password_names == std::vector<std::string>{"lp"});
}

BOOST_AUTO_TEST_CASE(group_file_needs_four_fields) {
    auto file = parse_group("root:x:0:\nwheel:x:10:root,alice\nbad:x:1\n+:::\n");
    BOOST_TEST(file.entries.size() == 2U);
    BOOST_TEST(file.bad_lines == 1U);
    BOOST_TEST(file.nis_lines == 1U);
}

BOOST_AUTO_TEST_CASE(no_login_shells_are_nologin_and_false_anywhere) {
    BOOST_TEST(is_no_login_shell("/usr/sbin/nologin"));
    BOOST_TEST(is_no_login_shell("/sbin/nologin"));
    BOOST_TEST(is_no_login_shell("/usr/bin/nologin"));
    BOOST_TEST(is_no_login_shell("/bin/false"));
    BOOST_TEST(!is_no_login_shell("/bin/sh"));
    BOOST_TEST(!is_no_login_shell("/bin/bash"));
    BOOST_TEST(!is_no_login_shell(""));
}

BOOST_AUTO_TEST_CASE(missing_file_is_absent_not_an_error) {
    auto file = read_passwd(Roots::under(test::fixture("numeric-uid-root-group")));
    BOOST_TEST_REQUIRE(file.ok());
    BOOST_TEST(!file->present);
}

BOOST_AUTO_TEST_CASE(empty_file_is_present_with_no_entries) {
    auto file = read_passwd(Roots::under(test::fixture("empty-files")));
    BOOST_TEST_REQUIRE(file.ok());
    BOOST_TEST(file->present);
    BOOST_TEST(file->entries.empty());
}

BOOST_AUTO_TEST_CASE(a_fifo_in_place_of_passwd_is_an_error_not_a_hang) {
    test::TempTree tree;
    std::filesystem::create_directories(tree.at("etc"));
    BOOST_TEST_REQUIRE(::mkfifo(tree.at("etc/passwd").c_str(), 0644) == 0);
    auto file = read_passwd(tree.roots());
    BOOST_TEST_REQUIRE(!file.ok());
    BOOST_TEST(test::contains(file.error(), "not a regular file"));
}

BOOST_AUTO_TEST_CASE(oversized_file_is_an_error) {
    test::TempTree tree;
    tree.write("etc/passwd", std::string(2 * 1024 * 1024, '#'));
    auto file = read_passwd(tree.roots());
    BOOST_TEST_REQUIRE(!file.ok());
    BOOST_TEST(test::contains(file.error(), "larger than"));
}

BOOST_AUTO_TEST_SUITE_END()
