#include "sim/http/percent_coding.hpp"

#include <gtest/gtest.h>

namespace reqtrace::http {
namespace {

TEST(PercentDecode, KeepsBadEscapes) {
  EXPECT_EQ(percent_decode("%41%zz%4"), "A%zz%4");
  EXPECT_EQ(percent_decode("%"), "%");
  EXPECT_EQ(percent_decode("a+b"), "a+b");  // '+' is a space only in forms
}

TEST(PercentDecode, DecodesOnceAndSaysWhenAnEscapeIsMalformed) {
  bool malformed = true;
  EXPECT_EQ(percent_decode("/a%20b/%252e", &malformed), "/a b/%2e");
  EXPECT_FALSE(malformed);
  EXPECT_EQ(percent_decode("%7e%7E", &malformed), "~~");
  EXPECT_FALSE(malformed);
  for (const char* bad : {"%", "%4", "x%zz", "%g0"}) {
    percent_decode(bad, &malformed);
    EXPECT_TRUE(malformed) << bad;
  }
}

}  // namespace
}  // namespace reqtrace::http
