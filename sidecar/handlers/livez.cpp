// GET /livez: is hale itself alive? Its event loop beats, its liveness probes pass and the app
// it supervises still runs. Never the dependencies: see sidecar/health.hpp.
#include "sidecar/handlers/handler.hpp"
#include "sidecar/health_render.hpp"

namespace hale::sidecar::handlers {

Response livez(const Request& request, const Context& context) {
    return health_response("livez", liveness_checks(context.health()), request);
}

}  // namespace hale::sidecar::handlers
