#include "probes/provenance/provenance.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "probes/provenance/json_text.hpp"

namespace hale::probes::provenance {
namespace {

constexpr std::string_view kOci = "org.opencontainers.image.";

// The image spec's table, with its Label Schema back-compat column.
constexpr std::array<Key, 14> kKeys = {{
    {"title", "org.opencontainers.image.title", "OCI_IMAGE_TITLE", "org.label-schema.name"},
    {"version", "org.opencontainers.image.version", "OCI_IMAGE_VERSION",
     "org.label-schema.version"},
    {"revision", "org.opencontainers.image.revision", "OCI_IMAGE_REVISION",
     "org.label-schema.vcs-ref"},
    {"created", "org.opencontainers.image.created", "OCI_IMAGE_CREATED",
     "org.label-schema.build-date"},
    {"source", "org.opencontainers.image.source", "OCI_IMAGE_SOURCE", "org.label-schema.vcs-url"},
    {"description", "org.opencontainers.image.description", "OCI_IMAGE_DESCRIPTION",
     "org.label-schema.description"},
    {"url", "org.opencontainers.image.url", "OCI_IMAGE_URL", "org.label-schema.url"},
    {"documentation", "org.opencontainers.image.documentation", "OCI_IMAGE_DOCUMENTATION",
     "org.label-schema.usage"},
    {"authors", "org.opencontainers.image.authors", "OCI_IMAGE_AUTHORS", ""},
    {"vendor", "org.opencontainers.image.vendor", "OCI_IMAGE_VENDOR", "org.label-schema.vendor"},
    {"licenses", "org.opencontainers.image.licenses", "OCI_IMAGE_LICENSES", ""},
    {"base_name", "org.opencontainers.image.base.name", "OCI_IMAGE_BASE_NAME", ""},
    {"base_digest", "org.opencontainers.image.base.digest", "OCI_IMAGE_BASE_DIGEST", ""},
    {"ref_name", "org.opencontainers.image.ref.name", "OCI_IMAGE_REF_NAME", ""},
}};

// The fields most images should carry; a merge that lacks one says so.
constexpr std::array<std::string_view, 4> kUsualFields = {"revision", "version", "created",
                                                          "source"};

// Part of Label Schema itself, with nothing to map to: not worth a warning.
constexpr std::string_view kLabelSchemaVersion = "org.label-schema.schema-version";

// A source with thousands of bad keys gets this many warnings, then one that counts the rest.
constexpr size_t kWarningsPerSource = 8;
constexpr size_t kNamesPerWarning = 5;

const Key* find_by_annotation(std::string_view name) {
    auto found = std::find_if(kKeys.begin(), kKeys.end(),
                              [&](const Key& key) { return key.annotation == name; });
    return found == kKeys.end() ? nullptr : &*found;
}

const Key* find_by_label_schema(std::string_view name) {
    auto found = std::find_if(kKeys.begin(), kKeys.end(), [&](const Key& key) {
        return !key.label_schema.empty() && key.label_schema == name;
    });
    return found == kKeys.end() ? nullptr : &*found;
}

bool digits(std::string_view text, size_t from, size_t count) {
    if (from + count > text.size()) {
        return false;
    }
    return std::all_of(text.begin() + static_cast<ptrdiff_t>(from),
                       text.begin() + static_cast<ptrdiff_t>(from + count),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// Keeps the first kWarningsPerSource warnings of a source and counts the rest.
class Warnings {
public:
    Warnings(std::vector<std::string>& out, std::string what) : out_(out), what_(std::move(what)) {}
    Warnings(const Warnings&) = delete;
    Warnings& operator=(const Warnings&) = delete;
    ~Warnings() {
        if (dropped_ > 0) {
            out_.push_back(std::to_string(dropped_) + " more warnings about " + what_);
        }
    }

    void add(std::string warning) {
        if (added_++ < kWarningsPerSource) {
            out_.push_back(std::move(warning));
        } else {
            ++dropped_;
        }
    }

private:
    std::vector<std::string>& out_;
    std::string what_;
    size_t added_ = 0;
    size_t dropped_ = 0;
};

// Adds VALUE for KEY unless it is empty or too long; NAME is what the source called it.
void add_value(Fields& fields,
               Warnings& warnings,
               const Key& key,
               const std::string& value,
               const std::string& source,
               std::string_view name) {
    if (value.empty()) {
        return;
    }
    if (value.size() > kValueCap) {
        warnings.add("invalid " + std::string(name) + " in " + source + ": expected at most " +
                     std::to_string(kValueCap) + " bytes, found " + std::to_string(value.size()) +
                     "; left out");
        return;
    }
    if (key.field == "created" && !is_rfc3339(value)) {
        warnings.add("invalid " + std::string(name) + " " + quote(value) + " in " + source +
                     ": expected an RFC 3339 time such as 2026-01-02T03:04:05Z");
    }
    fields[std::string(key.field)] = Field{value, source};
}

std::string join_names(const std::vector<std::string>& names) {
    std::string joined;
    for (size_t i = 0; i < names.size() && i < kNamesPerWarning; ++i) {
        joined += (i == 0 ? "" : ", ") + quote(names[i]);
    }
    if (names.size() > kNamesPerWarning) {
        joined += " and " + std::to_string(names.size() - kNamesPerWarning) + " more";
    }
    return joined;
}

}  // namespace

std::span<const Key> keys() {
    return kKeys;
}

const Key* find_key_by_field(std::string_view field) {
    auto found = std::find_if(kKeys.begin(), kKeys.end(),
                              [&](const Key& key) { return key.field == field; });
    return found == kKeys.end() ? nullptr : &*found;
}

bool is_rfc3339(std::string_view text) {
    // 2026-01-02T03:04:05
    if (!digits(text, 0, 4) || text.size() < 20 || text[4] != '-' || !digits(text, 5, 2) ||
        text[7] != '-' || !digits(text, 8, 2) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2) ||
        text[13] != ':' || !digits(text, 14, 2) || text[16] != ':' || !digits(text, 17, 2)) {
        return false;
    }
    auto number = [&](size_t from) { return (text[from] - '0') * 10 + (text[from + 1] - '0'); };
    int month = number(5);
    int day = number(8);
    // Day 31 in a 30-day month passes: the check is for garbage, not for the calendar. A leap
    // second (60) is valid RFC 3339.
    if (month < 1 || month > 12 || day < 1 || day > 31 || number(11) > 23 || number(14) > 59 ||
        number(17) > 60) {
        return false;
    }

    // Optional fraction, then Z or an offset.
    size_t i = 19;
    if (text[i] == '.') {
        size_t start = ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
            ++i;
        }
        if (i == start) {
            return false;
        }
    }
    std::string_view zone = text.substr(std::min(i, text.size()));
    if (zone == "Z" || zone == "z") {
        return true;
    }
    return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2) &&
           zone[3] == ':' && digits(zone, 4, 2) && zone.substr(1, 2) <= "23" &&
           zone.substr(4, 2) <= "59";
}

Reading read_labels(const Labels& labels, const std::string& source, bool warn_unknown) {
    Reading reading;
    Warnings warnings(reading.warnings, source);
    std::vector<std::string> unknown;

    // OCI keys first, so that they win over their Label Schema twins whatever the order.
    for (const auto& [name, value] : labels) {
        if (const Key* key = find_by_annotation(name)) {
            add_value(reading.fields, warnings, *key, value, source, name);
        } else if (find_by_label_schema(name) == nullptr && name != kLabelSchemaVersion) {
            unknown.push_back(name);
        }
    }
    for (const auto& [name, value] : labels) {
        const Key* key = find_by_label_schema(name);
        if (key != nullptr && !reading.fields.contains(key->field)) {
            add_value(reading.fields, warnings, *key, value, source, name);
        }
    }

    if (warn_unknown && !unknown.empty()) {
        warnings.add("ignored " + std::to_string(unknown.size()) +
                     (unknown.size() == 1 ? " key" : " keys") + " in " + source + ": " +
                     join_names(unknown) + " (expected org.opencontainers.image.* names)");
    }
    return reading;
}

Reading build_reading(std::string_view version,
                      std::string_view revision,
                      std::string_view build_time) {
    Reading reading;
    auto add = [&](const char* field, std::string_view value) {
        if (!value.empty() && value != "unknown") {
            reading.fields[field] = Field{std::string(value), "build"};
        }
    };
    add("title", "hale");
    add("version", version);
    add("revision", revision);
    add("created", build_time);
    return reading;
}

Reading read_image_file(const std::string& path, bool explicit_path) {
    Reading reading;
    std::string source = "file:" + path;

    // The file: absent is normal unless someone named it.
    auto json =
        read_json_object(path, kImageFileCap, explicit_path,
                         "a JSON object of org.opencontainers.image.* keys", reading.warnings);
    if (!json) {
        return reading;
    }

    // Its keys: the schema, then string values only.
    Labels labels;
    {
        Warnings warnings(reading.warnings, path);
        for (const auto& [name, value] : json->items()) {
            if (name == "schema") {
                if (!value.is_string() || value.get<std::string>() != kImageFileSchema) {
                    warnings.add("invalid schema " + quote(value.dump()) + " in " + path +
                                 ": expected \"" + std::string(kImageFileSchema) +
                                 "\"; reading the keys hale knows");
                }
                continue;
            }
            if (!value.is_string()) {
                warnings.add("invalid " + quote(name) + " in " + path +
                             ": expected a string, found " + type_name(value) + "; left out");
                continue;
            }
            labels.emplace_back(name, value.get<std::string>());
        }
    }
    auto from_labels = read_labels(labels, source, true);
    reading.fields = std::move(from_labels.fields);
    reading.warnings.insert(reading.warnings.end(), from_labels.warnings.begin(),
                            from_labels.warnings.end());
    if (reading.fields.empty()) {
        reading.warnings.push_back("no org.opencontainers.image.* value in " + path);
    }
    return reading;
}

Reading read_env(const EnvLookup& env) {
    Reading reading;
    Warnings warnings(reading.warnings, "OCI_IMAGE_* variables");
    for (const auto& key : kKeys) {
        auto value = env(std::string(key.env));
        if (value) {
            add_value(reading.fields, warnings, key, *value, "env:" + std::string(key.env),
                      key.env);
        }
    }
    return reading;
}

Provenance merge(const Reading& build, const std::vector<Reading>& sources) {
    Provenance merged;
    merged.warnings = build.warnings;
    for (const auto& reading : sources) {
        merged.warnings.insert(merged.warnings.end(), reading.warnings.begin(),
                               reading.warnings.end());

        // A revision names one build: values of another build must not be mixed in (hale's
        // image's own file under a sidecar that is told the app's revision).
        auto later = reading.fields.find("revision");
        auto earlier = merged.fields.find("revision");
        if (later != reading.fields.end() && earlier != merged.fields.end() &&
            later->second.value != earlier->second.value) {
            merged.warnings.push_back(later->second.source + " names revision " +
                                      quote(later->second.value) + ", " + earlier->second.source +
                                      " names " + quote(earlier->second.value) +
                                      ": the values of the other build are left out");
            merged.fields.clear();
        }
        // Without a revision of its own, a new version or title may still come from another
        // build (a sidecar from hale's image told only the app's version): said, not guessed.
        if (later == reading.fields.end() && earlier != merged.fields.end()) {
            for (const auto* field : {"version", "title"}) {
                auto given = reading.fields.find(field);
                auto before = merged.fields.find(field);
                if (given != reading.fields.end() && before != merged.fields.end() &&
                    given->second.value != before->second.value) {
                    merged.warnings.push_back(given->second.source + " gives " + field + " " +
                                              quote(given->second.value) +
                                              " but no revision: revision " +
                                              quote(earlier->second.value) + " from " +
                                              earlier->second.source + " may name another build");
                    break;
                }
            }
        }

        for (const auto& [field, value] : reading.fields) {
            merged.fields[field] = value;
        }
    }

    // hale's build describes hale: mixed into an app's values it would describe no image.
    if (merged.fields.empty()) {
        merged.fields = build.fields;
        merged.build_only = true;
        merged.warnings.emplace_back(
            "no image provenance (no baked file, OCI_IMAGE_* variable, pod annotation or image "
            "label): "
            "showing hale's own build; hale stamp writes /etc/hale/image.json");
        return merged;
    }

    std::vector<std::string> missing;
    for (auto field : kUsualFields) {
        if (!merged.fields.contains(field)) {
            missing.emplace_back(field);
        }
    }
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing) {
            names += (names.empty() ? "" : ", ") + name;
        }
        const Key* first = find_key_by_field(missing.front());
        merged.warnings.push_back("no source gives the image's " + names + " (hale stamp --" +
                                  missing.front() + " or " + std::string(first->env) + " sets it)");
    }
    return merged;
}

}  // namespace hale::probes::provenance
