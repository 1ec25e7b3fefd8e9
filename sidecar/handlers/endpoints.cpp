// The endpoints of hale serve: one line each. Every handler lives in its own file here.
#include "sidecar/handlers/handler.hpp"

namespace hale::sidecar::handlers {

Response livez(const Request& request, const Context& context);    // livez.cpp
Response readyz(const Request& request, const Context& context);   // readyz.cpp
Response metrics(const Request& request, const Context& context);  // metrics.cpp

const std::vector<Endpoint>& endpoints() {
    // clang-format off
    static const std::vector<Endpoint> kEndpoints = {
        {"/livez",   livez},
        {"/readyz",  readyz},
        {"/metrics", metrics},
    };
    // clang-format on
    return kEndpoints;
}

}  // namespace hale::sidecar::handlers
