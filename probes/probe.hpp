// One probe attempt against one target, bounded by one deadline. `hale check` runs it once;
// `hale serve` runs it on every interval. It never forks, never blocks past the deadline and
// never stores more of a response than its caps.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/deadline.hpp"
#include "probes/resolve.hpp"
#include "probes/status_set.hpp"
#include "probes/target.hpp"

namespace hale::probes {

struct HttpOptions {
    std::string method = "GET";
    // Extra request headers. One with the name of a default header (Host, User-Agent, Accept,
    // Connection) replaces it; an empty value removes it, as with the kubelet's httpHeaders.
    std::vector<std::pair<std::string, std::string>> headers;
    StatusSet accept;     // healthy statuses, default 200-399
    bool follow = false;  // follow redirects to the same host and scheme
    int max_redirects = 5;
    std::optional<std::string> expect_body;  // must occur within the first body_cap bytes
    std::optional<Target> proxy;             // an HTTP proxy; environment variables are never read
    size_t body_cap = size_t{64} * 1024;
    std::string user_agent = "hale";
};

struct ProbeOptions {
    HttpOptions http;
    ResolverConfig resolver;
    // Receives detail lines (addresses tried, request and response heads) when set.
    std::function<void(std::string_view)> trace;
};

struct ProbeResult {
    bool healthy = false;
    int status = 0;      // HTTP status of the final response; 0 when none was read
    std::string line;    // one line for people: what was asked, what came back, how long
    std::string reason;  // why it failed, short, for listings like "[-]db failed: <reason>"
    std::chrono::milliseconds elapsed{0};
};

ProbeResult run_probe(const Target& target, const ProbeOptions& options, const Deadline& deadline);

// "2s", "1.5s", "250ms": a budget as people write it.
std::string format_budget(std::chrono::milliseconds budget);

}  // namespace hale::probes
