// GET /metrics: probe, readiness and hardening state and the image's build information in the
// Prometheus text format.
#include "sidecar/handlers/handler.hpp"
#include "sidecar/prometheus.hpp"

namespace hale::sidecar::handlers {

Response metrics(const Request& /*request*/, const Context& context) {
    Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.headers = {{"Cache-Control", "no-store"}};
    response.body = render_metrics(context.health());
    if (context.about) {
        auto snapshot = context.about();
        response.body += render_hardening_metrics(snapshot->report.findings);
        if (snapshot->report.image) {
            response.body += render_image_metrics(*snapshot->report.image);
        }
    }
    return response;
}

}  // namespace hale::sidecar::handlers
