// `hale check URL...`: probe once, print one line, exit 0 when every target is healthy and 1
// otherwise. Made for exec-form Docker HEALTHCHECK and Kubernetes exec probes, which run no
// shell: it expands ${VAR} itself and never exits 2, which Docker reserves.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "build_info.hpp"
#include "probes/expand.hpp"
#include "probes/http_probe.hpp"
#include "probes/probe.hpp"
#include "sidecar/cli.hpp"
#include "sidecar/commands.hpp"
#include "sidecar/duration.hpp"

namespace hale::sidecar {
namespace {

// Docker keeps 4096 bytes of a health check's output; one line well under that stays readable
// in `docker inspect` and in `kubectl describe`.
constexpr size_t kOutputLineCap = 511;

struct CheckConfig {
    std::vector<probes::Target> targets;
    probes::ProbeOptions options;
    std::chrono::milliseconds timeout{5000};
    bool verbose = false;
};

// Outcome of reading the command line: a configuration, or an exit code when there is
// nothing to probe (help was printed, or a usage error was reported).
struct Parsed {
    std::optional<CheckConfig> config;
    int exit_code = 0;
};

// Usage errors exit 1 like failures: Docker and the kubelet know no other failure status.
constexpr Usage kUsage{"check", "[OPTIONS] URL...", 1};

// Exec form passes `|| exit 1` through as arguments. hale already exits 0 or 1, so the tokens
// are dropped with a warning instead of being read as targets.
Args drop_shell_tokens(const Args& args) {
    auto is_shell_token = [](const std::string& arg) {
        return arg == "||" || arg == "&&" || arg == "|" || arg == ";";
    };
    auto first = std::find_if(args.begin(), args.end(), is_shell_token);
    if (first == args.end()) {
        return args;
    }
    std::string dropped;
    for (auto it = first; it != args.end(); ++it) {
        dropped += (dropped.empty() ? "" : " ") + *it;
    }
    std::fprintf(stderr,
                 "hale check: ignoring '%s': exec form runs no shell, and hale already exits 0 "
                 "or 1\n",
                 dropped.c_str());
    return {args.begin(), first};
}

std::vector<std::string> split(const std::string& text, const std::string& separators) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start < text.size()) {
        auto end = text.find_first_of(separators, start);
        if (end != start) {
            parts.push_back(text.substr(start, end - start));
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return parts;
}

Parsed parse_check_args(Args args) {
    CLI::App app{"Probe http:// and tcp:// targets once. Exit 0 when all are healthy, else 1.",
                 "hale check"};
    app.footer(
        "\nTargets: http://host[:port]/path (healthy on an accepted status) and tcp://host:port\n"
        "(healthy when a connection is accepted, which proves only that something listens).\n"
        "${VAR} and ${VAR:-default} in any argument are expanded from the environment.\n"
        "HALE_CHECK_URL may hold the targets, separated by spaces, and HALE_CHECK_HEADER the\n"
        "headers, one per line. Set --timeout below the orchestrator's own timeout.\n"
        "Exit status: 0 healthy, 1 anything else (usage errors included); never 2.\n");

    std::vector<std::string> urls;
    std::string timeout_text = "5s";
    std::string accept_text = "200-399";
    std::string method = "GET";
    std::vector<std::string> header_args;
    std::string expect_body;
    std::string proxy_text;
    CheckConfig config;

    app.add_option("targets", urls, "http://host[:port]/path or tcp://host:port");
    app.add_option("-t,--timeout", timeout_text, "deadline over every phase (default 5s)")
        ->envname("HALE_CHECK_TIMEOUT");
    app.add_option("--accept", accept_text, "healthy statuses (default 200-399), e.g. 200,204")
        ->envname("HALE_CHECK_ACCEPT");
    app.add_flag("--follow", config.options.http.follow,
                 "follow redirects to the same host and scheme, at most 5")
        ->envname("HALE_CHECK_FOLLOW");
    app.add_option("-X,--method", method, "request method (default GET)")
        ->envname("HALE_CHECK_METHOD");
    app.add_option("-H,--header", header_args, "extra request header 'Name: value', repeatable")
        ->allow_extra_args(false);
    app.add_option("--expect-body", expect_body, "text the first 64 KiB of the body must contain")
        ->envname("HALE_CHECK_EXPECT_BODY");
    app.add_option("--proxy", proxy_text,
                   "send HTTP requests through this proxy (proxy variables are never read)")
        ->envname("HALE_CHECK_PROXY");
    app.add_flag("-v,--verbose", config.verbose, "print each step to stderr");

    if (auto done = parse_flags(app, kUsage, std::move(args))) {
        return {std::nullopt, *done};
    }

    // Targets and headers may also come from the environment, expanded like arguments.
    auto env = probes::process_env();
    if (urls.empty()) {
        if (auto from_env = env("HALE_CHECK_URL")) {
            auto expanded = probes::expand_vars(*from_env, env);
            if (!expanded) {
                return {std::nullopt, usage_error(kUsage, expanded.error())};
            }
            urls = split(*expanded, " \t\n");
        }
    }
    if (header_args.empty()) {
        if (auto from_env = env("HALE_CHECK_HEADER")) {
            auto expanded = probes::expand_vars(*from_env, env);
            if (!expanded) {
                return {std::nullopt, usage_error(kUsage, expanded.error())};
            }
            header_args = split(*expanded, "\n");
        }
    }
    if (urls.empty()) {
        return {std::nullopt, usage_error(kUsage, "no target given")};
    }

    for (const auto& url : urls) {
        auto target = probes::parse_target(url);
        if (!target) {
            return {std::nullopt, usage_error(kUsage, target.error())};
        }
        config.targets.push_back(std::move(*target));
    }

    auto timeout = parse_duration(timeout_text);
    if (!timeout) {
        return {std::nullopt, usage_error(kUsage, timeout.error())};
    }
    config.timeout = *timeout;

    auto accept = probes::StatusSet::parse(accept_text);
    if (!accept) {
        return {std::nullopt, usage_error(kUsage, accept.error())};
    }
    auto& http = config.options.http;
    http.accept = *accept;

    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (method.empty() ||
        !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return {std::nullopt,
                usage_error(kUsage, "invalid method '" + method +
                                        "': expected letters only, e.g. GET or HEAD")};
    }
    http.method = method;

    for (const auto& text : header_args) {
        auto header = probes::parse_header_arg(text);
        if (!header) {
            return {std::nullopt, usage_error(kUsage, header.error())};
        }
        http.headers.push_back(std::move(*header));
    }

    if (!expect_body.empty()) {
        if (method == "HEAD") {
            return {std::nullopt,
                    usage_error(kUsage, "--expect-body needs a body; HEAD responses have none")};
        }
        http.expect_body = expect_body;
    }

    if (!proxy_text.empty()) {
        auto proxy = probes::parse_target(proxy_text);
        if (!proxy || proxy->scheme != probes::Scheme::Http) {
            return {std::nullopt, usage_error(kUsage, "invalid proxy '" + proxy_text +
                                                          "': expected http://host:port")};
        }
        http.proxy = *proxy;
    }

    http.user_agent = std::string("hale/") + build::kVersion;
    return {std::move(config), 0};
}

std::vector<probes::ProbeResult> probe_all(const CheckConfig& config) {
    probes::init_resolver();
    const probes::Deadline deadline(config.timeout);
    const size_t count = config.targets.size();
    std::vector<probes::ProbeResult> results(count);
    std::mutex trace_mutex;

    auto options_for = [&](size_t index) {
        probes::ProbeOptions options = config.options;
        if (config.verbose) {
            std::string prefix =
                count > 1 ? "hale check [" + std::to_string(index + 1) + "]: " : "hale check: ";
            options.trace = [prefix, &trace_mutex](std::string_view text) {
                std::lock_guard lock(trace_mutex);
                std::fprintf(stderr, "%s%.*s\n", prefix.c_str(), static_cast<int>(text.size()),
                             text.data());
            };
        }
        return options;
    };

    if (count == 1) {
        results[0] = probes::run_probe(config.targets[0], options_for(0), deadline);
        return results;
    }

    // Several targets run at once under the same deadline; all must pass. When the kernel
    // refuses a thread (a pids limit), that target is probed here instead, still in time.
    std::vector<std::thread> workers;
    workers.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        auto probe = [&, i] {
            results[i] = probes::run_probe(config.targets[i], options_for(i), deadline);
        };
        try {
            workers.emplace_back(probe);
        } catch (const std::system_error&) {
            probe();
        }
    }
    for (auto& worker : workers) {
        worker.join();
    }
    return results;
}

// "ok 200 GET http://127.0.0.1:8080/health 2ms", several joined by "; ", cut to one short line.
std::string verdict_line(const std::vector<probes::ProbeResult>& results) {
    std::string line;
    for (const auto& result : results) {
        if (!line.empty()) {
            line += "; ";
        }
        line += (result.healthy ? "ok " : "fail ") + result.line;
    }
    if (line.size() > kOutputLineCap) {
        line.resize(kOutputLineCap - 3);
        line += "...";
    }
    return line;
}

}  // namespace

int run_check(const Args& raw_args) {
    // Exec form has no shell: drop `|| exit 1`, expand ${VAR} here.
    auto args = probes::expand_vars_all(drop_shell_tokens(raw_args), probes::process_env());
    if (!args) {
        std::printf("fail %s\n", args.error().c_str());
        return 1;
    }

    // Flags, environment, targets.
    Parsed parsed = parse_check_args(*args);
    if (!parsed.config) {
        return parsed.exit_code;
    }

    // Probe every target under one deadline.
    auto results = probe_all(*parsed.config);

    // One line, one verdict.
    std::printf("%s\n", verdict_line(results).c_str());
    bool healthy = std::all_of(results.begin(), results.end(),
                               [](const probes::ProbeResult& result) { return result.healthy; });
    return healthy ? 0 : 1;
}

}  // namespace hale::sidecar
