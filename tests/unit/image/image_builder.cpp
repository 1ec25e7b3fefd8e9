#include "tests/unit/image/image_builder.hpp"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "image/sha256.hpp"

namespace hale::test {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kBlock = 512;

void put_octal(char* field, size_t size, uint64_t value) {
    if (value >> (3 * (size - 1)) != 0) {
        // Too large for octal: GNU base-256, big-endian with the top bit set.
        std::memset(field, 0, size);
        for (size_t i = size; i-- > 1;) {
            field[i] = static_cast<char>(value & 0xff);
            value >>= 8;
        }
        field[0] = static_cast<char>(0x80);
        return;
    }
    std::snprintf(field, size, "%0*llo", static_cast<int>(size - 1),
                  static_cast<unsigned long long>(value));
}

void put_text(char* field, size_t size, const std::string& text) {
    std::memcpy(field, text.data(), std::min(size, text.size()));
}

std::string header(const std::string& name,
                   char type,
                   uint64_t size,
                   const TarEntry& entry,
                   const std::string& link) {
    std::string block(kBlock, '\0');
    char* h = block.data();
    put_text(h, 100, name);
    put_octal(h + 100, 8, entry.mode);
    put_octal(h + 108, 8, entry.uid);
    put_octal(h + 116, 8, entry.gid);
    put_octal(h + 124, 12, size);
    put_octal(h + 136, 12, static_cast<uint64_t>(entry.mtime));
    h[156] = type;
    put_text(h + 157, 100, link);
    std::memcpy(h + 257,
                "ustar\0"
                "00",
                8);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (char c : block) {
        sum += static_cast<unsigned char>(c);
    }
    std::snprintf(h + 148, 8, "%06o", sum);
    return block;
}

std::string pax_record(const std::string& key, const std::string& value) {
    size_t body = key.size() + value.size() + 3;
    size_t length = body + 1;
    while (std::to_string(length).size() + body != length) {
        ++length;
    }
    return std::to_string(length) + " " + key + "=" + value + "\n";
}

std::string padded(const std::string& data) {
    return data + std::string((kBlock - data.size() % kBlock) % kBlock, '\0');
}

struct Blob {
    std::string digest;
    std::string content;
    std::string media_type;
};

Blob blob(std::string content, std::string media_type) {
    return {sha256_digest(content), std::move(content), std::move(media_type)};
}

std::string blob_path(const std::string& digest) {
    return "blobs/sha256/" + hex_of(digest);
}

Json descriptor(const Blob& item) {
    return Json{
        {"mediaType", item.media_type}, {"digest", item.digest}, {"size", item.content.size()}};
}

Blob layer_blob(const LayerSpec& layer) {
    if (layer.compression == "gzip") {
        return blob(gzip(layer.tar), "application/vnd.oci.image.layer.v1.tar+gzip");
    }
    if (layer.compression == "zstd") {
        return blob(zstd(layer.tar), "application/vnd.oci.image.layer.v1.tar+zstd");
    }
    return blob(layer.tar, "application/vnd.oci.image.layer.v1.tar");
}

Json platform_json(const std::string& platform) {
    auto slash = platform.find('/');
    return Json{{"architecture", platform.substr(slash + 1)}, {"os", platform.substr(0, slash)}};
}

}  // namespace

TarBuilder& TarBuilder::file(const std::string& name,
                             const std::string& content,
                             uint32_t mode,
                             uint32_t uid,
                             uint32_t gid) {
    TarEntry entry;
    entry.name = name;
    entry.content = content;
    entry.mode = mode;
    entry.uid = uid;
    entry.gid = gid;
    return add(entry);
}

TarBuilder& TarBuilder::dir(const std::string& name, uint32_t mode, uint32_t uid) {
    TarEntry entry;
    entry.name = name;
    entry.type = '5';
    entry.mode = mode;
    entry.uid = uid;
    entry.gid = uid;
    return add(entry);
}

TarBuilder& TarBuilder::symlink(const std::string& name, const std::string& target) {
    TarEntry entry;
    entry.name = name;
    entry.type = '2';
    entry.mode = 0777;
    entry.link = target;
    return add(entry);
}

TarBuilder& TarBuilder::hardlink(const std::string& name, const std::string& target) {
    TarEntry entry;
    entry.name = name;
    entry.type = '1';
    entry.link = target;
    return add(entry);
}

TarBuilder& TarBuilder::add(const TarEntry& entry) {
    entries_.push_back(entry);
    return *this;
}

std::string TarBuilder::build(bool end) const {
    std::string out;
    for (const auto& entry : entries_) {
        std::string pax;
        if (entry.name.size() > 99) {
            pax += pax_record("path", entry.name);
        }
        if (entry.link.size() > 99) {
            pax += pax_record("linkpath", entry.link);
        }
        for (const auto& [key, value] : entry.xattrs) {
            pax += pax_record("SCHILY.xattr." + key, value);
        }
        std::string content = entry.content;
        if (!entry.sparse_blocks.empty()) {
            std::string map;
            content.clear();
            for (const auto& [offset, data] : entry.sparse_blocks) {
                map += (map.empty() ? "" : ",") + std::to_string(offset) + "," +
                       std::to_string(data.size());
                content += data;
            }
            pax += pax_record("GNU.sparse.size", std::to_string(entry.sparse_size));
            pax += pax_record("GNU.sparse.numblocks", std::to_string(entry.sparse_blocks.size()));
            pax += pax_record("GNU.sparse.map", map);
        }
        if (!pax.empty()) {
            TarEntry pax_entry;
            out += header("PaxHeaders/x", 'x', pax.size(), pax_entry, "");
            out += padded(pax);
        }
        uint64_t size = entry.header_size.value_or(content.size());
        out += header(entry.name.substr(0, 99), entry.type, size, entry, entry.link.substr(0, 99));
        out += padded(content);
    }
    if (end) {
        out += std::string(2 * kBlock, '\0');
    }
    return out;
}

std::string gzip(const std::string& data) {
    z_stream stream{};
    if (deflateInit2(&stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    std::string out(deflateBound(&stream, data.size()) + 64, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

std::string zstd(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    out.resize(size);
    return out;
}

std::string sha256_digest(const std::string& data) {
    image::Sha256 sha;
    sha.update(data.data(), data.size());
    return image::digest_string(sha.finish());
}

std::string hex_of(const std::string& digest) {
    return digest.substr(digest.find(':') + 1);
}

std::string config_json(const ImageSpec& image) {
    Json history = Json::array();
    if (image.history) {
        for (const auto& entry : *image.history) {
            Json item{{"created", "2024-01-01T00:00:00Z"}, {"created_by", entry.created_by}};
            if (entry.empty_layer) {
                item["empty_layer"] = true;
            }
            history.push_back(item);
        }
    } else {
        for (const auto& layer : image.layers) {
            history.push_back(
                {{"created", "2024-01-01T00:00:00Z"}, {"created_by", layer.created_by}});
        }
    }
    Json diff_ids = Json::array();
    if (image.diff_ids) {
        diff_ids = *image.diff_ids;
    } else {
        for (const auto& layer : image.layers) {
            diff_ids.push_back(sha256_digest(layer.tar));
        }
    }
    Json runtime{{"User", image.user}, {"Cmd", image.cmd}};
    if (image.healthcheck) {
        runtime["Healthcheck"] = {{"Test", *image.healthcheck}};
    }
    return Json{{"architecture", image.architecture},
                {"os", "linux"},
                {"created", "2024-01-01T00:00:00Z"},
                {"config", runtime},
                {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                {"history", history}}
        .dump();
}

std::vector<ArchiveItem> docker_archive(const ImageSpec& image,
                                        const DockerArchiveOptions& options) {
    std::vector<ArchiveItem> items;
    Json layer_names = Json::array();
    std::vector<std::string> stored;
    std::string last_id;
    for (size_t i = 0; i < image.layers.size(); ++i) {
        const std::string& tar = image.layers[i].tar;
        std::string diff = sha256_digest(tar);
        std::string id = hex_of(sha256_digest(diff + std::to_string(i)));
        items.push_back({id + "/VERSION", "1.0", ""});
        items.push_back({id + "/json", Json{{"id", id}}.dump(), ""});
        if (options.symlinked_layers) {
            std::string file = hex_of(diff) + ".tar";
            if (std::find(stored.begin(), stored.end(), file) == stored.end()) {
                stored.push_back(file);
                items.push_back({file, tar, ""});
            }
            items.push_back({id + "/layer.tar", "", "../" + file});
        } else {
            items.push_back({id + "/layer.tar", tar, ""});
        }
        layer_names.push_back(id + "/layer.tar");
        last_id = id;
    }
    std::string config = config_json(image);
    std::string config_name = hex_of(sha256_digest(config)) + ".json";
    items.push_back({config_name, config, ""});
    items.push_back({"repositories", Json{{"test", {{"latest", last_id}}}}.dump(), ""});
    ArchiveItem manifest{
        "manifest.json",
        Json::array(
            {Json{{"Config", config_name}, {"RepoTags", {"test:latest"}}, {"Layers", layer_names}}})
            .dump(),
        ""};
    if (options.manifest_last) {
        items.push_back(manifest);
    } else {
        items.insert(items.begin(), manifest);
    }
    return items;
}

std::vector<ArchiveItem> oci_layout(const ImageSpec& image, const OciOptions& options) {
    std::vector<Blob> blobs;
    std::vector<Blob> layers;
    for (const auto& layer : image.layers) {
        layers.push_back(layer_blob(layer));
    }
    Blob config = blob(config_json(image), "application/vnd.oci.image.config.v1+json");
    Json layer_descriptors = Json::array();
    for (const auto& layer : layers) {
        layer_descriptors.push_back(descriptor(layer));
    }
    if (options.empty_manifest_layers) {
        layer_descriptors = Json::array();
    }
    if (options.reverse_manifest_layers) {
        std::reverse(layer_descriptors.begin(), layer_descriptors.end());
    }
    Blob manifest = blob(Json{{"schemaVersion", 2},
                              {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"config", descriptor(config)},
                              {"layers", layer_descriptors}}
                             .dump(),
                         "application/vnd.oci.image.manifest.v1+json");
    blobs.push_back(config);
    blobs.push_back(manifest);
    for (size_t i = 0; i < layers.size(); ++i) {
        if (std::find(options.drop_layers.begin(), options.drop_layers.end(), i) ==
            options.drop_layers.end()) {
            blobs.push_back(layers[i]);
        }
    }

    Json listed = Json::array();
    Json main = descriptor(manifest);
    main["platform"] = platform_json(options.platform);
    listed.push_back(main);
    for (const auto& extra : options.extra_platforms) {
        ImageSpec other = image;
        other.architecture = extra.platform.substr(extra.platform.find('/') + 1);
        Blob other_config = blob(config_json(other), "application/vnd.oci.image.config.v1+json");
        Blob other_manifest = blob(Json{{"schemaVersion", 2},
                                        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                        {"config", descriptor(other_config)},
                                        {"layers", layer_descriptors}}
                                       .dump(),
                                   "application/vnd.oci.image.manifest.v1+json");
        if (extra.blobs_present) {
            blobs.push_back(other_config);
            blobs.push_back(other_manifest);
        }
        Json item = descriptor(other_manifest);
        item["platform"] = platform_json(extra.platform);
        listed.push_back(item);
    }
    if (options.attestation) {
        Blob statement = blob("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}",
                              "application/vnd.in-toto+json");
        Blob attestation = blob(Json{{"schemaVersion", 2},
                                     {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                     {"config", descriptor(statement)},
                                     {"layers", {descriptor(statement)}}}
                                    .dump(),
                                "application/vnd.oci.image.manifest.v1+json");
        blobs.push_back(statement);
        blobs.push_back(attestation);
        Json item = descriptor(attestation);
        item["platform"] = {{"architecture", "unknown"}, {"os", "unknown"}};
        item["annotations"] = {{"vnd.docker.reference.digest", manifest.digest},
                               {"vnd.docker.reference.type", "attestation-manifest"}};
        listed.push_back(item);
    }
    Json index{{"schemaVersion", 2},
               {"mediaType", "application/vnd.oci.image.index.v1+json"},
               {"manifests", listed}};
    if (options.nested_index) {
        Blob inner = blob(index.dump(), "application/vnd.oci.image.index.v1+json");
        blobs.push_back(inner);
        Json top = descriptor(inner);
        top["annotations"] = {{"io.containerd.image.name", "docker.io/library/test:latest"}};
        index["manifests"] = Json::array({top});
    } else {
        index["manifests"][0]["annotations"] = {{"org.opencontainers.image.ref.name", "latest"}};
    }

    std::vector<ArchiveItem> items;
    std::sort(blobs.begin(), blobs.end(),
              [](const Blob& a, const Blob& b) { return a.digest < b.digest; });
    blobs.erase(std::unique(blobs.begin(), blobs.end(),
                            [](const Blob& a, const Blob& b) { return a.digest == b.digest; }),
                blobs.end());
    for (const auto& item : blobs) {
        items.push_back({blob_path(item.digest), item.content, ""});
    }
    items.push_back({"index.json", index.dump(), ""});
    if (options.docker_manifest) {
        Json names = Json::array();
        for (const auto& layer : layers) {
            names.push_back(blob_path(layer.digest));
        }
        items.push_back({"manifest.json",
                         Json::array({Json{{"Config", blob_path(config.digest)},
                                           {"RepoTags", {"test:latest"}},
                                           {"Layers", names}}})
                             .dump(),
                         ""});
    }
    items.push_back({"oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", ""});
    return items;
}

std::string tar_of(const std::vector<ArchiveItem>& items) {
    TarBuilder tar;
    for (const auto& item : items) {
        if (item.symlink.empty()) {
            tar.file(item.name, item.content);
        } else {
            tar.symlink(item.name, item.symlink);
        }
    }
    return tar.build();
}

void write_directory(const std::string& dir, const std::vector<ArchiveItem>& items) {
    namespace fs = std::filesystem;
    for (const auto& item : items) {
        fs::path path = fs::path(dir) / item.name;
        fs::create_directories(path.parent_path());
        if (!item.symlink.empty()) {
            fs::create_symlink(item.symlink, path);
            continue;
        }
        std::ofstream(path, std::ios::binary) << item.content;
    }
}

std::string temp_directory(const std::string& label) {
    static std::atomic<int> counter{0};
    auto path =
        std::filesystem::temp_directory_path() /
        ("hale-test-" + label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path.string();
}

image::Result<image::Chunk> MemorySource::next() {
    size_t size = std::min(chunk_, data_.size() - at_);
    image::Chunk chunk(reinterpret_cast<const uint8_t*>(data_.data()) + at_, size);
    at_ += size;
    return chunk;
}

probes::Result<image::ImageReport> inspect_tar(const std::string& tar,
                                               size_t chunk,
                                               const image::InspectOptions& options) {
    MemorySource source(tar, chunk);
    auto store = image::read_tar_stream(source, options.read);
    if (!store) {
        return probes::Error{store.error()};
    }
    return image::inspect_store(**store, "test.tar", options);
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : ", ") + item;
    }
    return text;
}

const image::PathReport* find_path(const image::ImageReport& report, const std::string& path) {
    for (const auto& item : report.paths) {
        if (item.path == path) {
            return &item;
        }
    }
    return nullptr;
}

}  // namespace hale::test
