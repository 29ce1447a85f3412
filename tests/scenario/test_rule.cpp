#include <gtest/gtest.h>

#include "scenario/rule.hpp"

namespace reqtrace::scenario {
namespace {

using Strings = std::vector<std::string>;

TEST(Rule, StaticRuleIsOnePart) {
  ParsedRule rule = parse_rule("/about/");
  EXPECT_TRUE(rule.errors.empty());
  ASSERT_EQ(rule.parts.size(), 1u);
  EXPECT_EQ(rule.parts[0].text, "/about/");
  EXPECT_FALSE(rule.parts[0].is_variable());
}

TEST(Rule, VariablesWithAndWithoutConverters) {
  ParsedRule rule = parse_rule("/user/<name>/post/<int:post_id>/<any(about, help):page>.html");
  EXPECT_TRUE(rule.errors.empty());
  EXPECT_EQ(rule.variables(), (Strings{"name", "post_id", "page"}));
  ASSERT_EQ(rule.parts.size(), 7u);
  EXPECT_EQ(rule.parts[1].converter, "string");  // Werkzeug's default
  EXPECT_EQ(rule.parts[3].converter, "int");
  EXPECT_EQ(rule.parts[5].converter, "any");
  EXPECT_EQ(rule.parts[5].arguments, "about, help");
  EXPECT_EQ(rule.parts[6].text, ".html");
}

TEST(Rule, ConverterArgumentsMayHoldAColon) {
  ParsedRule rule = parse_rule("/<any(a:b, c):x>");
  EXPECT_TRUE(rule.errors.empty());
  EXPECT_EQ(rule.variables(), Strings{"x"});
  EXPECT_EQ(rule.parts[1].arguments, "a:b, c");
}

TEST(Rule, MustStartWithASlash) {
  EXPECT_EQ(parse_rule("user/<name>").errors,
            Strings{"expected a rule starting with \"/\", got \"user/<name>\""});
  EXPECT_EQ(parse_rule("").errors, Strings{"expected a rule starting with \"/\", got \"\""});
}

TEST(Rule, UnknownConverter) {
  EXPECT_EQ(parse_rule("/<integer:id>").errors,
            Strings{"in \"<integer:id>\": unknown converter \"integer\"; expected one of: string, "
                    "int, float, path, any"});
  EXPECT_EQ(parse_rule("/<uuid:id>").errors.size(), 1u);
}

TEST(Rule, UnclosedVariable) {
  EXPECT_EQ(parse_rule("/user/<name").errors,
            Strings{"\"<name\" is not closed; expected '>' to end the variable"});
}

TEST(Rule, VariableNamesAreIdentifiers) {
  EXPECT_EQ(parse_rule("/<>").errors,
            Strings{"in \"<>\": expected a variable name (letters, digits and _, not starting "
                    "with a digit)"});
  EXPECT_EQ(parse_rule("/<int:2nd>").errors,
            Strings{"in \"<int:2nd>\": expected a variable name (letters, digits and _, not "
                    "starting with a digit), got \"2nd\""});
  EXPECT_EQ(parse_rule("/<user name>").errors.size(), 1u);
}

TEST(Rule, AnyNeedsItsChoices) {
  EXPECT_EQ(parse_rule("/<any:page>").errors,
            Strings{"in \"<any:page>\": the any converter needs its choices, like "
                    "<any(about, help):page>"});
  EXPECT_EQ(parse_rule("/<any():page>").errors.size(), 1u);
}

TEST(Rule, UnclosedArguments) {
  EXPECT_EQ(parse_rule("/<int(min=1:id>").errors,
            Strings{"in \"<int(min=1:id>\": expected ')' to close the converter's arguments"});
}

TEST(Rule, VariableNamesAreUnique) {
  EXPECT_EQ(parse_rule("/<a>/<int:a>").errors,
            Strings{"variable \"a\" appears twice; each variable of a rule needs its own name"});
}

TEST(Rule, EveryProblemIsReported) {
  EXPECT_EQ(parse_rule("/<a>/<a>/<bad:b>/<c").errors.size(), 3u);
}

}  // namespace
}  // namespace reqtrace::scenario
