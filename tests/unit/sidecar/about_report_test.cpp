#include "sidecar/about_report.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "probes/hardening/policy.hpp"
#include "probes/hardening/roots.hpp"
#include "tests/unit/probes/hardening/fixture.hpp"

using namespace hale::sidecar;
namespace hardening = hale::probes::hardening;
using nlohmann::ordered_json;

namespace {

ordered_json report_for(const std::string& tree) {
    auto report = collect_about_report(hardening::Roots::under(hardening::test::fixture(tree)));
    return about_json(report, HaleInfo{"0.0.0", "abc", "now", "gcc", true, "00", {}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(about_report_test)

BOOST_AUTO_TEST_CASE(numeric_uid_with_root_group_and_no_passwd_identity) {
    auto identity = report_for("numeric-uid-root-group")["identity"];
    auto expected = ordered_json::parse(R"({"uid":10001,"gid":0,"groups":[0],"name":null,
        "home":null,"login_shell":null,"interactive":null,"passwd_entry":false,
        "root_user":false,"root_group":true})");
    BOOST_TEST(identity == expected, identity.dump());
}

BOOST_AUTO_TEST_CASE(named_user_identity_has_login_shell_and_is_not_interactive) {
    auto identity = report_for("readonly-root-docker-sock")["identity"];
    BOOST_TEST(identity["name"] == "app");
    BOOST_TEST(identity["login_shell"] == "/usr/sbin/nologin");
    BOOST_TEST(identity["interactive"] == false);
    BOOST_TEST(identity["passwd_entry"] == true);
}

BOOST_AUTO_TEST_CASE(read_only_root_writable_mounts_and_socket_come_from_the_mount_table) {
    auto report = report_for("readonly-root-docker-sock");
    BOOST_TEST(report["fs"]["read_only_root"] == true);
    BOOST_TEST(report["fs"]["writable"] == ordered_json::parse(R"(["/tmp"])"));
    BOOST_TEST_REQUIRE(report["sockets"].size() == 1U);
    auto socket = report["sockets"][0];
    BOOST_TEST(socket["mount"] == "/var/run/docker.sock");
    BOOST_TEST(socket["source"] == "/user/1000/docker.sock");
    BOOST_TEST(socket["mount_ro"] == true);
    BOOST_TEST(socket["risk"] == "host-root");
    BOOST_TEST(report["docker_host_env"] == "tcp");
}

BOOST_AUTO_TEST_CASE(writable_mounts_leave_out_kernel_interfaces_and_hidden_mounts) {
    auto table = hardening::parse_mountinfo(
        "1 0 0:1 / / rw - overlay overlay rw\n"
        "2 1 0:2 / /proc rw - proc proc rw\n"
        "3 1 0:3 / /dev rw - tmpfs tmpfs rw\n"
        "4 3 0:4 / /dev/shm rw - tmpfs shm rw\n"
        "5 1 0:5 / /data rw - ext4 /dev/sdb rw\n"
        "6 1 0:6 / /data ro - ext4 /dev/sdc rw\n"
        "7 1 8:1 /x/hosts /etc/hosts rw - ext4 /dev/sda rw\n"
        "8 1 0:7 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
        "9 1 0:8 / /var/tmp rw - tmpfs tmpfs rw\n");
    BOOST_TEST(writable_mount_points(table) == (std::vector<std::string>{"/dev/shm", "/var/tmp"}));
}

BOOST_AUTO_TEST_CASE(no_environment_value_token_or_hash_appears) {
    auto text = dump_json(report_for("privileged-root"));
    for (const char* secret : {"wJalrXUtnFEMI", "EXAMPLEKEY", "/run/secrets/db", "eyJhbGci",
                               "notarealhash", "10.96.0.1", "never-read", "A035C8C1"}) {
        BOOST_TEST(text.find(secret) == std::string::npos, secret);
    }
}

BOOST_AUTO_TEST_CASE(report_has_the_documented_sections_and_status) {
    auto report = report_for("privileged-root");
    for (const char* key : {"status", "summary", "hale", "identity", "capabilities", "fs",
                            "sockets", "docker_host_env", "runtime", "checks"}) {
        BOOST_TEST(report.contains(key), key);
    }
    BOOST_TEST(report["status"] == "fail");
    BOOST_TEST(report["runtime"]["container"] == "kubernetes");
    BOOST_TEST(report["capabilities"]["effective"].size() == 41U);
    BOOST_TEST(report["checks"].size() == hardening::check_table().size());
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_file_name_is_replaced_not_thrown) {
    hardening::test::TempTree tree("numeric-uid-root-group");
    tree.write(std::string("app/\xff\xfe/.env"), "");
    auto report = collect_about_report(tree.roots());
    std::string text;
    BOOST_CHECK_NO_THROW(text = dump_json(about_json(report, HaleInfo{})));
    BOOST_TEST(text.find("\xef\xbf\xbd/.env") != std::string::npos);  // U+FFFD
}

BOOST_AUTO_TEST_CASE(text_report_lists_failures_first_with_their_fix) {
    auto report = collect_about_report(
        hardening::Roots::under(hardening::test::fixture("numeric-uid-root-group")));
    auto text = about_text(report, HaleInfo{});
    auto fail = text.find("FAIL no-new-privileges");
    auto pass = text.find("PASS non-root-user");
    BOOST_TEST_REQUIRE(fail != std::string::npos);
    BOOST_TEST(pass != std::string::npos);
    BOOST_TEST(fail < pass);
    BOOST_TEST(text.find("fix:      docker run --security-opt no-new-privileges") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_report_lists_failures_first_with_their_fix) {
    auto report = collect_about_report(
        hardening::Roots::under(hardening::test::fixture("numeric-uid-root-group")));
    auto html = about_html(report, HaleInfo{});
    BOOST_TEST(html.starts_with("<!DOCTYPE html>"));
    BOOST_TEST(html.find("<title>hale about: fail</title>") != std::string::npos);
    auto fail = html.find("<code>no-new-privileges</code>");
    auto pass = html.find("<code>non-root-user</code>");
    BOOST_TEST_REQUIRE(fail != std::string::npos);
    BOOST_TEST(pass != std::string::npos);
    BOOST_TEST(fail < pass);
    BOOST_TEST(html.find("<code>docker run --security-opt no-new-privileges") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_report_escapes_what_the_container_and_image_say) {
    auto report = collect_about_report(
        hardening::Roots::under(hardening::test::fixture("numeric-uid-root-group")));
    report.findings.front().observed = "<script>alert('x')</script> & \"more\"";
    ImageInfo image;
    image.warnings.push_back("label <img src=x onerror=alert(1)>");
    report.image = image;
    auto html = about_html(report, HaleInfo{});
    BOOST_TEST(html.find("<script") == std::string::npos);
    BOOST_TEST(html.find("<img") == std::string::npos);
    BOOST_TEST(
        html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;") !=
        std::string::npos);
    BOOST_TEST(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(verify_text_names_each_failing_check) {
    auto report = collect_about_report(
        hardening::Roots::under(hardening::test::fixture("numeric-uid-root-group")));
    hardening::Policy policy;
    auto verdict = hardening::evaluate_policy(report.findings, policy);
    auto text = verify_text(verdict, report, policy);
    BOOST_TEST(text.starts_with("hale verify: failed: 1 check fails"));
    BOOST_TEST(text.find("FAIL no-new-privileges") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(binary_sha256_matches_a_known_digest) {
    hardening::test::TempTree tree;
    tree.write("abc", "abc");
    auto digest = file_sha256(tree.at("abc"));
    BOOST_TEST_REQUIRE(digest.ok());
    BOOST_TEST(*digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(!file_sha256(tree.at("missing")).ok());
}

BOOST_AUTO_TEST_SUITE_END()
