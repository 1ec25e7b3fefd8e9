// GET /readyz: should traffic come? Every readiness probe passes, hale is not draining and the
// app it supervises still runs.
#include "sidecar/handlers/handler.hpp"
#include "sidecar/health_render.hpp"

namespace hale::sidecar::handlers {

Response readyz(const Request& request, const Context& context) {
    return health_response("readyz", readiness_checks(context.health()), request);
}

}  // namespace hale::sidecar::handlers
