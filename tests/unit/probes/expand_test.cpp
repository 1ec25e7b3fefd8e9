#include "probes/expand.hpp"

#include <boost/test/unit_test.hpp>
#include <map>

using hale::probes::EnvLookup;
using hale::probes::expand_vars;
using hale::probes::expand_vars_all;

namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expand_test)

BOOST_AUTO_TEST_CASE(braced_variable_is_replaced) {
    auto out = expand_vars("http://127.0.0.1:${PORT}/health", fake_env({{"PORT", "9090"}}));
    BOOST_TEST_REQUIRE(out.ok());
    BOOST_TEST(*out == "http://127.0.0.1:9090/health");
}

BOOST_AUTO_TEST_CASE(unset_variable_without_default_names_it) {
    auto out = expand_vars("http://127.0.0.1:${PORT}/", fake_env({}));
    BOOST_TEST_REQUIRE(!out.ok());
    BOOST_TEST(out.error() == "PORT is unset");
}

BOOST_AUTO_TEST_CASE(colon_dash_default_applies_when_unset_or_empty) {
    BOOST_TEST(*expand_vars("${PORT:-8080}", fake_env({})) == "8080");
    BOOST_TEST(*expand_vars("${PORT:-8080}", fake_env({{"PORT", ""}})) == "8080");
    BOOST_TEST(*expand_vars("${PORT:-8080}", fake_env({{"PORT", "1"}})) == "1");
}

BOOST_AUTO_TEST_CASE(dash_default_applies_only_when_unset) {
    BOOST_TEST(*expand_vars("${PORT-8080}", fake_env({})) == "8080");
    BOOST_TEST(*expand_vars("[${PORT-8080}]", fake_env({{"PORT", ""}})) == "[]");
}

BOOST_AUTO_TEST_CASE(empty_default_is_allowed) {
    BOOST_TEST(*expand_vars("a${X:-}b", fake_env({})) == "ab");
}

BOOST_AUTO_TEST_CASE(dollar_without_brace_is_literal) {
    BOOST_TEST(*expand_vars("/price$5/$PORT$", fake_env({})) == "/price$5/$PORT$");
}

BOOST_AUTO_TEST_CASE(several_variables_expand_in_one_argument) {
    auto env = fake_env({{"HOST", "app"}, {"PORT", "81"}});
    BOOST_TEST(*expand_vars("http://${HOST}:${PORT}/${P:-x}", env) == "http://app:81/x");
}

BOOST_AUTO_TEST_CASE(default_is_not_expanded_again) {
    BOOST_TEST(*expand_vars("${A:-${B}", fake_env({})) == "${B");
}

BOOST_AUTO_TEST_CASE(unterminated_reference_is_an_error) {
    BOOST_TEST(!expand_vars("http://h:${PORT/", fake_env({{"PORT", "1"}})).ok());
}

BOOST_AUTO_TEST_CASE(invalid_name_is_an_error) {
    BOOST_TEST(!expand_vars("${}", fake_env({})).ok());
    BOOST_TEST(!expand_vars("${1X}", fake_env({})).ok());
    BOOST_TEST(!expand_vars("${A B}", fake_env({})).ok());
}

BOOST_AUTO_TEST_CASE(every_argument_is_expanded_in_order) {
    auto args =
        expand_vars_all({"check", "http://${HOST}:${PORT:-80}/", "-v"}, fake_env({{"HOST", "db"}}));
    BOOST_TEST_REQUIRE(args.ok());
    BOOST_TEST((*args == std::vector<std::string>{"check", "http://db:80/", "-v"}));
}

BOOST_AUTO_TEST_CASE(one_bad_argument_fails_them_all) {
    auto args = expand_vars_all({"ok", "${UNSET}"}, fake_env({}));
    BOOST_TEST_REQUIRE(!args.ok());
    BOOST_TEST(args.error().find("UNSET") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
