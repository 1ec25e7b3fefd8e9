// SHA-256 through nettle (which picks the CPU's SHA instructions at run time), and the
// "sha256:<hex>" digest strings that image archives use to name blobs and layers.
#pragma once

#include <nettle/sha2.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hale::image {

using Digest = std::array<uint8_t, SHA256_DIGEST_SIZE>;

class Sha256 {
public:
    Sha256() { sha256_init(&ctx_); }

    void update(const void* data, size_t size) {
        sha256_update(&ctx_, size, static_cast<const uint8_t*>(data));
    }

    // Returns the digest of everything given so far and starts over.
    Digest finish() {
        Digest digest;
        sha256_digest(&ctx_, digest.size(), digest.data());
        return digest;
    }

private:
    sha256_ctx ctx_{};
};

// "sha256:" followed by 64 lowercase hex digits.
std::string digest_string(const Digest& digest);

// Parses "sha256:<64 hex>"; nullopt for anything else (other algorithms included).
std::optional<Digest> parse_digest(std::string_view text);

}  // namespace hale::image
