// Pairs of broken JSON text and the one problem it must give: where, and what was expected.
#include <gtest/gtest.h>

#include "scenario/load.hpp"

namespace reqtrace::scenario {
namespace {

struct Case {
  const char* name;
  std::string text;
  std::string expected;  // Problem::to_string()
};

class ParseError : public testing::TestWithParam<Case> {};

TEST_P(ParseError, GivesOneProblemAtTheBadToken) {
  Loaded loaded = load_text(GetParam().text, "t.json");
  EXPECT_FALSE(loaded);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].to_string(), GetParam().expected);
  EXPECT_EQ(loaded.problems[0].pointer, "");
}

const Case kCases[] = {
    {"MissingComma", "{\"a\": 1\n \"b\": 2}",
     "t.json:2:2: expected ',' or '}' after an object member, got \"b\""},
    {"MissingColon", "{\"a\" 1}", "t.json:1:6: expected ':' after an object key, got 1"},
    {"TrailingCommaInObject", "{\"a\": 1,\n}",
     "t.json:2:1: expected a key in double quotes, got '}' (JSON allows no comma before '}')"},
    {"TrailingCommaInArray", "[1, 2,]",
     "t.json:1:7: expected a value, got ']' (JSON allows no comma before ']')"},
    {"MissingCommaInArray", "[1 2]",
     "t.json:1:4: expected ',' or ']' after an array element, got 2"},
    {"WrongCloser", "[1,2,\n  }", "t.json:2:3: expected a value, got '}'"},
    {"UnquotedKey", "{ id: 1 }", "t.json:1:3: expected a key in double quotes, got id"},
    {"SingleQuotes", "{'id': 1}", "t.json:1:2: expected a key in double quotes, got 'id'"},
    {"NumberKey", "{1: 2}", "t.json:1:2: expected a key in double quotes, got 1"},
    {"BadLiteral", "{\"a\": tru}",
     "t.json:1:7: expected a value (an object, array, string in double quotes, number, true, "
     "false or null), got tru"},
    {"BadLiteralAtTheEnd", "{\"a\": nul",
     "t.json:1:7: expected a value (an object, array, string in double quotes, number, true, "
     "false or null), got nul"},
    {"LineBreakInString", "{\n  \"title\": \"two\nlines\"}",
     "t.json:2:12: unterminated string; a line break inside a string must be written \\n"},
    {"UnterminatedString", R"({"a": "abc)",
     "t.json:1:7: unterminated string; expected a closing '\"'"},
    {"BadEscape", R"({"a": "x\qy"})",
     R"(t.json:1:10: invalid escape in a string; expected one of \" \\ \/ \b \f \n \r \t \uXXXX)"},
    {"TabInString", "{\"a\": \"x\ty\"}",
     "t.json:1:9: invalid string: control character U+0009 (HT) must be escaped to \\u0009 or \\t"},
    {"BadNumber", "{\"a\": -}", "t.json:1:7: invalid number \"-\"; expected a digit after '-'"},
    {"BadExponent", "{\"a\": 1e}",
     "t.json:1:7: invalid number \"1e\"; expected '+', '-', or a digit after exponent"},
    {"LeadingZero", "{\"a\": 01}",
     "t.json:1:7: expected ',' or '}' after an object member, got 01"},
    {"HugeNumber", "{\n \"a\": 1e400}",
     "t.json:2:7: number 1e400 is too large; expected a number a double can hold"},
    {"UnterminatedComment", "{\"a\": 1 /* note", "t.json:1:9: unterminated comment; expected '*/'"},
    {"LoneSlash", "{\"a\": / 1}", "t.json:1:7: expected '/' or '*' after '/' to start a comment"},
    {"TextAfterTheDocument", "{}\n{}",
     "t.json:2:1: expected the end of the file after the top-level value, got '{'"},
    {"WordAfterTheDocument", "{} x",
     "t.json:1:4: expected the end of the file after the top-level value, got x"},
    {"Empty", "", "t.json:1:1: expected a JSON object, got an empty file"},
    {"OnlyComments", "// nothing\n/* here */\n",
     "t.json:1:1: expected a JSON object, got an empty file"},
    // A truncated file is reported just after its last token, not at the end of the blank lines.
    {"Truncated", "{\n  \"id\": \"x\",\n  \"app\": {\"routes\": [\n\n\n",
     "t.json:3:22: expected a value, got the end of the file"},
    {"TruncatedAfterAValue", "{\"a\": 1  // more to come\n",
     "t.json:1:8: expected ',' or '}' after an object member, got the end of the file"},
    {"ByteOrderMark", "\xEF\xBB\xBF{\"a\" 1}",
     "t.json:1:6: expected ':' after an object key, got 1"},
    {"CommentsBeforeTheError", "/* a } ] */ {\"a\": // \" }\n 1 2}",
     "t.json:2:4: expected ',' or '}' after an object member, got 2"},
    {"LongTokenIsCut", R"({"a": 1 ")" + std::string(100, 'x') + "\": 2}",
     "t.json:1:9: expected ',' or '}' after an object member, got \"" + std::string(39, 'x') +
         "..."},
};

INSTANTIATE_TEST_SUITE_P(Scenario, ParseError, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace reqtrace::scenario
