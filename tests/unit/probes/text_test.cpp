#include "probes/text.hpp"

#include <boost/test/unit_test.hpp>

using hale::probes::iequals;
using hale::probes::is_token_char;
using hale::probes::printable;
using hale::probes::trim;

BOOST_AUTO_TEST_SUITE(text_test)

BOOST_AUTO_TEST_CASE(printable_keeps_ordinary_text) {
    BOOST_TEST(printable("ok 200 /health") == "ok 200 /health");
}

BOOST_AUTO_TEST_CASE(printable_escapes_line_breaks_so_no_line_can_be_forged) {
    BOOST_TEST(printable("a\r\nok 200") == "a\\x0d\\x0aok 200");
}

BOOST_AUTO_TEST_CASE(printable_escapes_terminal_control_bytes) {
    BOOST_TEST(printable("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07");
    BOOST_TEST(printable("\x7f") == "\\x7f");
}

BOOST_AUTO_TEST_CASE(printable_cuts_long_text_at_the_cap) {
    BOOST_TEST(printable("abcdef", 3) == "abc...");
    BOOST_TEST(printable("abc", 3) == "abc");
}

BOOST_AUTO_TEST_CASE(trim_removes_spaces_and_tabs_only) {
    BOOST_TEST(trim(" \tx y\t ") == "x y");
    BOOST_TEST(trim("\nx") == "\nx");
}

BOOST_AUTO_TEST_CASE(iequals_ignores_ascii_case) {
    BOOST_TEST(iequals("Content-Length", "content-length"));
    BOOST_TEST(!iequals("abc", "abd"));
    BOOST_TEST(!iequals("abc", "ab"));
}

BOOST_AUTO_TEST_CASE(token_characters_follow_rfc_9110) {
    BOOST_TEST(is_token_char('a'));
    BOOST_TEST(is_token_char('~'));
    BOOST_TEST(!is_token_char(' '));
    BOOST_TEST(!is_token_char(':'));
    BOOST_TEST(!is_token_char('\x80'));
}

BOOST_AUTO_TEST_SUITE_END()
