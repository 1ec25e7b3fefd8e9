#include "sidecar/prometheus.hpp"

#include <boost/test/unit_test.hpp>

using namespace hale::sidecar;

namespace {

HealthView view_with_db(Verdict verdict) {
    ProbeStatus db;
    db.name = "db";
    db.verdict = verdict;
    db.last_latency = std::chrono::milliseconds(1500);
    db.attempts = 7;
    db.failures = 2;
    HealthView view;
    view.probes = std::make_shared<const ProbeSnapshot>(ProbeSnapshot{{db}});
    return view;
}

ImageInfo image_with(std::string revision, std::string version, bool build_only = false) {
    ImageInfo image;
    image.provenance.fields["revision"] = {std::move(revision), "env:OCI_IMAGE_REVISION"};
    image.provenance.fields["version"] = {std::move(version), "env:OCI_IMAGE_VERSION"};
    image.provenance.build_only = build_only;
    return image;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prometheus_test)

BOOST_AUTO_TEST_CASE(per_probe_series_carry_probe_and_kind_labels) {
    auto text = render_metrics(view_with_db(Verdict::Passing));
    BOOST_TEST(has_line(text, "hale_probe_up{probe=\"db\",kind=\"readiness\"} 1"));
    BOOST_TEST(has_line(text, "hale_probe_latency_seconds{probe=\"db\",kind=\"readiness\"} 1.500"));
    BOOST_TEST(has_line(text, "hale_probe_attempts_total{probe=\"db\",kind=\"readiness\"} 7"));
    BOOST_TEST(has_line(text, "hale_probe_failures_total{probe=\"db\",kind=\"readiness\"} 2"));
}

BOOST_AUTO_TEST_CASE(readiness_and_liveness_follow_the_checks) {
    auto text = render_metrics(view_with_db(Verdict::Failing));
    BOOST_TEST(has_line(text, "hale_probe_up{probe=\"db\",kind=\"readiness\"} 0"));
    BOOST_TEST(has_line(text, "hale_ready 0"));
    BOOST_TEST(has_line(text, "hale_live 1"));
    BOOST_TEST(has_line(text, "hale_draining 0"));
}

BOOST_AUTO_TEST_CASE(every_family_has_help_and_type) {
    auto text = render_metrics(view_with_db(Verdict::Passing));
    for (const char* name : {"hale_probe_up", "hale_probe_latency_seconds", "hale_ready",
                             "hale_live", "hale_draining", "hale_build_info"}) {
        BOOST_TEST(text.find(std::string("# HELP ") + name + " ") != std::string::npos, name);
        BOOST_TEST(text.find(std::string("# TYPE ") + name + " ") != std::string::npos, name);
    }
    BOOST_TEST(text.find("hale_build_info{version=\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(image_build_info_carries_revision_and_version) {
    auto text = render_image_metrics(image_with("4f2c1e9", "1.4.2"));
    BOOST_TEST(has_line(text, R"(hale_image_build_info{revision="4f2c1e9",version="1.4.2"} 1)"));
}

BOOST_AUTO_TEST_CASE(image_labels_that_are_not_utf8_become_replacement_characters) {
    // A stray byte, an overlong '/', a surrogate, then valid two- and four-byte sequences.
    auto text =
        render_image_metrics(image_with("a\xff\xc0\xaf\xed\xa0\x80"
                                        "b",
                                        "\xc3\xa9\xf0\x9f\x9a\x80"));
    std::string bad = "\xEF\xBF\xBD";
    BOOST_TEST(has_line(text, "hale_image_build_info{revision=\"a" + bad + bad + bad + bad + bad +
                                  bad + "b\",version=\"\xc3\xa9\xf0\x9f\x9a\x80\"} 1"));
}

BOOST_AUTO_TEST_CASE(image_labels_are_empty_when_only_hales_own_build_is_known) {
    auto text = render_image_metrics(image_with("hale-rev", "0.1.0", true));
    BOOST_TEST(has_line(text, R"(hale_image_build_info{revision="",version=""} 1)"));
}

BOOST_AUTO_TEST_SUITE_END()
