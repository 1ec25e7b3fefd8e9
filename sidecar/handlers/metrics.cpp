// GET /metrics: probe and readiness state in the Prometheus text format.
#include "sidecar/handlers/handler.hpp"
#include "sidecar/prometheus.hpp"

namespace hale::sidecar::handlers {

Response metrics(const Request& /*request*/, const Context& context) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.headers = {{"Cache-Control", "no-store"}};
    response.body = render_metrics(context.health());
    return response;
}

}  // namespace hale::sidecar::handlers
