#include <gtest/gtest.h>

#include "scenario/json_locator.hpp"

namespace reqtrace::scenario {
namespace {

// "line:column", or "none", so that a failure shows both numbers at once.
std::string at(const std::optional<TextPosition>& position) {
  if (!position) return "none";
  return std::to_string(position->line) + ":" + std::to_string(position->column);
}

TEST(JsonLocator, FindsValuesByPointer) {
  const std::string text =
      "{\n"
      "  \"a\": 1,\n"
      "  \"b\": [10, {\"c\": true}],\n"
      "  \"d\": {}\n"
      "}\n";
  JsonLocator locator(text);
  EXPECT_EQ(at(locator.find_value("")), "1:1");
  EXPECT_EQ(at(locator.find_value("/a")), "2:8");
  EXPECT_EQ(at(locator.find_value("/b")), "3:8");
  EXPECT_EQ(at(locator.find_value("/b/0")), "3:9");
  EXPECT_EQ(at(locator.find_value("/b/1")), "3:13");
  EXPECT_EQ(at(locator.find_value("/b/1/c")), "3:19");
  EXPECT_EQ(at(locator.find_value("/d")), "4:8");
  EXPECT_EQ(at(locator.find_key("/d")), "4:3");
}

TEST(JsonLocator, AnswersNoneForWhatIsNotThere) {
  JsonLocator locator(R"({"a": [1, 2], "b": "x"})");
  EXPECT_EQ(at(locator.find_value("/c")), "none");
  EXPECT_EQ(at(locator.find_value("/a/2")), "none");
  EXPECT_EQ(at(locator.find_value("/a/01")), "none");  // RFC 6901: no leading zeros
  EXPECT_EQ(at(locator.find_value("/a/x")), "none");
  EXPECT_EQ(at(locator.find_value("/b/0")), "none");  // a string has no elements
  EXPECT_EQ(at(locator.find_value("a")), "none");     // not a pointer
  EXPECT_EQ(at(locator.find_key("/a/0")), "none");    // an element has no key
}

TEST(JsonLocator, SkipsCommentsAndStringsThatLookLikeStructure) {
  const std::string text =
      "// {\"a\": \"not this\"}\n"
      "{ /* \"a\": 0, [ */ \"s\": \"}, \\\"a\\\": [\",  // \"a\": 1\n"
      "  \"a\": /* } */ 2 }\n";
  JsonLocator locator(text);
  EXPECT_EQ(at(locator.find_value("")), "2:1");
  EXPECT_EQ(at(locator.find_value("/s")), "2:24");
  EXPECT_EQ(at(locator.find_value("/a")), "3:16");
}

TEST(JsonLocator, DecodesKeysAndPointerEscapes) {
  JsonLocator locator(R"({"a/b": 1, "m~n": 2, "\u00e9t\u00e9": 3, "q\"": 4})");
  EXPECT_EQ(at(locator.find_value("/a~1b")), "1:9");
  EXPECT_EQ(at(locator.find_value("/m~0n")), "1:19");
  EXPECT_EQ(at(locator.find_value("/\xC3\xA9t\xC3\xA9")), "1:39");
  EXPECT_EQ(at(locator.find_value("/q\"")), "1:49");
}

TEST(JsonLocator, TheLastOfDuplicateKeysIsTheOneParsed) {
  JsonLocator locator(R"({"a": 1, "a": 2})");
  EXPECT_EQ(at(locator.find_value("/a")), "1:15");
  EXPECT_EQ(at(locator.find_key("/a")), "1:10");
}

TEST(JsonLocator, ColumnsCountCharactersNotBytes) {
  JsonLocator locator("{\"\xC3\xA9\xE2\x82\xAC\": 1, \"b\": 2}");  // {"é€": 1, "b": 2}
  EXPECT_EQ(at(locator.find_value("/b")), "1:16");
}

TEST(JsonLocator, SkipsAByteOrderMark) {
  JsonLocator locator("\xEF\xBB\xBF{\"a\": 1}");
  EXPECT_EQ(at(locator.find_value("")), "1:1");
  EXPECT_EQ(at(locator.find_value("/a")), "1:7");
}

TEST(JsonLocator, PositionOfOffsets) {
  JsonLocator locator("ab\r\ncd\n\nx");
  EXPECT_EQ(at(locator.position_of(0)), "1:1");
  EXPECT_EQ(at(locator.position_of(4)), "2:1");
  EXPECT_EQ(at(locator.position_of(8)), "4:1");
  EXPECT_EQ(at(locator.position_of(9)), "4:2");    // the end of the text
  EXPECT_EQ(at(locator.position_of(100)), "4:2");  // clamped
}

TEST(JsonLocator, DeepNestingDoesNotRecurse) {
  std::string text =
      "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + ", \"b\": 1}";
  JsonLocator locator(text);
  EXPECT_EQ(at(locator.find_value("/b")), "1:" + std::to_string(6 + 200000 + 8));
}

}  // namespace
}  // namespace reqtrace::scenario
