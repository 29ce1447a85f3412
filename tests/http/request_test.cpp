// Request's accessors: header lookup, keep-alive rules and the version string.
#include "sim/http/request.hpp"

#include <gtest/gtest.h>

namespace reqtrace::http::test {
namespace {

Request with(int minor, std::vector<Header> headers) {
  Request r;
  r.version_minor = minor;
  r.headers = std::move(headers);
  return r;
}

TEST(Request, HeaderIsCaseInsensitiveAndReturnsTheFirstMatch) {
  Request r = with(1, {{"Host", "a"}, {"X-Two", "first"}, {"x-two", "second"}});
  EXPECT_EQ(r.header("host"), "a");
  EXPECT_EQ(r.header("X-TWO"), "first");
  EXPECT_FALSE(r.header("X-Three").has_value());
  EXPECT_FALSE(r.header("Hos").has_value());
}

TEST(Request, KeepAliveFollowsTheVersionAndConnection) {
  EXPECT_TRUE(with(1, {}).keep_alive());
  EXPECT_FALSE(with(1, {{"Connection", "close"}}).keep_alive());
  EXPECT_FALSE(with(1, {{"connection", "Upgrade, Close"}}).keep_alive());
  EXPECT_TRUE(with(1, {{"Connection", "keep-alive"}}).keep_alive());
  EXPECT_FALSE(with(0, {}).keep_alive());
  EXPECT_TRUE(with(0, {{"Connection", "Keep-Alive"}}).keep_alive());
  EXPECT_FALSE(with(0, {{"Connection", "keep-alive"}, {"Connection", "close"}}).keep_alive());
  EXPECT_FALSE(with(0, {{"X-Connection", "keep-alive"}}).keep_alive());
}

TEST(Request, VersionIsTheProtocolString) {
  EXPECT_EQ(with(1, {}).version(), "HTTP/1.1");
  EXPECT_EQ(with(0, {}).version(), "HTTP/1.0");
}

}  // namespace
}  // namespace reqtrace::http::test
