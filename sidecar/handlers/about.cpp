// GET /about: how this container is hardened, the same report as `hale about --json`; the
// readable text of `hale about` with ?format=text or when only text/plain is accepted.
#include <string>

#include "sidecar/handlers/handler.hpp"

namespace hale::sidecar::handlers {
namespace {

bool wants_text(const Request& request) {
    auto format = request.param_values("format");
    if (!format.empty()) {
        return format.front() == "text";
    }
    std::string accept = request.header("Accept");
    return accept.find("text/plain") != std::string::npos &&
           accept.find("json") == std::string::npos;
}

}  // namespace

Response about(const Request& request, const Context& context) {
    Response response;
    response.headers = {{"Cache-Control", "no-store"}};
    if (!context.about) {
        response.status = 503;
        response.body = "the hardening report is not available\n";
        return response;
    }

    auto snapshot = context.about();
    if (wants_text(request)) {
        response.body = snapshot->text;
        return response;
    }
    response.content_type = "application/json";
    response.body = snapshot->json;
    return response;
}

}  // namespace hale::sidecar::handlers
