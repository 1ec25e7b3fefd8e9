// /livez and /readyz bodies, in the kube-apiserver's text form or as application/health+json
// (draft-inadarei-api-health-check). Every body stays under 10 KiB, the most a kubelet reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/result.hpp"
#include "sidecar/handlers/handler.hpp"
#include "sidecar/health.hpp"

namespace hale::sidecar {

// Bodies stay strictly below this many bytes.
inline constexpr size_t kHealthBodyCap = size_t{10} * 1024;

struct HealthQuery {
    bool verbose = false;               // ?verbose: list every check even when all pass
    std::vector<std::string> excluded;  // ?exclude=NAME, repeatable: not counted
    bool json = false;                  // ?format=json, or Accept asks for JSON
};

// Reads ?verbose, ?exclude, ?format=text|json and the Accept header. The error names a bad
// ?format value.
probes::Result<HealthQuery> parse_health_query(const handlers::Request& request);

// The response for `endpoint` ("livez", "readyz"): 200 when every counted check passes, 503
// otherwise. Text: "ok", or one "[+]name ok" / "[-]name failed: reason" line per check and
// "<endpoint> check passed|failed"; a failure always lists the checks.
handlers::Response render_health(std::string_view endpoint,
                                 const std::vector<Check>& checks,
                                 const HealthQuery& query);

// The whole handler of a health endpoint: query, checks, response; 400 on a bad query.
handlers::Response health_response(std::string_view endpoint,
                                   const std::vector<Check>& checks,
                                   const handlers::Request& request);

}  // namespace hale::sidecar
