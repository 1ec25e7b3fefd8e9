// `hale inspect IMAGE...`: layer analysis of docker-archive and OCI image archives, like dive
// but from a stream (gzip and zstd included), with ghost files, findings and dive's CI rules.
// Exit 0 when every gate passes, 1 when a gate fails, 2 when an input cannot be read.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "image/gates.hpp"
#include "image/inspect.hpp"
#include "probes/text.hpp"
#include "sidecar/cli.hpp"
#include "sidecar/commands.hpp"
#include "sidecar/inspect_render.hpp"

namespace hale::sidecar {
namespace {

constexpr int kPass = 0;
constexpr int kGateFailed = 1;
constexpr int kUnreadable = 2;

struct InspectConfig {
    std::vector<std::string> sources;
    image::InspectOptions options;
    image::Gates gates;
    std::vector<std::string> notes;  // said once on stderr (e.g. unknown .dive-ci keys)
    bool json = false;
    std::string report_path;
    size_t top = 10;
};

struct Parsed {
    std::optional<InspectConfig> config;
    int exit_code = 0;
};

// A usage error exits 2 like an unreadable archive: neither is a verdict on the image.
constexpr Usage kUsage{"inspect", "[OPTIONS] IMAGE...", kUnreadable};

// dive reads ./.dive-ci in CI mode when it exists, and its defaults otherwise.
probes::Result<image::DiveRules> dive_rules(const std::string& path,
                                            bool explicit_path,
                                            std::vector<std::string>& notes) {
    struct stat info {};
    if (!explicit_path && ::stat(path.c_str(), &info) != 0) {
        return image::DiveRules{};
    }
    return image::load_dive_rules(path, notes);
}

Parsed parse_inspect_args(Args args) {
    CLI::App app{
        "Analyse docker-archive and OCI image archives: layer sizes, wasted bytes, "
        "ghost files, findings.",
        "hale inspect"};
    app.footer(
        "\nIMAGE is a `docker save` / `podman save` / `skopeo copy` archive (plain, gzip or zstd,\n"
        "found by magic bytes), an OCI layout directory, or - for stdin. Several images print a\n"
        "side-by-side comparison.\n"
        "efficiency and dive_wasted_bytes are dive's figures; wasted_bytes counts only the bytes\n"
        "the final filesystem does not show. --max-wasted and --max-user-wasted-percent use\n"
        "wasted_bytes; --ci applies dive's rules (./.dive-ci or --ci-config) to dive's figures.\n"
        "Exit status: 0 all gates pass, 1 a gate failed, 2 unreadable input or usage error.\n");

    InspectConfig config;
    std::string platform;
    std::string min_efficiency;
    std::string max_wasted;
    std::string max_user_wasted;
    std::string ci_config = ".dive-ci";
    bool ci = false;
    uint64_t max_entries = config.options.read.limits.max_entries;

    app.add_option("images", config.sources, "image archives, OCI layout directories or -")
        ->required();
    app.add_flag("--json", config.json, "print the full analysis as JSON");
    app.add_option("--report", config.report_path,
                   "write the compact layer report that hale serve shows on /about");
    app.add_option("--platform", platform, "os/arch[/variant] to pick from a multi-platform index");
    app.add_option("--top", config.top, "rows of wasted paths and ghosts to print (default 10)");
    app.add_option("--min-efficiency", min_efficiency, "fail below this efficiency, e.g. 0.9");
    app.add_option("--max-wasted", max_wasted, "fail above this many wasted bytes, e.g. 20MB");
    app.add_option("--max-user-wasted-percent", max_user_wasted,
                   "fail when wasted bytes exceed this share of the bytes above layer 0");
    app.add_flag("--ci", ci, "apply dive's CI rules (./.dive-ci or defaults)");
    auto* ci_file = app.add_option("--ci-config", ci_config, "dive rules file (implies --ci)");
    app.add_option("--max-entries", max_entries,
                   "refuse archives with more file entries (default 5000000)");

    if (auto done = parse_flags(app, kUsage, std::move(args))) {
        return {std::nullopt, *done};
    }

    if (std::count(config.sources.begin(), config.sources.end(), "-") > 1) {
        return {std::nullopt, usage_error(kUsage, "stdin (-) can be read only once")};
    }
    if (!config.report_path.empty() && config.sources.size() != 1) {
        return {std::nullopt, usage_error(kUsage, "--report writes the report of one image")};
    }
    config.options.read.limits.max_entries = max_entries;
    if (!platform.empty()) {
        auto parsed = image::parse_platform(platform);
        if (!parsed) {
            return {std::nullopt, usage_error(kUsage, parsed.error())};
        }
        config.options.resolve.platform = *parsed;
    }
    if (!min_efficiency.empty()) {
        auto value = image::parse_ratio(min_efficiency, "--min-efficiency");
        if (!value) {
            return {std::nullopt, usage_error(kUsage, value.error())};
        }
        config.gates.min_efficiency = *value;
    }
    if (!max_wasted.empty()) {
        auto value = image::parse_bytes(max_wasted);
        if (!value) {
            return {std::nullopt, usage_error(kUsage, value.error())};
        }
        config.gates.max_wasted = *value;
    }
    if (!max_user_wasted.empty()) {
        auto value = image::parse_ratio(max_user_wasted, "--max-user-wasted-percent");
        if (!value) {
            return {std::nullopt, usage_error(kUsage, value.error())};
        }
        config.gates.max_user_wasted = *value;
    }
    if (ci || ci_file->count() > 0) {
        auto rules = dive_rules(ci_config, ci_file->count() > 0, config.notes);
        if (!rules) {
            return {std::nullopt, usage_error(kUsage, rules.error())};
        }
        config.gates.dive = *rules;
    }
    return {std::move(config), 0};
}

InspectOutcome inspect_one(const std::string& source, const InspectConfig& config) {
    InspectOutcome outcome;
    outcome.source = source;
    auto report = image::inspect_image(source, config.options);
    if (!report) {
        outcome.error = report.error();
        return outcome;
    }
    outcome.gates = image::evaluate_gates(config.gates, *report);
    outcome.gate_failed =
        std::any_of(outcome.gates.begin(), outcome.gates.end(),
                    [](const image::GateResult& g) { return g.status == image::GateStatus::Fail; });
    outcome.report = std::move(*report);
    return outcome;
}

// Names in an archive need not be UTF-8; JSON must be, so invalid bytes become U+FFFD
// instead of an exception.
std::string dump(const nlohmann::ordered_json& value) {
    return value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool write_report(const std::string& path, const InspectOutcome& outcome, size_t top) {
    std::string text = dump(render_report_file(outcome, top)) + "\n";
    std::FILE* file = std::fopen(path.c_str(), "w");
    int error = file == nullptr ? errno : 0;
    if (file != nullptr && std::fwrite(text.data(), 1, text.size(), file) != text.size()) {
        error = errno != 0 ? errno : EIO;
    }
    if (file != nullptr && std::fclose(file) != 0 && error == 0) {
        error = errno != 0 ? errno : EIO;
    }
    if (error != 0) {
        std::fprintf(stderr, "hale inspect: cannot write %s: %s\n", probes::printable(path).c_str(),
                     probes::describe_errno(error).c_str());
        return false;
    }
    return true;
}

void print(const std::vector<InspectOutcome>& outcomes, const InspectConfig& config) {
    if (config.json) {
        nlohmann::ordered_json out;
        if (outcomes.size() == 1) {
            out = render_json(outcomes.front());
        } else {
            out["images"] = nlohmann::ordered_json::array();
            for (const auto& outcome : outcomes) {
                out["images"].push_back(render_json(outcome));
            }
        }
        std::printf("%s\n", dump(out).c_str());
    } else if (outcomes.size() == 1) {
        if (outcomes.front().report) {
            std::fputs(render_text(outcomes.front(), config.top).c_str(), stdout);
        }
    } else {
        std::fputs(render_comparison(outcomes).c_str(), stdout);
    }
    // Errors also go to stderr in one line each, so scripts see them whatever the format.
    for (const auto& outcome : outcomes) {
        if (!outcome.report) {
            std::fprintf(stderr, "hale inspect: %s: %s\n",
                         probes::printable(outcome.source).c_str(),
                         probes::printable(outcome.error).c_str());
        }
    }
}

}  // namespace

int run_inspect(const Args& args) {
    // Flags, gates and dive's rules file; bad ones exit 2 like unreadable input.
    Parsed parsed = parse_inspect_args(args);
    if (!parsed.config) {
        return parsed.exit_code;
    }
    const InspectConfig& config = *parsed.config;
    for (const auto& note : config.notes) {
        std::fprintf(stderr, "hale inspect: %s\n", note.c_str());
    }

    // One image at a time: each is read in one pass and released before the next.
    std::vector<InspectOutcome> outcomes;
    for (const auto& source : config.sources) {
        outcomes.push_back(inspect_one(source, config));
    }

    // The report, the comparison or the JSON; then the file /about serves.
    print(outcomes, config);
    if (!config.report_path.empty() && outcomes.front().report &&
        !write_report(config.report_path, outcomes.front(), config.top)) {
        return kUnreadable;
    }

    // 2 when an input could not be read, 1 when a gate failed, else 0.
    bool unreadable = std::any_of(outcomes.begin(), outcomes.end(),
                                  [](const InspectOutcome& o) { return !o.report; });
    bool failed = std::any_of(outcomes.begin(), outcomes.end(),
                              [](const InspectOutcome& o) { return o.gate_failed; });
    return unreadable ? kUnreadable : failed ? kGateFailed : kPass;
}

}  // namespace hale::sidecar
