// What every endpoint of hale serve is made of: a request it reads, a response it returns, and
// the context it answers from. Handlers never see the HTTP library, so tests call them
// directly, and they never block: everything they report is already in the context.
//
// Adding an endpoint: write handlers/<name>.cpp with one function of the Handler type and add
// its line to handlers/endpoints.cpp. The server answers 404 for paths not in the table, 405
// for methods other than GET and HEAD, and strips the body of HEAD responses.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/health.hpp"

namespace hale::sidecar::handlers {

class Request {
public:
    Request() = default;
    virtual ~Request() = default;

    virtual std::string_view method() const = 0;
    virtual std::string_view path() const = 0;

    // Query parameters: present even when empty (`?verbose`), and every value of a repeated
    // one (`?exclude=a&exclude=b`).
    virtual bool has_param(std::string_view name) const = 0;
    virtual std::vector<std::string> param_values(std::string_view name) const = 0;

    // A header value; empty when the header is absent.
    virtual std::string header(std::string_view name) const = 0;

protected:
    Request(const Request&) = default;
    Request& operator=(const Request&) = default;
};

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// What handlers answer from. Every member is safe to call from any server thread.
struct Context {
    // The state of the probes, the drain and the supervised app, as of now.
    std::function<HealthView()> health;
};

using Handler = Response (*)(const Request& request, const Context& context);

struct Endpoint {
    std::string_view path;
    Handler handler;
};

// Every endpoint, in the order the table lists them.
const std::vector<Endpoint>& endpoints();

}  // namespace hale::sidecar::handlers
