#include "sidecar/logging.hpp"

// "warn" rather than spdlog's "warning": the level names match --log-level's values. This is the
// only file that includes spdlog, so the names are the same everywhere.
#define SPDLOG_LEVEL_NAMES \
    { "trace", "debug", "info", "warn", "error", "critical", "off" }

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace hale::sidecar {
namespace {

LogFormat g_format = LogFormat::Text;  // set once by setup_logging(), before threads start

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return spdlog::level::debug;
        case LogLevel::Info:
            return spdlog::level::info;
        case LogLevel::Warn:
            return spdlog::level::warn;
        case LogLevel::Error:
            return spdlog::level::err;
        case LogLevel::Off:
            return spdlog::level::off;
    }
    return spdlog::level::info;
}

bool is_control(char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
}

bool needs_quotes(std::string_view value) {
    return value.empty() || value.find_first_of(" \"=\\") != std::string_view::npos ||
           std::any_of(value.begin(), value.end(), is_control);
}

std::string quote_value(std::string_view value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (is_control(c)) {
            // A value from a peer must not write escape sequences to a terminal or forge lines.
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// The members of one JSON object, without the braces: spdlog's pattern adds time and level.
std::string format_fields_json(std::string_view message, std::initializer_list<LogField> fields) {
    auto dump = [](std::string_view text) {
        return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    std::string out = "\"msg\":" + dump(message);
    for (const auto& field : fields) {
        out += "," + dump(field.key) + ":" + dump(field.value);
    }
    return out;
}

}  // namespace

probes::Result<LogLevel> parse_log_level(std::string_view text) {
    if (text == "debug") {
        return LogLevel::Debug;
    }
    if (text == "info") {
        return LogLevel::Info;
    }
    if (text == "warn" || text == "warning") {
        return LogLevel::Warn;
    }
    if (text == "error") {
        return LogLevel::Error;
    }
    if (text == "off") {
        return LogLevel::Off;
    }
    return probes::Error{"invalid log level '" + std::string(text) +
                         "': expected debug, info, warn, error or off"};
}

probes::Result<LogFormat> parse_log_format(std::string_view text) {
    if (text == "text") {
        return LogFormat::Text;
    }
    if (text == "json") {
        return LogFormat::Json;
    }
    return probes::Error{"invalid log format '" + std::string(text) + "': expected text or json"};
}

void setup_logging(LogLevel level, LogFormat format) {
    g_format = format;
    auto logger = spdlog::stderr_logger_mt("hale");
    logger->set_level(to_spdlog(level));
    logger->flush_on(spdlog::level::debug);
    if (format == LogFormat::Json) {
        logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                            spdlog::pattern_time_type::utc);
    } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    }
    spdlog::set_default_logger(std::move(logger));
}

void flush_logs() {
    spdlog::default_logger_raw()->flush();
}

bool log_enabled(LogLevel level) {
    return spdlog::default_logger_raw()->should_log(to_spdlog(level));
}

void log_event(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
    auto* logger = spdlog::default_logger_raw();
    auto spd_level = to_spdlog(level);
    if (!logger->should_log(spd_level)) {
        return;
    }
    std::string line;
    if (g_format == LogFormat::Json) {
        line = format_fields_json(message, fields);
    } else {
        line = std::string(message);
        if (fields.size() > 0) {
            line += " " + format_fields_text(fields);
        }
    }
    logger->log(spd_level, spdlog::string_view_t(line.data(), line.size()));
}

std::string format_fields_text(std::initializer_list<LogField> fields) {
    std::string out;
    for (const auto& field : fields) {
        if (!out.empty()) {
            out += ' ';
        }
        out += std::string(field.key) + "=" +
               (needs_quotes(field.value) ? quote_value(field.value) : field.value);
    }
    return out;
}

}  // namespace hale::sidecar
