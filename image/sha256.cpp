#include "image/sha256.hpp"

#include "probes/text.hpp"

namespace hale::image {
namespace {

constexpr std::string_view kPrefix = "sha256:";
constexpr char kHexDigits[] = "0123456789abcdef";

}  // namespace

std::string digest_string(const Digest& digest) {
    std::string text(kPrefix);
    for (uint8_t byte : digest) {
        text += kHexDigits[byte >> 4];
        text += kHexDigits[byte & 0x0f];
    }
    return text;
}

std::optional<Digest> parse_digest(std::string_view text) {
    if (text.substr(0, kPrefix.size()) != kPrefix) {
        return std::nullopt;
    }
    text.remove_prefix(kPrefix.size());
    Digest digest{};
    if (text.size() != digest.size() * 2) {
        return std::nullopt;
    }
    for (size_t i = 0; i < digest.size(); ++i) {
        int high = probes::hex_value(text[2 * i]);
        int low = probes::hex_value(text[2 * i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        digest[i] = static_cast<uint8_t>(high * 16 + low);
    }
    return digest;
}

}  // namespace hale::image
