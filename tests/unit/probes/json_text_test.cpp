#include "probes/json_text.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using hale::probes::JsonLimits;
using hale::probes::parse_json_text;

BOOST_AUTO_TEST_SUITE(json_text_test)

BOOST_AUTO_TEST_CASE(a_document_within_the_limits_is_parsed) {
    auto json = parse_json_text(R"({"layers": [{"size": 1}, {"size": 2}]})", "manifest");
    BOOST_TEST_REQUIRE(json.ok());
    BOOST_TEST((*json)["layers"][1]["size"].get<int>() == 2);
}

BOOST_AUTO_TEST_CASE(nesting_past_the_limit_is_refused_before_parsing) {
    std::string text = std::string(5, '[') + std::string(5, ']');
    BOOST_TEST(parse_json_text(text, "config", JsonLimits{5, 100}).ok());
    auto refused = parse_json_text("[" + text + "]", "config", JsonLimits{5, 100});
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error() == "invalid config: nested deeper than 5 levels");
}

BOOST_AUTO_TEST_CASE(more_values_than_the_limit_are_refused_before_parsing) {
    auto refused = parse_json_text("[0,0,0,0,0]", "index.json", JsonLimits{64, 4});
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error() ==
               "invalid index.json: more than 4 values; real ones hold a few thousand");
}

BOOST_AUTO_TEST_CASE(an_object_of_more_members_than_the_limit_is_refused_before_parsing) {
    JsonLimits limits;
    limits.max_members = 3;
    BOOST_TEST(parse_json_text(R"({"a": 1, "b": [1, 2, 3, 4, 5], "c": 3})", "labels", limits).ok());
    auto refused = parse_json_text(R"({"x": {"a": 1, "b": 2, "c": 3, "d": 4}})", "labels", limits);
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error() == "invalid labels: an object of more than 3 members");
}

BOOST_AUTO_TEST_CASE(brackets_and_commas_inside_strings_count_for_nothing) {
    auto json = parse_json_text(R"(["[[[[,,,,\"]]]]"])", "file", JsonLimits{1, 2});
    BOOST_TEST_REQUIRE(json.ok());
    BOOST_TEST((*json)[0].get<std::string>() == R"([[[[,,,,"]]]])");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_one_line_error) {
    auto refused = parse_json_text("{\"a\": ", "answer to /containers/x/json");
    BOOST_TEST_REQUIRE(!refused.ok());
    BOOST_TEST(refused.error() == "invalid answer to /containers/x/json: not JSON");
}

BOOST_AUTO_TEST_SUITE_END()
