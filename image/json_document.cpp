#include "image/json_document.hpp"

namespace hale::image {

const Json* member(const Json& value, std::string_view key) {
    if (!value.is_object()) {
        return nullptr;
    }
    auto found = value.find(key);
    return found == value.end() ? nullptr : &*found;
}

std::string string_member(const Json& value, std::string_view key) {
    const Json* found = member(value, key);
    return found != nullptr && found->is_string() ? found->get<std::string>() : std::string();
}

bool bool_member(const Json& value, std::string_view key) {
    const Json* found = member(value, key);
    return found != nullptr && found->is_boolean() && found->get<bool>();
}

std::vector<std::string> string_array(const Json& value, std::string_view key) {
    std::vector<std::string> strings;
    const Json* found = member(value, key);
    if (found == nullptr || !found->is_array()) {
        return strings;
    }
    for (const auto& item : *found) {
        if (item.is_string()) {
            strings.push_back(item.get<std::string>());
        }
    }
    return strings;
}

}  // namespace hale::image
