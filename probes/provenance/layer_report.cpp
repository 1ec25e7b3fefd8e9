#include "probes/provenance/layer_report.hpp"

#include <algorithm>
#include <cctype>

#include "probes/provenance/json_text.hpp"

namespace hale::probes::provenance {
namespace {

// Docker allows 127 layers; inspect writes 10 ghosts and a few findings.
constexpr size_t kLayerCap = 256;
constexpr size_t kGhostCap = 32;
constexpr size_t kFindingCap = 64;
constexpr size_t kCommandCap = 1024;
constexpr size_t kStringCap = 4096;
constexpr size_t kWarningCap = 12;

bool is_digest(std::string_view text) {
    constexpr std::string_view kPrefix = "sha256:";
    if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + 64) {
        return false;
    }
    return std::all_of(text.begin() + kPrefix.size(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f');
    });
}

std::string cut(std::string text, size_t cap) {
    if (text.size() > cap) {
        text.resize(cap);
        text += "...";
    }
    return text;
}

// Typed reads of one object's members. A member of the wrong type is a warning naming its
// path in the document ("layers[3].size_bytes"); the caller gets nothing for it.
class Reader {
public:
    Reader(std::string path, std::vector<std::string>& warnings)
        : path_(std::move(path)), warnings_(warnings) {}
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader() {
        if (dropped_ > 0) {
            warnings_.push_back(std::to_string(dropped_) + " more warnings about " + path_);
        }
    }

    void warn(const std::string& message) {
        if (count_++ < kWarningCap) {
            warnings_.push_back(message);
        } else {
            ++dropped_;
        }
    }

    void wrong_type(const std::string& where, const char* expected, const Json& found) {
        warn("invalid " + where + " in " + path_ + ": expected " + expected + ", found " +
             type_name(found) + "; left out");
    }

    std::string string(const Json& object,
                       const char* key,
                       const std::string& where,
                       size_t cap = kStringCap) {
        auto found = object.find(key);
        if (found == object.end() || found->is_null()) {
            return {};
        }
        if (!found->is_string()) {
            wrong_type(where + key, "a string", *found);
            return {};
        }
        return cut(found->get<std::string>(), cap);
    }

    std::optional<uint64_t> count(const Json& object, const char* key, const std::string& where) {
        auto found = object.find(key);
        if (found == object.end() || found->is_null()) {
            return std::nullopt;
        }
        if (!found->is_number_unsigned()) {
            wrong_type(where + key, "a whole number of 0 or more", *found);
            return std::nullopt;
        }
        return found->get<uint64_t>();
    }

    std::optional<bool> boolean(const Json& object, const char* key, const std::string& where) {
        auto found = object.find(key);
        if (found == object.end() || found->is_null()) {
            return std::nullopt;
        }
        if (!found->is_boolean()) {
            wrong_type(where + key, "true or false", *found);
            return std::nullopt;
        }
        return found->get<bool>();
    }

    // The array member KEY, or nullptr (with a warning when it is there but no array).
    const Json* array(const Json& object, const char* key) {
        auto found = object.find(key);
        if (found == object.end() || found->is_null()) {
            return nullptr;
        }
        if (!found->is_array()) {
            wrong_type(key, "an array", *found);
            return nullptr;
        }
        return &*found;
    }

    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::vector<std::string>& warnings_;
    size_t count_ = 0;
    size_t dropped_ = 0;
};

void read_image(const Json& doc, LayerReport& report, Reader& reader) {
    auto image = doc.find("image");
    if (image == doc.end() || !image->is_object()) {
        reader.warn("no image object in " + reader.path() +
                    ": cannot say which image the layers describe");
        return;
    }
    report.reference = reader.string(*image, "reference", "image.");
    report.platform = reader.string(*image, "platform", "image.");
    report.created = reader.string(*image, "created", "image.");
    report.user = reader.string(*image, "user", "image.");
    report.runs_as_root = reader.boolean(*image, "runs_as_root", "image.");
    report.shell = reader.boolean(*image, "shell", "image.");
    auto digest = reader.string(*image, "config_digest", "image.");
    if (is_digest(digest)) {
        report.config_digest = digest;
    } else {
        reader.warn("invalid image.config_digest " + quote(digest) + " in " + reader.path() +
                    ": expected sha256: and 64 hex digits; cannot say which image the layers "
                    "describe");
    }
}

void read_totals(const Json& doc, LayerReport& report, Reader& reader) {
    report.total_bytes = reader.count(doc, "total_bytes", "");
    report.compressed_bytes = reader.count(doc, "compressed_bytes", "");
    report.final_bytes = reader.count(doc, "final_bytes", "");
    report.wasted_bytes = reader.count(doc, "wasted_bytes", "");
    report.dive_wasted_bytes = reader.count(doc, "dive_wasted_bytes", "");
    if (!report.wasted_bytes && !doc.contains("wasted_bytes")) {
        reader.warn("no wasted_bytes in " + reader.path());
    }

    auto efficiency = doc.find("efficiency");
    if (efficiency != doc.end() && efficiency->is_number()) {
        report.efficiency = efficiency->get<double>();
    } else if (efficiency != doc.end() && !efficiency->is_null()) {
        reader.wrong_type("efficiency", "a number", *efficiency);
    }
    auto score = doc.find("score");
    if (score != doc.end() && score->is_number_integer()) {
        report.score = score->get<int64_t>();
    } else if (score != doc.end() && !score->is_null()) {
        reader.wrong_type("score", "a whole number", *score);
    }
}

void read_layers(const Json& doc, LayerReport& report, Reader& reader) {
    const Json* layers = reader.array(doc, "layers");
    if (layers == nullptr) {
        if (!doc.contains("layers")) {
            reader.warn("no layers[] in " + reader.path());
        }
        return;
    }
    for (size_t i = 0; i < layers->size(); ++i) {
        const Json& item = (*layers)[i];
        std::string where = "layers[" + std::to_string(i) + "].";
        if (report.layers.size() == kLayerCap) {
            reader.warn("kept the first " + std::to_string(kLayerCap) + " of " +
                        std::to_string(layers->size()) + " layers in " + reader.path());
            break;
        }
        if (!item.is_object()) {
            reader.wrong_type("layers[" + std::to_string(i) + "]", "an object", item);
            continue;
        }
        LayerEntry layer;
        layer.index = reader.count(item, "index", where).value_or(i);
        layer.diff_id = reader.string(item, "diff_id", where);
        layer.size_bytes = reader.count(item, "size_bytes", where);
        layer.compressed_bytes = reader.count(item, "compressed_bytes", where);
        layer.files = reader.count(item, "files", where);
        layer.command = reader.string(item, "command", where, kCommandCap);
        layer.created = reader.string(item, "created", where);
        report.layers.push_back(std::move(layer));
    }
}

void read_ghosts(const Json& doc, LayerReport& report, Reader& reader) {
    const Json* ghosts = reader.array(doc, "ghosts");
    for (size_t i = 0; ghosts != nullptr && i < ghosts->size() && i < kGhostCap; ++i) {
        const Json& item = (*ghosts)[i];
        std::string where = "ghosts[" + std::to_string(i) + "].";
        if (!item.is_object()) {
            reader.wrong_type("ghosts[" + std::to_string(i) + "]", "an object", item);
            continue;
        }
        LayerGhost ghost;
        ghost.path = reader.string(item, "path", where);
        auto span = item.find("layers");
        if (span != item.end() && span->is_array() && span->size() == 2 &&
            (*span)[0].is_number_unsigned() && (*span)[1].is_number_unsigned()) {
            ghost.from_layer = (*span)[0].get<uint64_t>();
            ghost.to_layer = (*span)[1].get<uint64_t>();
        } else if (span != item.end()) {
            reader.wrong_type(where + "layers", "[from, to]", *span);
        }
        ghost.wasted = reader.count(item, "wasted", where).value_or(0);
        ghost.reason = reader.string(item, "reason", where);
        ghost.hint = reader.string(item, "hint", where);
        report.ghosts.push_back(std::move(ghost));
    }
}

void read_findings_and_gates(const Json& doc, LayerReport& report, Reader& reader) {
    const Json* findings = reader.array(doc, "findings");
    for (size_t i = 0; findings != nullptr && i < findings->size() && i < kFindingCap; ++i) {
        const Json& item = (*findings)[i];
        std::string where = "findings[" + std::to_string(i) + "].";
        if (!item.is_object()) {
            reader.wrong_type("findings[" + std::to_string(i) + "]", "an object", item);
            continue;
        }
        report.findings.push_back(LayerFinding{reader.string(item, "id", where),
                                               reader.string(item, "severity", where),
                                               reader.string(item, "message", where)});
    }

    auto gates = doc.find("gates");
    if (gates == doc.end() || !gates->is_object()) {
        return;
    }
    report.gates_result = reader.string(*gates, "result", "gates.");
    const Json* failed = reader.array(*gates, "failed");
    for (size_t i = 0; failed != nullptr && i < failed->size() && i < kFindingCap; ++i) {
        if ((*failed)[i].is_string()) {
            report.gates_failed.push_back(cut((*failed)[i].get<std::string>(), kStringCap));
        }
    }
}

}  // namespace

LayerReading read_layer_report(const std::string& path, bool explicit_path) {
    LayerReading reading;

    // The file, when there is one.
    auto doc = read_json_object(path, kLayerReportCap, explicit_path,
                                "the JSON object hale inspect --report writes", reading.warnings);
    if (!doc) {
        return reading;
    }

    // Another schema means other meanings: none of it is served.
    auto schema = doc->find("schema");
    if (schema == doc->end() || !schema->is_string() ||
        schema->get<std::string>() != kLayerReportSchema) {
        reading.warnings.push_back(
            "invalid schema " + quote(schema == doc->end() ? "" : schema->dump()) + " in " + path +
            ": expected \"" + std::string(kLayerReportSchema) + "\"; the file is not served");
        return reading;
    }

    // Member by member; what is wrong is left out.
    LayerReport report;
    report.path = path;
    Reader reader(path, reading.warnings);
    report.generated_by = reader.string(*doc, "generated_by", "");
    read_image(*doc, report, reader);
    read_totals(*doc, report, reader);
    read_layers(*doc, report, reader);
    read_ghosts(*doc, report, reader);
    read_findings_and_gates(*doc, report, reader);
    reading.report = std::move(report);
    return reading;
}

const char* match_name(ImageMatch match) {
    switch (match) {
        case ImageMatch::Same:
            return "same";
        case ImageMatch::Below:
            return "below";
        case ImageMatch::Different:
            return "different";
        case ImageMatch::Unknown:
            break;
    }
    return "unknown";
}

MatchVerdict match_running_image(const LayerReport& report, const RunningImage* running) {
    if (running == nullptr || running->id.empty()) {
        return {ImageMatch::Unknown, "the running image is not known without --docker-api"};
    }
    if (report.config_digest.empty()) {
        return {ImageMatch::Unknown, "the report names no image digest"};
    }
    if (report.config_digest == running->id) {
        return {ImageMatch::Same, "the report describes the running image " + running->id};
    }

    // A last build step (FROM app, COPY layers.json) added layers above the ones reported.
    std::vector<std::string> reported;
    for (const auto& layer : report.layers) {
        reported.push_back(layer.diff_id);
    }
    bool below = !reported.empty() && reported.size() < running->diff_ids.size() &&
                 std::equal(reported.begin(), reported.end(), running->diff_ids.begin()) &&
                 std::none_of(reported.begin(), reported.end(),
                              [](const std::string& id) { return id.empty(); });
    if (below) {
        size_t added = running->diff_ids.size() - reported.size();
        return {ImageMatch::Below, "the report describes the " + std::to_string(reported.size()) +
                                       " bottom layers of the running image " + running->id +
                                       ", which adds " + std::to_string(added) +
                                       (added == 1 ? " layer" : " layers") + " above them"};
    }
    return {ImageMatch::Different,
            "the report describes " + report.config_digest + ", the container runs " + running->id};
}

}  // namespace hale::probes::provenance
