// `hale about` prints the hardening report; `hale verify` judges it against a policy and exits
// 1 when the policy fails, for entrypoint guards (`hale verify && exec app`) and CI
// (`docker run IMAGE /hale verify`).
//
// Exit status: about 0 (the report was printed); verify 0 policy passed, 1 policy failed;
// both 2 for a usage error (unknown option, bad value, unknown check id).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "probes/expand.hpp"
#include "sidecar/about_report.hpp"
#include "sidecar/cli.hpp"
#include "sidecar/commands.hpp"
#include "sidecar/image_info.hpp"
#include "sidecar/verify_policy.hpp"

namespace hale::sidecar {
namespace {

namespace hardening = probes::hardening;

constexpr Usage kAboutUsage{"about", "[OPTIONS]", 2};
constexpr Usage kVerifyUsage{"verify", "[OPTIONS]", 2};

// Tests point the readers at a fixture tree; everyone else reads the live system.
hardening::Roots roots_from(const std::string& root) {
    return root.empty() ? hardening::Roots{} : hardening::Roots::under(root);
}

}  // namespace

int run_about(const Args& args) {
    CLI::App app{
        "Report how this container is hardened, from inside: user, capabilities,\n"
        "seccomp, LSM, mounts, namespaces, cgroup limits and image contents; and what the\n"
        "image is: its provenance and layers.",
        "hale about"};
    app.footer(
        "\nEach check is pass, warn, fail, or skip when it could not run, with the observed and\n"
        "expected values and the exact fix. No environment value, token or secret is printed.\n"
        "The image section merges hale's build, --image-file, OCI_IMAGE_* variables, pod\n"
        "annotations (--podinfo) and, with --docker-api, the Docker Engine API.\n"
        "Exit status: 0 report printed, 2 usage error.\n");
    bool as_json = false;
    std::string root;
    ImageSources image_sources;
    app.add_flag("--json", as_json, "print the report as JSON (the same as hale serve's /about)");
    app.add_option("--root", root,
                   "read DIR/proc, DIR/sys, DIR/etc and DIR instead of the live system (tests)");
    add_image_options(app, image_sources);

    // Arguments.
    if (auto done = parse_flags(app, kAboutUsage, args)) {
        return *done;
    }

    // Facts, checks, the image's provenance and layers, report.
    auto roots = roots_from(root);
    auto report = collect_about_report(roots);
    report.image = collect_image_info(image_sources, roots, probes::process_env());
    auto info = hale_info();
    if (as_json) {
        std::printf("%s\n", dump_json(about_json(report, info)).c_str());
    } else {
        std::fputs(about_text(report, info).c_str(), stdout);
    }
    return 0;
}

int run_verify(const Args& args) {
    CLI::App app{
        "Fail (exit 1) when the container's hardening breaks the policy; print the\n"
        "failing checks with their fixes.",
        "hale verify"};
    app.footer(
        "\nExamples: hale verify && exec app;  docker run IMAGE /hale verify --fail-on warn\n"
        "Check ids are listed by hale about. Exit status: 0 policy passed, 1 policy failed,\n"
        "2 usage error (unknown option, bad value, unknown check id).\n");
    PolicyFlags flags;
    std::string root;
    add_policy_options(app, flags);
    app.add_option("--root", root,
                   "read DIR/proc, DIR/sys, DIR/etc and DIR instead of the live system (tests)");

    // Arguments and the policy they describe.
    if (auto done = parse_flags(app, kVerifyUsage, args)) {
        return *done;
    }
    auto policy = make_policy(flags);
    if (!policy) {
        return usage_error(kVerifyUsage, policy.error());
    }

    // Facts, checks, verdict.
    auto report = collect_about_report(roots_from(root), policy->check_options());
    auto verdict = hardening::evaluate_policy(report.findings, *policy);
    std::fputs(verify_text(verdict, report, *policy).c_str(), stdout);
    return verdict.passed ? 0 : 1;
}

}  // namespace hale::sidecar
