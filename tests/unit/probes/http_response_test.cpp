#include "probes/http_response.hpp"

#include <boost/test/unit_test.hpp>

using hale::probes::HttpResponseReader;
using Phase = HttpResponseReader::Phase;

namespace {

HttpResponseReader::Limits limits(size_t body_cap = 64 * 1024, bool keep_body = true) {
    HttpResponseReader::Limits result;
    result.body_cap = body_cap;
    result.keep_body = keep_body;
    return result;
}

// Feeds the text one byte at a time, as a slow peer would send it.
Phase feed_bytewise(HttpResponseReader& reader, std::string_view text) {
    for (char c : text) {
        reader.feed(std::string_view(&c, 1));
    }
    return reader.phase();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_response_test)

BOOST_AUTO_TEST_CASE(content_length_body_ends_without_a_close) {
    HttpResponseReader reader(false, limits());
    auto phase = reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().status == 200);
    BOOST_TEST(reader.response().reason == "OK");
    BOOST_TEST(reader.response().body == "ok");
}

BOOST_AUTO_TEST_CASE(byte_at_a_time_gives_the_same_response) {
    HttpResponseReader reader(false, limits());
    auto phase = feed_bytewise(reader, "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\ndown");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().status == 503);
    BOOST_TEST(reader.response().body == "down");
}

BOOST_AUTO_TEST_CASE(bare_lf_line_endings_are_accepted) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.feed("HTTP/1.0 200 OK\nContent-Length: 0\n\n") == Phase::Done));
}

BOOST_AUTO_TEST_CASE(no_content_has_no_body_even_with_a_length) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST(
        (reader.feed("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n") == Phase::Done));
}

BOOST_AUTO_TEST_CASE(not_modified_has_no_body) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.feed("HTTP/1.1 304 Not Modified\r\n\r\n") == Phase::Done));
}

BOOST_AUTO_TEST_CASE(head_response_has_no_body) {
    HttpResponseReader reader(true, limits());
    BOOST_TEST((reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n") == Phase::Done));
}

BOOST_AUTO_TEST_CASE(chunked_body_is_decoded_to_its_end) {
    HttpResponseReader reader(false, limits());
    auto phase = feed_bytewise(reader,
                               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "2;ext=1\r\nok\r\n6\r\n ready\r\n0\r\nX-Trailer: 1\r\n\r\n");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().body == "ok ready");
}

BOOST_AUTO_TEST_CASE(chunked_wins_over_content_length) {
    HttpResponseReader reader(false, limits());
    auto phase = reader.feed(
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        "1\r\nx\r\n0\r\n\r\n");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().body == "x");
}

BOOST_AUTO_TEST_CASE(malformed_chunk_size_fails) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    BOOST_TEST((reader.phase() == Phase::Failed));
    BOOST_TEST(reader.error().find("malformed chunk size") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(huge_chunk_size_overflow_fails) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n");
    BOOST_TEST((reader.phase() == Phase::Failed));
}

BOOST_AUTO_TEST_CASE(close_delimited_body_ends_at_close) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.feed("HTTP/1.0 200 OK\r\n\r\nhello") == Phase::Body));
    BOOST_TEST((reader.finish() == Phase::Done));
    BOOST_TEST(reader.response().body == "hello");
}

BOOST_AUTO_TEST_CASE(body_stops_at_the_cap_and_says_so) {
    HttpResponseReader reader(false, limits(8));
    auto phase = reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789abcdef");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().body == "01234567");
    BOOST_TEST(reader.response().body_truncated);
}

BOOST_AUTO_TEST_CASE(body_ending_in_the_same_read_past_the_cap_is_truncated) {
    HttpResponseReader reader(false, limits(8));
    auto phase = reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n0123456789abcdef");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().body_truncated);
}

BOOST_AUTO_TEST_CASE(body_exactly_at_the_cap_is_complete) {
    HttpResponseReader reader(false, limits(8));
    auto phase = reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n01234567");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(!reader.response().body_truncated);
}

BOOST_AUTO_TEST_CASE(body_is_counted_but_not_kept_unless_asked) {
    HttpResponseReader reader(false, limits(1024, false));
    reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    BOOST_TEST(reader.response().body.empty());
    BOOST_TEST(reader.response().body_bytes == 5U);
}

BOOST_AUTO_TEST_CASE(short_body_before_close_fails_with_counts) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    BOOST_TEST((reader.finish() == Phase::Failed));
    BOOST_TEST(reader.error() == "connection closed after 3 of 10 body bytes");
}

BOOST_AUTO_TEST_CASE(interim_responses_are_skipped) {
    HttpResponseReader reader(false, limits());
    auto phase = reader.feed(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    BOOST_TEST((phase == Phase::Done));
    BOOST_TEST(reader.response().status == 200);
    BOOST_TEST(!reader.response().header("link"));
}

BOOST_AUTO_TEST_CASE(headers_are_found_by_lowercase_name) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 302 Found\r\nLOCATION:   /login  \r\nContent-Length: 0\r\n\r\n");
    BOOST_TEST_REQUIRE(reader.response().header("location").has_value());
    BOOST_TEST(*reader.response().header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(conflicting_content_lengths_fail) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
    BOOST_TEST((reader.phase() == Phase::Failed));
    BOOST_TEST(reader.error().find("invalid Content-Length") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(repeated_equal_content_lengths_are_accepted) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.feed("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nx") == Phase::Done));
}

BOOST_AUTO_TEST_CASE(non_http_bytes_fail_at_once) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.feed("SSH-2.0-OpenSSH_9.2") == Phase::Failed));
    BOOST_TEST(reader.error() == "not an HTTP response");
}

BOOST_AUTO_TEST_CASE(malformed_status_line_fails) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.feed("HTTP/1.1 2000 OK\r\n") == Phase::Failed));
}

BOOST_AUTO_TEST_CASE(peer_bytes_in_an_error_are_escaped) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\nX\x1b[31mRED: 1\r\n");
    BOOST_TEST((reader.phase() == Phase::Failed));
    BOOST_TEST(reader.error().find('\x1b') == std::string::npos);
    BOOST_TEST(reader.error().find("\\x1b[31mRED") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(header_block_is_bounded) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\n");
    std::string big(20 * 1024, 'a');
    reader.feed("X-Big: " + big);
    BOOST_TEST((reader.phase() == Phase::Failed));
    BOOST_TEST(reader.error().find("larger than 16 KiB") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(header_count_is_bounded) {
    HttpResponseReader reader(false, limits());
    std::string head = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 150; ++i) {
        head += "X: 1\r\n";
    }
    reader.feed(head);
    BOOST_TEST((reader.phase() == Phase::Failed));
    BOOST_TEST(reader.error().find("more than 100 headers") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(empty_reply_is_reported_as_such) {
    HttpResponseReader reader(false, limits());
    BOOST_TEST((reader.finish() == Phase::Failed));
    BOOST_TEST(reader.error() == "connection closed before a status line");
}

BOOST_AUTO_TEST_CASE(close_inside_headers_fails) {
    HttpResponseReader reader(false, limits());
    reader.feed("HTTP/1.1 200 OK\r\nContent-");
    BOOST_TEST((reader.finish() == Phase::Failed));
    BOOST_TEST(reader.error() == "connection closed inside the headers");
}

BOOST_AUTO_TEST_SUITE_END()
