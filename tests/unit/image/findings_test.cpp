#include "image/findings.hpp"

#include <boost/test/unit_test.hpp>

#include "tests/unit/image/image_builder.hpp"

namespace {

using hale::image::ImageReport;
using hale::test::ImageSpec;
using hale::test::TarBuilder;
using hale::test::TarEntry;

ImageReport inspect(ImageSpec image) {
    if (image.layers.empty()) {
        image.layers.push_back({TarBuilder().file("app", "binary", 0755).build(), "COPY app /"});
    }
    auto report = hale::test::inspect_tar(hale::test::tar_of(hale::test::docker_archive(image)));
    if (!report) {
        throw std::runtime_error(report.error());
    }
    return std::move(*report);
}

ImageReport with_user(const std::string& user, const std::string& passwd = "") {
    ImageSpec image;
    TarBuilder root;
    root.file("app", "binary", 0755);
    if (!passwd.empty()) {
        root.file("etc/passwd", passwd);
    }
    image.layers.push_back({root.build(), "COPY app /"});
    image.user = user;
    return inspect(image);
}

const hale::image::Finding* finding(const ImageReport& report, const std::string& id) {
    for (const auto& item : report.findings) {
        if (item.id == id) {
            return &item;
        }
    }
    return nullptr;
}

const char* const kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "app:x:10001:10001::/nonexistent:/sbin/nologin\n"
    "toor:x:0:0::/root:/bin/sh\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(findings_test)

BOOST_AUTO_TEST_CASE(empty_zero_and_root_users_run_as_root) {
    for (const char* user : {"", "0", "root", "0:0", "root:root", " 0:1000"}) {
        ImageReport report = with_user(user);
        BOOST_TEST(report.runs_as_root, "user '" << user << "'");
        BOOST_TEST(finding(report, "runs-as-root") != nullptr);
    }
}

BOOST_AUTO_TEST_CASE(numeric_non_zero_users_do_not_run_as_root) {
    for (const char* user : {"65532", "10001:0", "1000:1000"}) {
        ImageReport report = with_user(user);
        BOOST_TEST(!report.runs_as_root, "user '" << user << "'");
        BOOST_TEST(finding(report, "runs-as-root") == nullptr);
    }
}

BOOST_AUTO_TEST_CASE(named_user_is_looked_up_in_the_image_passwd) {
    BOOST_TEST(!with_user("app", kPasswd).runs_as_root);
    BOOST_TEST(with_user("toor", kPasswd).runs_as_root);
}

BOOST_AUTO_TEST_CASE(named_user_missing_from_passwd_is_reported) {
    ImageReport report = with_user("ghost", kPasswd);
    BOOST_TEST(!report.runs_as_root);
    BOOST_TEST(finding(report, "user-unknown") != nullptr);
    BOOST_TEST(finding(with_user("app"), "user-unknown") != nullptr);
}

BOOST_AUTO_TEST_CASE(shell_form_healthcheck_without_sh_is_reported) {
    ImageSpec image;
    image.user = "10001";
    image.healthcheck =
        std::vector<std::string>{"CMD-SHELL", "/hale check http://127.0.0.1/ || exit 1"};
    ImageReport report = inspect(image);
    const auto* found = finding(report, "healthcheck-needs-shell");
    BOOST_TEST_REQUIRE(found != nullptr);
    BOOST_TEST(found->message ==
               "Healthcheck.Test is CMD-SHELL but /bin/sh is absent in final filesystem");
}

BOOST_AUTO_TEST_CASE(shell_behind_a_merged_usr_symlink_counts_as_present) {
    ImageSpec image;
    image.healthcheck = std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost/"};
    image.layers.push_back({TarBuilder()
                                .symlink("bin", "usr/bin")
                                .file("usr/bin/dash", "elf", 0755)
                                .symlink("usr/bin/sh", "dash")
                                .build(),
                            "ADD rootfs /"});
    ImageReport report = inspect(image);
    BOOST_TEST(finding(report, "healthcheck-needs-shell") == nullptr);
    BOOST_TEST_REQUIRE(!report.shells.empty());
    BOOST_TEST(report.shells.front() == "/bin/sh");
    BOOST_TEST(finding(report, "shell-present") != nullptr);
}

BOOST_AUTO_TEST_CASE(dangling_sh_link_counts_as_absent) {
    ImageSpec image;
    image.healthcheck = std::vector<std::string>{"CMD-SHELL", "true"};
    image.layers.push_back({TarBuilder().symlink("bin/sh", "busybox").build(), "ADD rootfs /"});
    BOOST_TEST(finding(inspect(image), "healthcheck-needs-shell") != nullptr);
}

BOOST_AUTO_TEST_CASE(exec_form_healthcheck_needs_nothing) {
    ImageSpec image;
    image.healthcheck = std::vector<std::string>{"CMD", "/hale", "check", "http://127.0.0.1/"};
    ImageReport report = inspect(image);
    BOOST_TEST(finding(report, "healthcheck-needs-shell") == nullptr);
    BOOST_TEST(finding(report, "no-healthcheck") == nullptr);
}

BOOST_AUTO_TEST_CASE(missing_or_disabled_healthcheck_is_reported) {
    BOOST_TEST(finding(inspect(ImageSpec{}), "no-healthcheck") != nullptr);
    ImageSpec disabled;
    disabled.healthcheck = std::vector<std::string>{"NONE"};
    BOOST_TEST(finding(inspect(disabled), "no-healthcheck") != nullptr);
}

BOOST_AUTO_TEST_CASE(shell_form_command_without_sh_is_reported) {
    ImageSpec image;
    image.cmd = {"/bin/sh", "-c", "/app --serve"};
    BOOST_TEST(finding(inspect(image), "command-needs-shell") != nullptr);
}

BOOST_AUTO_TEST_CASE(setuid_and_world_writable_files_are_listed) {
    ImageSpec image;
    image.layers.push_back({TarBuilder()
                                .file("usr/bin/su", "elf", 04755)
                                .file("srv/open", "x", 0666)
                                .dir("tmp/", 01777)
                                .dir("srv/drop/", 0777)
                                .build(),
                            "ADD rootfs /"});
    ImageReport report = inspect(image);
    const auto* setuid = finding(report, "setuid-files");
    BOOST_TEST_REQUIRE(setuid != nullptr);
    BOOST_TEST(hale::test::joined(setuid->paths) ==
               hale::test::joined(std::vector<std::string>{"/usr/bin/su (4755)"}));
    const auto* writable = finding(report, "world-writable");
    BOOST_TEST_REQUIRE(writable != nullptr);
    // /tmp has the sticky bit, as it should.
    BOOST_TEST(hale::test::joined(writable->paths) ==
               hale::test::joined(std::vector<std::string>{"/srv/drop", "/srv/open"}));
}

BOOST_AUTO_TEST_CASE(package_caches_are_sized) {
    ImageSpec image;
    image.layers.push_back(
        {TarBuilder()
             .file("var/lib/apt/lists/deb.debian.org_Packages", std::string(2 << 20, 'p'))
             .file("var/lib/apt/lists/lock", "")
             .file("root/.cache/pip/wheel", std::string(100, 'w'))
             .build(),
         "RUN apt-get update"});
    ImageReport report = inspect(image);
    const auto* cache = finding(report, "package-cache");
    BOOST_TEST_REQUIRE(cache != nullptr);
    BOOST_TEST(cache->bytes == (2u << 20) + 100u);
    BOOST_TEST((cache->severity == hale::image::Severity::Medium));
    BOOST_TEST(cache->paths.size() == 2u);
}

BOOST_AUTO_TEST_CASE(deleted_cache_is_not_reported) {
    ImageSpec image;
    image.layers.push_back(
        {TarBuilder().file("var/lib/apt/lists/Packages", std::string(100, 'p')).build(), "RUN a"});
    image.layers.push_back(
        {TarBuilder().file("var/lib/apt/lists/.wh.Packages", "").build(), "RUN b"});
    BOOST_TEST(finding(inspect(image), "package-cache") == nullptr);
}

BOOST_AUTO_TEST_CASE(compilers_in_the_final_filesystem_are_listed) {
    ImageSpec image;
    image.layers.push_back({TarBuilder()
                                .file("usr/bin/gcc-12", "elf", 0755)
                                .symlink("usr/bin/gcc", "gcc-12")
                                .file("usr/bin/make", "elf", 0755)
                                .build(),
                            "RUN apt-get install build-essential"});
    ImageReport report = inspect(image);
    const auto* tools = finding(report, "build-tools");
    BOOST_TEST_REQUIRE(tools != nullptr);
    BOOST_TEST(hale::test::joined(tools->paths) ==
               hale::test::joined(std::vector<std::string>{"/usr/bin/gcc", "/usr/bin/make"}));
}

BOOST_AUTO_TEST_CASE(score_takes_penalties_per_severity_and_waste) {
    using hale::image::Finding;
    using hale::image::Severity;
    std::vector<Finding> findings{{"a", Severity::High, "", "", {}, 0},
                                  {"b", Severity::Medium, "", "", {}, 0},
                                  {"c", Severity::Low, "", "", {}, 0}};
    BOOST_TEST(hale::image::image_score(findings, 0, 100) == 62);
    BOOST_TEST(hale::image::image_score({}, 10, 100) == 90);
    BOOST_TEST(hale::image::image_score({}, 90, 100) == 70);
    BOOST_TEST(hale::image::image_score(std::vector<Finding>(5, findings[0]), 0, 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
