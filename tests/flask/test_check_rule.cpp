// check_rule: the rule parser Rule uses, reporting every problem of a rule for a scenario's author.
#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/flask/rule.hpp"

namespace reqtrace::flask {
namespace {

using Strings = std::vector<std::string>;

TEST(CheckRule, VariablesWithAndWithoutConverters) {
  const RuleCheck check =
      check_rule("/user/<name>/post/<int:post_id>/<any(about, help):page>.html/<uuid:id>");
  EXPECT_EQ(check.errors, Strings{});
  EXPECT_EQ(check.arguments, (Strings{"name", "post_id", "page", "id"}));
  EXPECT_EQ(check_rule("/about/").arguments, Strings{});
  EXPECT_EQ(check_rule("/about/").errors, Strings{});
}

TEST(CheckRule, MustStartWithASlash) {
  EXPECT_EQ(check_rule("user/<name>").errors,
            Strings{"expected a rule starting with \"/\", got \"user/<name>\""});
  EXPECT_EQ(check_rule("").errors, Strings{"expected a rule starting with \"/\", got \"\""});
}

TEST(CheckRule, UnknownConverter) {
  EXPECT_EQ(check_rule("/<integer:id>").errors,
            Strings{"in \"<integer:id>\": unknown converter \"integer\"; expected one of: string, "
                    "int, float, path, any, uuid"});
}

TEST(CheckRule, ConverterArgumentsAreTheConverters) {
  EXPECT_EQ(check_rule("/<int(bogus=1):n>").errors,
            Strings{"in \"<int(bogus=1):n>\": the int converter has no argument \"bogus\"; "
                    "expected one of: fixed_digits, min, max, signed"});
  EXPECT_EQ(check_rule("/<int(min=one):n>").errors,
            Strings{"in \"<int(min=one):n>\": converter argument \"min\" must be an integer, got "
                    "\"one\""});
  EXPECT_EQ(check_rule("/<path(1):p>").errors,
            Strings{"in \"<path(1):p>\": the path converter takes no arguments, got 1"});
}

TEST(CheckRule, UnclosedVariable) {
  EXPECT_EQ(check_rule("/user/<name").errors,
            Strings{"\"<name\" is not closed; expected '>' to end the variable"});
}

TEST(CheckRule, VariableNamesAreIdentifiers) {
  EXPECT_EQ(check_rule("/<>").errors,
            Strings{"in \"<>\": expected a variable name (letters, digits and _, not starting "
                    "with a digit)"});
  EXPECT_EQ(check_rule("/<int:2nd>").errors,
            Strings{"in \"<int:2nd>\": expected a variable name (letters, digits and _, not "
                    "starting with a digit), got \"2nd\""});
  EXPECT_EQ(check_rule("/<user name>").errors.size(), 1u);
}

TEST(CheckRule, AnyNeedsItsChoices) {
  EXPECT_EQ(check_rule("/<any:page>").errors,
            Strings{"in \"<any:page>\": the any converter needs its choices, like "
                    "<any(about, help):page>"});
  EXPECT_EQ(check_rule("/<any():page>").errors.size(), 1u);
}

TEST(CheckRule, UnclosedArguments) {
  EXPECT_EQ(check_rule("/<int(min=1:id>").errors,
            Strings{"in \"<int(min=1:id>\": expected ')' to close the converter's arguments"});
}

TEST(CheckRule, VariableNamesAreUnique) {
  EXPECT_EQ(check_rule("/<a>/<int:a>").errors,
            Strings{"variable \"a\" appears twice; each variable of a rule needs its own name"});
}

TEST(CheckRule, EveryProblemIsReportedAndRuleStopsAtTheFirst) {
  const char* rule = "/<a>/<a>/<bad:b>/<c";
  const RuleCheck check = check_rule(rule);
  ASSERT_EQ(check.errors.size(), 3u);
  EXPECT_EQ(check.arguments, Strings{});
  try {
    const Rule accepted(rule, "x");
    FAIL() << "Rule accepted " << rule;
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(error.what(), check.errors.front());
  }
}

// One parser: whatever check_rule accepts, Rule builds with the same variables.
TEST(CheckRule, AgreesWithRule) {
  for (const char* rule : {"/", "/docs/", "/user/<name>", "/<path:p>/edit/", "/o/<uuid:id>",
                           "/<any(a, 'b c'):k>/<int(min=1, max=9):n>", "//a//<b>"}) {
    const RuleCheck check = check_rule(rule);
    EXPECT_EQ(check.errors, Strings{}) << rule;
    EXPECT_EQ(Rule(rule, "x").arguments(), check.arguments) << rule;
  }
}

}  // namespace
}  // namespace reqtrace::flask
