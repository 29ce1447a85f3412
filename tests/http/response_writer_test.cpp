// The response writer: reason phrases, heads, chunks and the error replies the server sends.
#include "sim/http/response_writer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/http/request_parser.hpp"

namespace reqtrace::http::test {
namespace {

TEST(ResponseWriter, ReasonPhrases) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(204), "No Content");
  EXPECT_EQ(reason_phrase(301), "Moved Permanently");
  EXPECT_EQ(reason_phrase(308), "Permanent Redirect");
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(405), "Method Not Allowed");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(414), "URI Too Long");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(500), "Internal Server Error");
  EXPECT_EQ(reason_phrase(501), "Not Implemented");
  EXPECT_EQ(reason_phrase(502), "Bad Gateway");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(299), "Unknown");
  EXPECT_EQ(reason_phrase(0), "Unknown");
}

TEST(ResponseWriter, SerializesTheHead) {
  EXPECT_EQ(serialize_head("HTTP/1.1", "200 OK",
                           {{"Content-Type", "text/html"}, {"Content-Length", "5"}}),
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(serialize_head("HTTP/1.0", "404 Not Found", {}), "HTTP/1.0 404 Not Found\r\n\r\n");
  EXPECT_EQ(serialize_head("HTTP/1.1", "204", {}), "HTTP/1.1 204\r\n\r\n");
}

TEST(ResponseWriter, RefusesHeadsThatWouldSplitTheResponse) {
  EXPECT_THROW(serialize_head("HTTP/1.1", "200 OK\r\nSet-Cookie: x=1", {}), std::invalid_argument);
  EXPECT_THROW(serialize_head("HTTP/1.1", "OK", {}), std::invalid_argument);
  EXPECT_THROW(serialize_head("HTTP/1.1", "20 OK", {}), std::invalid_argument);
  EXPECT_THROW(serialize_head("HTTP/1.1", "200 OK", {{"X-A", "1\r\n\r\n<html>"}}),
               std::invalid_argument);
  EXPECT_THROW(serialize_head("HTTP/1.1", "200 OK", {{"Bad Name", "1"}}), std::invalid_argument);
  EXPECT_THROW(serialize_head("HTTP/1.1", "200 OK", {{"", "1"}}), std::invalid_argument);
}

TEST(ResponseWriter, Chunks) {
  EXPECT_EQ(chunk("hello"), "5\r\nhello\r\n");
  EXPECT_EQ(chunk(std::string(255, 'x')), "FF\r\n" + std::string(255, 'x') + "\r\n");
  EXPECT_EQ(chunk(""), "") << "an empty chunk would end the body";
  EXPECT_EQ(last_chunk(), "0\r\n\r\n");
}

TEST(ResponseWriter, ChunksParseBackToTheData) {
  std::string wire = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                     chunk("hello ") + chunk("") + chunk(std::string(300, 'w')) +
                     std::string(last_chunk());
  RequestParser parser;
  EXPECT_EQ(parser.feed(wire), wire.size());
  EXPECT_EQ(parser.stage(), RequestParser::Stage::Complete);
  EXPECT_EQ(parser.request().body, "hello " + std::string(300, 'w'));
}

TEST(ResponseWriter, ErrorResponse) {
  ParseError error{400, "Bad Request", "empty Content-Length"};
  std::string body = "Bad Request: empty Content-Length\n";
  EXPECT_EQ(error_response(error),
            "HTTP/1.1 400 Bad Request\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: " +
                std::to_string(body.size()) +
                "\r\n"
                "Connection: close\r\n"
                "\r\n" +
                body);
}

TEST(ResponseWriter, ErrorResponseForAParserError) {
  RequestParser parser;
  parser.feed(
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_TRUE(parser.error().has_value());
  std::string response = error_response(*parser.error());
  EXPECT_EQ(response.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
  std::size_t head_end = response.find("\r\n\r\n") + 4;
  std::string body = response.substr(head_end);
  EXPECT_NE(response.find("Content-Length: " + std::to_string(body.size()) + "\r\n"),
            std::string::npos);
  EXPECT_NE(body.find("smuggled"), std::string::npos);
}

}  // namespace
}  // namespace reqtrace::http::test
