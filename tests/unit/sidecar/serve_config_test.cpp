#include "sidecar/serve_config.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace hale::sidecar;
using hale::sidecar::Args;

BOOST_TEST_DONT_PRINT_LOG_VALUE(Args)

BOOST_AUTO_TEST_SUITE(serve_config_test)

BOOST_AUTO_TEST_CASE(listen_address_forms) {
    BOOST_TEST(parse_listen_address("0.0.0.0:8086")->text() == "0.0.0.0:8086");
    BOOST_TEST(parse_listen_address(":9000")->text() == "0.0.0.0:9000");
    BOOST_TEST(parse_listen_address("[::]:8086")->text() == "[::]:8086");
    BOOST_TEST(parse_listen_address("[::1]:0")->host == "::1");
    BOOST_TEST(parse_listen_address("localhost:9000")->host == "127.0.0.1");
    BOOST_TEST(parse_listen_address("127.0.0.1:0")->port == 0);
}

BOOST_AUTO_TEST_CASE(listen_address_rejects_names_bad_ports_and_missing_ports) {
    BOOST_TEST(parse_listen_address("app:8086").error() ==
               "invalid listen address 'app:8086': expected an IP address or localhost as the "
               "host (names are not looked up)");
    BOOST_TEST(!parse_listen_address("127.0.0.1:65536").ok());
    BOOST_TEST(!parse_listen_address("127.0.0.1:").ok());
    BOOST_TEST(!parse_listen_address("8086").ok());
    BOOST_TEST(!parse_listen_address("::1:80").ok());
    BOOST_TEST(!parse_listen_address("127.0.0.1:-1").ok());
}

BOOST_AUTO_TEST_CASE(probe_spec_is_name_equals_url) {
    auto spec = parse_probe_spec("db=tcp://127.0.0.1:5432", ProbeKind::Readiness);
    BOOST_REQUIRE(spec.ok());
    BOOST_TEST(spec->name == "db");
    BOOST_TEST(spec->target.port == 5432);
    BOOST_TEST((spec->kind == ProbeKind::Readiness));
}

BOOST_AUTO_TEST_CASE(probe_url_may_contain_equals_signs) {
    auto spec = parse_probe_spec("app=http://127.0.0.1:8080/health?x=1", ProbeKind::Liveness);
    BOOST_REQUIRE(spec.ok());
    BOOST_TEST(spec->target.path == "/health?x=1");
}

BOOST_AUTO_TEST_CASE(probe_spec_without_name_or_with_bad_name_is_rejected) {
    BOOST_TEST(parse_probe_spec("http://127.0.0.1/", ProbeKind::Readiness).error() ==
               "invalid probe 'http://127.0.0.1/': expected NAME=URL, e.g. "
               "db=tcp://127.0.0.1:5432");
    BOOST_TEST(!parse_probe_spec("=http://127.0.0.1/", ProbeKind::Readiness).ok());
    BOOST_TEST(!parse_probe_spec("my db=http://127.0.0.1/", ProbeKind::Readiness).ok());
    BOOST_TEST(!parse_probe_spec(std::string(64, 'a') + "=tcp://a:1", ProbeKind::Readiness).ok());
}

BOOST_AUTO_TEST_CASE(probe_names_of_hale_own_checks_are_rejected) {
    for (const char* name : {"scheduler", "shutdown", "process"}) {
        BOOST_TEST(!parse_probe_spec(std::string(name) + "=tcp://a:1", ProbeKind::Readiness).ok());
    }
}

BOOST_AUTO_TEST_CASE(probe_with_bad_target_reports_the_target_error) {
    auto spec = parse_probe_spec("db=tcp://db", ProbeKind::Readiness);
    BOOST_TEST(!spec.ok());
}

BOOST_AUTO_TEST_CASE(defaults_follow_the_documentation) {
    auto parsed = parse_serve_args(Args{});
    BOOST_REQUIRE(parsed.config.has_value());
    const auto& config = *parsed.config;
    BOOST_TEST(config.listen.text() == "0.0.0.0:8086");
    BOOST_TEST(config.interval.count() == 5000);
    BOOST_TEST(config.timeout.count() == 2000);
    BOOST_TEST(config.drain.count() == 5000);
    BOOST_TEST(config.thresholds.failure == 3);
    BOOST_TEST(config.thresholds.success == 1);
    BOOST_TEST(config.command.empty());
}

BOOST_AUTO_TEST_CASE(flags_set_every_field) {
    auto parsed = parse_serve_args(Args{"--listen",
                                        "127.0.0.1:0",
                                        "--probe",
                                        "db=tcp://a:1",
                                        "--live-probe",
                                        "self=http://127.0.0.1:1/",
                                        "--interval",
                                        "1s",
                                        "--timeout",
                                        "500ms",
                                        "--failure-threshold",
                                        "2",
                                        "--success-threshold",
                                        "4",
                                        "--drain",
                                        "0",
                                        "--log-level",
                                        "debug",
                                        "--log-format",
                                        "json"});
    BOOST_REQUIRE(parsed.config.has_value());
    const auto& config = *parsed.config;
    BOOST_TEST(config.probes.size() == 2U);
    BOOST_TEST((config.probes[1].kind == ProbeKind::Liveness));
    BOOST_TEST(config.interval.count() == 1000);
    BOOST_TEST(config.timeout.count() == 500);
    BOOST_TEST(config.thresholds.failure == 2);
    BOOST_TEST(config.thresholds.success == 4);
    BOOST_TEST(config.drain.count() == 0);
    BOOST_TEST((config.log_level == LogLevel::Debug));
    BOOST_TEST((config.log_format == LogFormat::Json));
}

BOOST_AUTO_TEST_CASE(arguments_after_double_dash_are_the_command_untouched) {
    auto parsed = parse_serve_args(Args{"--drain", "1s", "--", "app", "--drain", "${HOME}"});
    BOOST_REQUIRE(parsed.config.has_value());
    BOOST_TEST(parsed.config->command == (std::vector<std::string>{"app", "--drain", "${HOME}"}),
               boost::test_tools::per_element());
    BOOST_TEST(parsed.config->drain.count() == 1000);
}

// Each of these is a usage error: exit 1 and nothing to serve.
const std::vector<Args> kUsageErrors = {
    {"--failure-threshold", "0"},
    {"--success-threshold", "x"},
    {"--interval", "0"},
    {"--log-level", "loud"},
    {"--log-format", "xml"},
    {"--probe", "db=tcp://a:1", "--probe", "db=tcp://b:1"},
    {"--"},
    {"--bogus"},
};

BOOST_DATA_TEST_CASE(usage_errors_exit_1_with_nothing_to_serve,
                     boost::unit_test::data::make(kUsageErrors)) {
    auto parsed = parse_serve_args(sample);
    BOOST_TEST(parsed.exit_code == 1);
    BOOST_TEST(!parsed.config.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
