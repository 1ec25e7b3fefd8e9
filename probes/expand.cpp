#include "probes/expand.hpp"

#include <cctype>
#include <cstdlib>

namespace hale::probes {
namespace {

bool is_name(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) {
        return false;
    }
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
            return false;
        }
    }
    return true;
}

}  // namespace

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

Result<std::string> expand_vars(std::string_view text, const EnvLookup& env) {
    std::string out;
    out.reserve(text.size());

    size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
            out += text[i++];
            continue;
        }

        auto close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            return Error{"unterminated '${' in '" + std::string(text) + "'"};
        }
        std::string_view inner = text.substr(i + 2, close - i - 2);

        // Split "NAME:-default" or "NAME-default".
        std::string_view name = inner;
        std::optional<std::string_view> fallback;
        bool empty_uses_fallback = false;
        if (auto dash = inner.find('-'); dash != std::string_view::npos) {
            empty_uses_fallback = dash > 0 && inner[dash - 1] == ':';
            name = inner.substr(0, empty_uses_fallback ? dash - 1 : dash);
            fallback = inner.substr(dash + 1);
        }
        if (!is_name(name)) {
            return Error{"invalid variable name '" + std::string(name) + "' in '" +
                         std::string(text) + "'"};
        }

        auto value = env(std::string(name));
        bool use_fallback = !value || (empty_uses_fallback && value->empty());
        if (use_fallback && !fallback) {
            return Error{std::string(name) + " is unset"};
        }
        out += use_fallback ? std::string(*fallback) : *value;
        i = close + 1;
    }
    return out;
}

Result<std::vector<std::string>> expand_vars_all(const std::vector<std::string>& args,
                                                 const EnvLookup& env) {
    std::vector<std::string> expanded;
    expanded.reserve(args.size());
    for (const auto& arg : args) {
        auto value = expand_vars(arg, env);
        if (!value) {
            return Error{value.error()};
        }
        expanded.push_back(std::move(*value));
    }
    return expanded;
}

}  // namespace hale::probes
