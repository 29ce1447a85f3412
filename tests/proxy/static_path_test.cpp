// Mapping a request path to a file under static_root, as pairs of a path and what it maps to.
#include "sim/proxy/static_path.hpp"

#include <gtest/gtest.h>

#include "sim/proxy/content_type.hpp"

namespace reqtrace::proxy {
namespace {

TEST(StaticPath, APlainPathMapsUnderTheRoot) {
  EXPECT_EQ(static_path("/static/style.css", "/static/").relative, "style.css");
  EXPECT_EQ(static_path("/static/css/site.css", "/static/").relative, "css/site.css");
  EXPECT_EQ(static_path("/static/a%20b.txt", "/static/").relative, "a b.txt");
  EXPECT_EQ(static_path("/static/caf%C3%A9.png", "/static/").relative, "café.png");
  EXPECT_EQ(static_path("/static/", "/static/").relative, "");
  EXPECT_EQ(static_path("/static/css/", "/static/").relative, "css/");
  EXPECT_FALSE(static_path("/static/style.css", "/static/").refused());
}

TEST(StaticPath, DecodesOnceOnly) {
  const StaticPath path = static_path("/static/%252e%252e/x", "/static/");
  ASSERT_FALSE(path.refused()) << path.reason;
  EXPECT_EQ(path.relative, "%2e%2e/x");
}

TEST(StaticPath, RefusesEveryWayUp) {
  for (const char* target :
       {"/static/../x", "/static/a/../../x", "/static/%2e%2e/x", "/static/%2E%2E/x",
        "/static/.%2e/x", "/static/%2e./x", "/static/..", "/static/a/.."}) {
    const StaticPath path = static_path(target, "/static/");
    EXPECT_EQ(path.status, 403) << target;
    EXPECT_NE(path.reason.find(".."), std::string::npos) << target << ": " << path.reason;
  }
}

TEST(StaticPath, RefusesSeparatorsItDoesNotSplitOn) {
  EXPECT_EQ(static_path("/static/..%5cx", "/static/").status, 403);
  EXPECT_EQ(static_path("/static/a%5Cb", "/static/").status, 403);
  EXPECT_EQ(static_path("/static//etc/passwd", "/static/").status, 403);
  EXPECT_EQ(static_path("/static/%2fetc/passwd", "/static/").status, 403);
  EXPECT_EQ(static_path("/static/a//b", "/static/").status, 403);
}

TEST(StaticPath, RefusesBytesThatAreNotAName) {
  EXPECT_EQ(static_path("/static/a%00.png", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/a%0a", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/a%7f", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/%c0%ae%c0%ae/x", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/%e0%80%ae/x", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/%f0%80%80%ae/x", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/%zz", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/%2", "/static/").status, 400);
  EXPECT_EQ(static_path("/static/%", "/static/").status, 400);
}

TEST(StaticPath, RefusesDotSegmentsAndHiddenNames) {
  EXPECT_EQ(static_path("/static/./x", "/static/").status, 403);
  EXPECT_EQ(static_path("/static/.git/config", "/static/").status, 403);
  EXPECT_EQ(static_path("/static/a/.htaccess", "/static/").status, 403);
}

TEST(Utf8, StrictShortestForms) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));       // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));   // 😀
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xC0\xAE"));          // overlong "."
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAE"));      // overlong "."
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAE"));  // overlong "."
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\x80"));  // a lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC3"));  // cut short
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));  // not a continuation
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("js/app.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.PNG"), "image/png");
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
  EXPECT_EQ(content_type_for(".bashrc"), "application/octet-stream");
  EXPECT_EQ(content_type_for("archive.tar.xz"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.css/file"), "application/octet-stream");
}

}  // namespace
}  // namespace reqtrace::proxy
