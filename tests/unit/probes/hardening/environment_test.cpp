#include "probes/hardening/environment.hpp"

#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

using namespace hale::probes::hardening;
using namespace std::string_literals;

BOOST_AUTO_TEST_SUITE(environment_test)

BOOST_AUTO_TEST_CASE(secret_words_match_in_any_case) {
    BOOST_TEST(is_secret_like_name("DB_PASSWORD"));
    BOOST_TEST(is_secret_like_name("aws_secret_access_key"));
    BOOST_TEST(is_secret_like_name("GITHUB_TOKEN"));
    BOOST_TEST(is_secret_like_name("API_KEY"));
    BOOST_TEST(!is_secret_like_name("PATH"));
    BOOST_TEST(!is_secret_like_name("HOSTNAME"));
}

BOOST_AUTO_TEST_CASE(key_ids_and_secret_file_pointers_are_not_secrets) {
    BOOST_TEST(!is_secret_like_name("GPG_KEY"));
    BOOST_TEST(!is_secret_like_name("GPG_KEYS"));
    BOOST_TEST(!is_secret_like_name("DB_PASSWORD_FILE"));
    BOOST_TEST(!is_secret_like_name("TLS_KEY_PATH"));
}

BOOST_AUTO_TEST_CASE(only_names_are_kept) {
    auto env = parse_environ("A=1\0DB_PASSWORD=hunter2\0B=x=y\0"s);
    BOOST_TEST(env.names == (std::vector<std::string>{"A", "DB_PASSWORD", "B"}));
    BOOST_TEST(env.secret_like == std::vector<std::string>{"DB_PASSWORD"});
}

BOOST_AUTO_TEST_CASE(docker_host_is_reduced_to_its_scheme) {
    BOOST_TEST(parse_environ("DOCKER_HOST=tcp://10.0.0.1:2375\0"s).docker_host_scheme == "tcp");
    BOOST_TEST(parse_environ("DOCKER_HOST=ssh://me@host\0"s).docker_host_scheme == "ssh");
    BOOST_TEST(parse_environ("DOCKER_HOST=whatever\0"s).docker_host_scheme == "other");
    BOOST_TEST(parse_environ("PATH=/bin\0"s).docker_host_scheme.empty());
}

BOOST_AUTO_TEST_CASE(entries_without_a_name_or_equals_sign_are_skipped) {
    auto env = parse_environ("=x\0noequals\0\0OK=1"s);
    BOOST_TEST(env.names == std::vector<std::string>{"OK"});
}

BOOST_AUTO_TEST_CASE(kubernetes_is_seen_from_the_service_host_name) {
    auto env = read_environment(Roots::under(test::fixture("privileged-root")));
    BOOST_TEST_REQUIRE(env.ok());
    BOOST_TEST(env->kubernetes);
}

BOOST_AUTO_TEST_SUITE_END()
