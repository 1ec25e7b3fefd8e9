#include "sidecar/health_render.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "build_info.hpp"

namespace hale::sidecar {
namespace {

// One check's reason is cut here, so that one chatty probe cannot crowd out the others.
constexpr size_t kReasonCap = 200;

// Room kept for the closing lines (warnings, omissions, the verdict) of a body.
constexpr size_t kClosingReserve = 600;

// Text from peers and query strings may hold invalid UTF-8: replace it, never throw.
std::string dump_json(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string capped(std::string_view text, size_t cap) {
    if (text.size() <= cap) {
        return std::string(text);
    }
    return std::string(text.substr(0, cap - 3)) + "...";
}

bool is_excluded(const HealthQuery& query, const std::string& name) {
    return std::find(query.excluded.begin(), query.excluded.end(), name) != query.excluded.end();
}

// Excluded names that match no check, quoted as the kube-apiserver quotes them.
std::string unmatched_exclusions(const std::vector<Check>& checks, const HealthQuery& query) {
    std::string unmatched;
    for (const auto& name : query.excluded) {
        bool found = std::any_of(checks.begin(), checks.end(),
                                 [&](const Check& check) { return check.name == name; });
        if (!found) {
            unmatched +=
                (unmatched.empty() ? "" : ",") + std::string("\"") + capped(name, 64) + "\"";
        }
    }
    return unmatched;
}

bool counted_checks_pass(const std::vector<Check>& checks, const HealthQuery& query) {
    return std::all_of(checks.begin(), checks.end(), [&](const Check& check) {
        return check.ok || is_excluded(query, check.name);
    });
}

std::string iso8601(std::chrono::system_clock::time_point time) {
    auto seconds = std::chrono::system_clock::to_time_t(time);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()) % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(ms.count()));
    return text;
}

std::string render_text(std::string_view endpoint,
                        const std::vector<Check>& checks,
                        const HealthQuery& query,
                        bool pass) {
    std::string body;
    size_t omitted = 0;
    for (const auto& check : checks) {
        std::string line;
        if (is_excluded(query, check.name)) {
            line = "[+]" + check.name + " excluded: ok\n";
        } else if (check.ok) {
            line = "[+]" + check.name + " ok\n";
        } else {
            line = "[-]" + check.name + " failed: " + capped(check.reason, kReasonCap) + "\n";
        }
        if (body.size() + line.size() > kHealthBodyCap - kClosingReserve) {
            ++omitted;
            continue;
        }
        body += line;
    }
    if (omitted > 0) {
        body += "warn: " + std::to_string(omitted) + " more checks not shown\n";
    }
    if (auto unmatched = unmatched_exclusions(checks, query); !unmatched.empty()) {
        body += "warn: some health checks cannot be excluded: no matches for " +
                capped(unmatched, 300) + "\n";
    }
    body += std::string(endpoint) + (pass ? " check passed\n" : " check failed\n");
    return body;
}

nlohmann::ordered_json check_json(const Check& check, bool excluded) {
    nlohmann::ordered_json entry;
    entry["componentId"] = check.name;
    entry["componentType"] = check.is_probe ? "component" : "system";
    entry["status"] = check.ok ? "pass" : "fail";
    if (check.is_probe && check.has_result) {
        entry["observedValue"] = check.latency.count();
        entry["observedUnit"] = "ms";
        entry["time"] = iso8601(check.time);
    }
    if (!check.ok) {
        entry["output"] = capped(check.reason, kReasonCap);
    }
    if (excluded) {
        entry["excluded"] = true;
    }
    return entry;
}

std::string render_json(std::string_view endpoint,
                        const std::vector<Check>& checks,
                        const HealthQuery& query,
                        bool pass) {
    // The checks object is assembled piece by piece so that it can stop before the cap.
    std::string checks_text;
    size_t omitted = 0;
    std::string first_failure;
    for (const auto& check : checks) {
        bool excluded = is_excluded(query, check.name);
        if (!check.ok && !excluded && first_failure.empty()) {
            first_failure = check.name + " failed: " + capped(check.reason, kReasonCap);
        }
        std::string key = check.is_probe ? check.name + ":responseTime" : check.name;
        std::string piece = dump_json(key) + ":" +
                            dump_json(nlohmann::ordered_json::array({check_json(check, excluded)}));
        if (checks_text.size() + piece.size() > kHealthBodyCap - kClosingReserve - 400) {
            ++omitted;
            continue;
        }
        checks_text += (checks_text.empty() ? "" : ",") + piece;
    }

    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    if (omitted > 0) {
        notes.push_back(std::to_string(omitted) + " more checks not shown");
    }
    if (auto unmatched = unmatched_exclusions(checks, query); !unmatched.empty()) {
        notes.push_back("some health checks cannot be excluded: no matches for " +
                        capped(unmatched, 300));
    }

    nlohmann::ordered_json head;
    head["status"] = pass ? "pass" : "fail";
    head["version"] = build::kVersion;
    head["description"] = "hale " + std::string(endpoint);
    if (!pass) {
        head["output"] = first_failure;
    }
    if (!notes.empty()) {
        head["notes"] = notes;
    }
    std::string body = dump_json(head);
    body.pop_back();  // reopen the object for the checks
    body += ",\"checks\":{" + checks_text + "}}\n";
    return body;
}

}  // namespace

probes::Result<HealthQuery> parse_health_query(const handlers::Request& request) {
    HealthQuery query;
    query.verbose = request.has_param("verbose");
    query.excluded = request.param_values("exclude");

    // An explicit ?format wins; otherwise JSON only when Accept names it, so the kubelet's
    // `Accept: */*` and a browser's list get the text form.
    auto formats = request.param_values("format");
    if (!formats.empty()) {
        const auto& format = formats.back();
        if (format != "text" && format != "json") {
            return probes::Error{"invalid format '" + capped(format, 32) +
                                 "': expected text or json"};
        }
        query.json = format == "json";
        return query;
    }
    auto accept = request.header("Accept");
    query.json = accept.find("application/health+json") != std::string::npos ||
                 accept.find("application/json") != std::string::npos;
    return query;
}

handlers::Response render_health(std::string_view endpoint,
                                 const std::vector<Check>& checks,
                                 const HealthQuery& query) {
    handlers::Response response;
    bool pass = counted_checks_pass(checks, query);
    response.status = pass ? 200 : 503;
    response.headers = {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}};

    if (query.json) {
        response.content_type = "application/health+json";
        response.body = render_json(endpoint, checks, query, pass);
    } else if (pass && !query.verbose) {
        response.body = "ok";
    } else {
        response.body = render_text(endpoint, checks, query, pass);
    }
    return response;
}

handlers::Response health_response(std::string_view endpoint,
                                   const std::vector<Check>& checks,
                                   const handlers::Request& request) {
    auto query = parse_health_query(request);
    if (!query) {
        handlers::Response response;
        response.status = 400;
        response.body = query.error() + "\n";
        return response;
    }
    return render_health(endpoint, checks, *query);
}

}  // namespace hale::sidecar
