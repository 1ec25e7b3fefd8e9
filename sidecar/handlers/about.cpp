// GET /about: how this container is hardened, the same report as `hale about --json`; the
// readable text of `hale about` with ?format=text or when only text/plain is accepted, and an
// HTML page with ?format=html or when a browser asks for text/html.
#include <string>

#include "sidecar/handlers/handler.hpp"

namespace hale::sidecar::handlers {
namespace {

enum class Form { Json, Text, Html };

// JSON unless asked otherwise, so that curl and scripts (Accept: */*) get what they parse. A
// browser names text/html and never JSON; a client naming JSON at all gets JSON.
Form requested_form(const Request& request) {
    auto format = request.param_values("format");
    if (!format.empty()) {
        if (format.front() == "text") {
            return Form::Text;
        }
        if (format.front() == "html") {
            return Form::Html;
        }
        return Form::Json;
    }
    std::string accept = request.header("Accept");
    if (accept.find("json") != std::string::npos) {
        return Form::Json;
    }
    if (accept.find("text/html") != std::string::npos) {
        return Form::Html;
    }
    return accept.find("text/plain") != std::string::npos ? Form::Text : Form::Json;
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
    switch (requested_form(request)) {
        case Form::Text:
            response.body = snapshot->text;
            break;
        case Form::Html:
            // The page holds file names and labels from the image: no script may run, nothing may
            // load, whatever they contain.
            response.content_type = "text/html; charset=utf-8";
            response.headers.emplace_back("Content-Security-Policy",
                                          "default-src 'none'; style-src 'unsafe-inline'");
            response.headers.emplace_back("X-Content-Type-Options", "nosniff");
            response.body = snapshot->html;
            break;
        case Form::Json:
            response.content_type = "application/json";
            response.body = snapshot->json;
            break;
    }
    return response;
}

}  // namespace hale::sidecar::handlers
