// A request for handler tests: a path, query parameters and headers, without a server.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sidecar/handlers/handler.hpp"

namespace hale::sidecar::testing {

class FakeRequest final : public handlers::Request {
public:
    explicit FakeRequest(std::string path = "/", std::string method = "GET")
        : path_(std::move(path)), method_(std::move(method)) {}

    FakeRequest& param(const std::string& name, const std::string& value = "") {
        params_.emplace(name, value);
        return *this;
    }
    FakeRequest& header(const std::string& name, const std::string& value) {
        headers_[name] = value;
        return *this;
    }

    std::string_view method() const override { return method_; }
    std::string_view path() const override { return path_; }
    bool has_param(std::string_view name) const override {
        return params_.count(std::string(name)) > 0;
    }
    std::vector<std::string> param_values(std::string_view name) const override {
        std::vector<std::string> values;
        auto [first, last] = params_.equal_range(std::string(name));
        for (auto it = first; it != last; ++it) {
            values.push_back(it->second);
        }
        return values;
    }
    std::string header(std::string_view name) const override {
        auto it = headers_.find(std::string(name));
        return it == headers_.end() ? "" : it->second;
    }

private:
    std::string path_;
    std::string method_;
    std::multimap<std::string, std::string> params_;
    std::map<std::string, std::string> headers_;
};

}  // namespace hale::sidecar::testing
