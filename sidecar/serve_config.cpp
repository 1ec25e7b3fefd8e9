#include "sidecar/serve_config.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "probes/address.hpp"
#include "probes/expand.hpp"
#include "sidecar/cli.hpp"
#include "sidecar/duration.hpp"
#include "sidecar/health.hpp"
#include "sidecar/verify_policy.hpp"

namespace hale::sidecar {
namespace {

constexpr size_t kNameCap = 63;
constexpr int kThresholdCap = 1000;

// Usage errors exit 1 like failures: the kubelet and Docker know no other failure status.
constexpr Usage kUsage{"serve", "[OPTIONS] [-- CMD ARGS...]", 1};

std::vector<std::string> split_whitespace(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while ((start = text.find_first_not_of(" \t\n", start)) != std::string::npos) {
        size_t end = text.find_first_of(" \t\n", start);
        parts.push_back(text.substr(start, end - start));
        start = end;
    }
    return parts;
}

probes::Result<int> parse_threshold(const std::string& text, const char* flag) {
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 1 ||
        value > kThresholdCap) {
        return probes::Error{"invalid " + std::string(flag) + " '" + text +
                             "': expected a whole number from 1 to " +
                             std::to_string(kThresholdCap)};
    }
    return value;
}

// The drain may be zero (exit at once); other durations must be positive.
probes::Result<std::chrono::milliseconds> parse_drain(const std::string& text) {
    if (text == "0" || text == "0s" || text == "0ms") {
        return std::chrono::milliseconds(0);
    }
    return parse_duration(text);
}

}  // namespace

std::string ListenAddress::text() const {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

probes::Result<ListenAddress> parse_listen_address(std::string_view text) {
    auto invalid = [&](const std::string& rule) {
        return probes::Error{"invalid listen address '" + std::string(text) + "': expected " +
                             rule};
    };
    const std::string rule = "IP:PORT, [IPv6]:PORT or :PORT, e.g. 0.0.0.0:8086";

    // Split host and port at the last colon, outside brackets.
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return invalid(rule);
    }
    std::string_view host = text.substr(0, colon);
    std::string_view port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return invalid(rule);
    }

    unsigned port = 0;
    auto [end, error] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size() ||
        port > 65535) {
        return invalid("a port from 0 to 65535");
    }

    ListenAddress address;
    address.port = static_cast<uint16_t>(port);
    if (host.empty()) {
        address.host = "0.0.0.0";
    } else if (host == "localhost") {
        address.host = "127.0.0.1";
    } else if (probes::IpAddress::parse(host) && host.find('%') == std::string_view::npos) {
        address.host = std::string(host);
    } else {
        return invalid("an IP address or localhost as the host (names are not looked up)");
    }
    return address;
}

probes::Result<ProbeSpec> parse_probe_spec(std::string_view text, ProbeKind kind) {
    auto equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        return probes::Error{"invalid probe '" + std::string(text) +
                             "': expected NAME=URL, e.g. db=tcp://127.0.0.1:5432"};
    }

    std::string name(text.substr(0, equals));
    bool valid_chars = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
    if (!valid_chars || name.size() > kNameCap) {
        return probes::Error{"invalid probe name '" + name +
                             "': expected at most 63 letters, digits, '.', '_' or '-'"};
    }
    if (name == kSchedulerCheck || name == kShutdownCheck || name == kProcessCheck) {
        return probes::Error{"invalid probe name '" + name +
                             "': expected a name other than hale's own checks scheduler, "
                             "shutdown and process"};
    }

    auto target = probes::parse_target(text.substr(equals + 1));
    if (!target) {
        return probes::Error{target.error()};
    }
    return ProbeSpec{name, kind, std::move(*target)};
}

ParsedServe parse_serve_args(const Args& all_args) {
    // Everything after `--` is the app's command line, passed on untouched.
    auto dashes = std::find(all_args.begin(), all_args.end(), "--");
    ServeConfig config;
    if (dashes != all_args.end()) {
        config.command.assign(dashes + 1, all_args.end());
        if (config.command.empty()) {
            return {std::nullopt, usage_error(kUsage, "no command after '--'")};
        }
    }

    // ${VAR} expansion, as `hale check` does it: exec-form CMD and Kubernetes args run no shell.
    auto expanded = probes::expand_vars_all(Args(all_args.begin(), dashes), probes::process_env());
    if (!expanded) {
        return {std::nullopt, usage_error(kUsage, expanded.error())};
    }
    Args args = std::move(*expanded);

    CLI::App app{"Serve /livez, /readyz and /metrics from probes run in the background.",
                 "hale serve"};
    app.footer(
        "\nReadiness probes (--probe) decide /readyz: every one must pass. Liveness probes\n"
        "(--live-probe) join /livez, which otherwise only says hale itself runs; a dependency in\n"
        "liveness restarts the pod whenever the dependency blips, so keep them out of it.\n"
        "Targets as in hale check: http://host[:port]/path, tcp://host:port.\n"
        "Endpoints: /livez, /readyz (?verbose, ?exclude=NAME, ?format=json or an Accept asking\n"
        "for application/health+json; 200 or 503), /metrics (Prometheus text), /about (hale\n"
        "about's report, with the image's provenance and layers; --image-file and friends).\n"
        "On SIGTERM or SIGINT /readyz fails at once, /livez stays 200 and hale keeps answering\n"
        "for --drain, then exits 0. With `-- CMD ARGS...` hale runs the app as its child:\n"
        "SIGHUP, SIGUSR1 and SIGUSR2 are forwarded at once, SIGTERM and SIGINT after the drain\n"
        "(at once on a second one), zombies are reaped when hale is PID 1, /livez and /readyz\n"
        "fail once the app has exited, and hale exits with the app's status (128+signal).\n"
        "Every flag has a HALE_SERVE_* variable; HALE_SERVE_PROBE and HALE_SERVE_LIVE_PROBE\n"
        "hold NAME=URL entries separated by spaces. ${VAR} in flags is expanded.\n");

    std::string listen_text = "0.0.0.0:8086";
    std::vector<std::string> probe_args;
    std::vector<std::string> live_probe_args;
    std::string interval_text = "5s";
    std::string timeout_text = "2s";
    std::string failure_text = "3";
    std::string success_text = "1";
    std::string drain_text = "5s";
    std::string level_text = "info";
    std::string format_text = "text";

    app.add_option("-l,--listen", listen_text, "address to serve on (default 0.0.0.0:8086)")
        ->envname("HALE_SERVE_LISTEN");
    app.add_option("-p,--probe", probe_args, "readiness probe NAME=URL, repeatable");
    app.add_option("--live-probe", live_probe_args, "liveness probe NAME=URL, repeatable");
    app.add_option("--interval", interval_text, "time between attempts of a probe (default 5s)")
        ->envname("HALE_SERVE_INTERVAL");
    app.add_option("-t,--timeout", timeout_text, "deadline of one attempt (default 2s)")
        ->envname("HALE_SERVE_TIMEOUT");
    app.add_option("--failure-threshold", failure_text,
                   "consecutive failures that fail a probe (default 3)")
        ->envname("HALE_SERVE_FAILURE_THRESHOLD");
    app.add_option("--success-threshold", success_text,
                   "consecutive passes that pass a probe again (default 1)")
        ->envname("HALE_SERVE_SUCCESS_THRESHOLD");
    app.add_option("--drain", drain_text,
                   "time to keep answering after SIGTERM with /readyz failing (default 5s; 0: "
                   "none)")
        ->envname("HALE_SERVE_DRAIN");
    app.add_option("--log-level", level_text, "debug, info, warn, error or off (default info)")
        ->envname("HALE_SERVE_LOG_LEVEL");
    app.add_option("--log-format", format_text, "text or json (default text)")
        ->envname("HALE_SERVE_LOG_FORMAT");
    bool verify = false;
    PolicyFlags policy_flags;
    app.add_flag("--verify", verify,
                 "refuse to start when hale verify would fail (policy flags as for hale verify)")
        ->envname("HALE_SERVE_VERIFY");
    add_policy_options(app, policy_flags);
    add_image_options(app, config.image);

    if (auto done = parse_flags(app, kUsage, std::move(args))) {
        return {std::nullopt, *done};
    }

    // Probe lists may also come from the environment, separated by spaces.
    auto env = probes::process_env();
    if (probe_args.empty()) {
        if (auto from_env = env("HALE_SERVE_PROBE")) {
            probe_args = split_whitespace(*from_env);
        }
    }
    if (live_probe_args.empty()) {
        if (auto from_env = env("HALE_SERVE_LIVE_PROBE")) {
            live_probe_args = split_whitespace(*from_env);
        }
    }

    auto listen = parse_listen_address(listen_text);
    if (!listen) {
        return {std::nullopt, usage_error(kUsage, listen.error())};
    }
    config.listen = *listen;

    for (auto [list, kind] : {std::pair{&probe_args, ProbeKind::Readiness},
                              std::pair{&live_probe_args, ProbeKind::Liveness}}) {
        for (const auto& text : *list) {
            auto spec = parse_probe_spec(text, kind);
            if (!spec) {
                return {std::nullopt, usage_error(kUsage, spec.error())};
            }
            bool taken =
                std::any_of(config.probes.begin(), config.probes.end(),
                            [&](const ProbeSpec& other) { return other.name == spec->name; });
            if (taken) {
                return {std::nullopt, usage_error(kUsage, "invalid probe name '" + spec->name +
                                                              "': expected each name once")};
            }
            config.probes.push_back(std::move(*spec));
        }
    }

    struct DurationFlag {
        const std::string& text;
        std::chrono::milliseconds& value;
    };
    for (auto [text, value] : {DurationFlag{interval_text, config.interval},
                               DurationFlag{timeout_text, config.timeout}}) {
        auto parsed = parse_duration(text);
        if (!parsed) {
            return {std::nullopt, usage_error(kUsage, parsed.error())};
        }
        value = *parsed;
    }
    auto drain = parse_drain(drain_text);
    if (!drain) {
        return {std::nullopt, usage_error(kUsage, drain.error())};
    }
    config.drain = *drain;

    auto failure = parse_threshold(failure_text, "--failure-threshold");
    if (!failure) {
        return {std::nullopt, usage_error(kUsage, failure.error())};
    }
    auto success = parse_threshold(success_text, "--success-threshold");
    if (!success) {
        return {std::nullopt, usage_error(kUsage, success.error())};
    }
    config.thresholds = Thresholds{*failure, *success};

    auto level = parse_log_level(level_text);
    if (!level) {
        return {std::nullopt, usage_error(kUsage, level.error())};
    }
    config.log_level = *level;
    auto format = parse_log_format(format_text);
    if (!format) {
        return {std::nullopt, usage_error(kUsage, format.error())};
    }
    config.log_format = *format;

    if (verify) {
        auto policy = make_policy(policy_flags);
        if (!policy) {
            return {std::nullopt, usage_error(kUsage, policy.error())};
        }
        config.verify = *policy;
    }
    return {std::move(config), 0};
}

}  // namespace hale::sidecar
